// The push itself: read what Grafana holds, decide per object (create / update / unchanged /
// delete), then apply in dependency order. Reads and writes go through one client whose
// semaphore bounds the requests in flight; one object's failure never stops the others, except
// that an object waits for what it lives in (a dashboard for its folder) and fails with it.
import { CredentialsRejected, HttpError, NetworkError, toHttpError, type GrafanaClient } from "./http.js";
import {
  compare,
  normContactPoint,
  normDashboard,
  normDatasource,
  normFolder,
  normPolicy,
  normRuleGroup,
  REDACTED,
} from "./normalize.js";
import { isOwnedDashboardTags, isOwnedDatasource, isOwnedRule } from "./ownership.js";
import { RESPONSES as R, ResponseError } from "./responses.js";
import type {
  ApiAlertRule,
  DesiredContactPoint,
  DesiredDashboard,
  DesiredDatasource,
  DesiredFolder,
  DesiredRuleGroup,
  DesiredState,
  ItemResult,
  Kind,
  Op,
} from "./types.js";

type Obj = Record<string, unknown>;

export interface PushOptions {
  client: GrafanaClient;
  desired: DesiredState;
  kinds: Set<Kind>;
  prune: boolean;
  dryRun: boolean;
  disableProvenance: boolean;
  /** Write objects holding secrets even when they compare equal (secrets cannot be read back). */
  rewriteSecrets?: boolean;
  /** Version-history message for dashboards. */
  message: string;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface PushResult {
  items: ItemResult[];
  /** Set when the run stopped early for everything (credentials rejected mid-run). */
  aborted?: string;
}

interface Task {
  item: ItemResult;
  /** Runs the write; absent for unchanged items and failed reads. */
  run?: () => Promise<void>;
  /** Tasks that must succeed first. */
  deps: Task[];
  /** Set once run (or skipped). */
  done?: Promise<boolean>;
}

const enc = encodeURIComponent;
const CREDENTIALS_GONE = "Grafana rejected the credentials (401) during the push; remaining writes were not attempted";

/**
 * Failures that say the server as a whole cannot be worked with (unreachable, out of time, not
 * answering as Grafana, credentials gone): they stop the run instead of failing object by object.
 */
export function isFatal(e: unknown): e is NetworkError | ResponseError | CredentialsRejected {
  return e instanceof NetworkError || e instanceof ResponseError || e instanceof CredentialsRejected;
}

function errMessage(e: unknown): string {
  if (e instanceof HttpError || e instanceof NetworkError || e instanceof CredentialsRejected) return e.message;
  return (e as Error)?.message ?? String(e);
}

/** Runs fn over items with every call started at once; the client's semaphore bounds the requests. */
async function each<T>(items: T[], fn: (t: T) => Promise<void>, progress?: () => void): Promise<void> {
  await Promise.all(
    items.map(async (t) => {
      await fn(t);
      progress?.();
    }),
  );
}

export async function push(o: PushOptions): Promise<PushResult> {
  const { client, desired } = o;
  const has = (k: Kind) => o.kinds.has(k);
  const provenanceHeaders: Record<string, string> = o.disableProvenance ? { "X-Disable-Provenance": "true" } : {};
  const tasks: Record<string, Task[]> = {
    foldersUpsert: [],
    datasourcesUpsert: [],
    dashboardsDelete: [],
    dashboardsUpsert: [],
    contactPoints: [],
    ruleGroupsUpsert: [],
    ruleGroupsDelete: [],
    policy: [],
    foldersDelete: [],
    datasourcesDelete: [],
  };
  const folderTask = new Map<string, Task>();
  const task = (list: Task[], item: ItemResult, run?: () => Promise<void>, deps: Task[] = []): Task => {
    const t: Task = { item, run, deps };
    list.push(t);
    return t;
  };
  /** A live object that exists: unchanged when nothing differs, else an update running `run`. */
  const compared = (list: Task[], item: ItemResult, changes: string[], run: () => Promise<void>, deps: Task[] = []): Task => {
    if (changes.length === 0) {
      item.op = "unchanged";
      return task(list, item);
    }
    item.op = "update";
    item.changes = changes;
    return task(list, item, run, deps);
  };
  const failedRead = (list: Task[], kind: Kind, id: string, title: string | undefined, e: unknown) => {
    if (isFatal(e)) throw e;
    return task(list, { kind, id, title, status: "failed", error: `could not read the live object: ${errMessage(e)}` });
  };

  // ---- Reading ----------------------------------------------------------------------------------
  const wantReads =
    (has("folders") ? desired.folders.length : 0) +
    (has("datasources") ? desired.datasources.length : 0) +
    (has("dashboards") ? desired.dashboards.length : 0) +
    (has("rule-groups") ? desired.ruleGroups.length : 0);
  let reads = 0;
  const readProgress = () => o.onProgress?.("reading", ++reads, wantReads);

  // Listings (one or a few calls each).
  const needDashList = has("dashboards");
  const needFolderList = o.prune && (has("dashboards") || has("rule-groups"));
  const needRuleList = o.prune && (has("rule-groups") || has("dashboards"));
  const [dashHits, folderHits, liveRules, liveDatasources, liveContactPoints] = await Promise.all([
    needDashList ? searchAll(client, "dash-db") : Promise.resolve([] as Obj[]),
    needFolderList ? searchAll(client, "dash-folder") : Promise.resolve([] as Obj[]),
    needRuleList
      ? client.json<Obj[]>("GET", "/api/v1/provisioning/alert-rules", R.ruleList).then((r) => r.body ?? [])
      : Promise.resolve([] as Obj[]),
    has("datasources") && o.prune
      ? client.json<Obj[]>("GET", "/api/datasources", R.datasourceList).then((r) => r.body ?? [])
      : Promise.resolve([] as Obj[]),
    has("contact-points") && desired.contactPoints.length
      ? client.json<Obj[]>("GET", "/api/v1/provisioning/contact-points", R.contactPointList).then((r) => r.body ?? [])
      : Promise.resolve([] as Obj[]),
  ]);

  // Folders.
  if (has("folders")) {
    const byUid = new Map(desired.folders.map((f) => [f.uid, f]));
    await each(
      desired.folders,
      async (f) => {
        try {
          const live = await client.json<Obj>("GET", `/api/folders/${enc(f.uid)}`, R.folder, { allow: [404] });
          planFolder(f, live.body);
        } catch (e) {
          folderTask.set(f.uid, failedRead(tasks.foldersUpsert, "folders", f.uid, f.title, e));
        }
      },
      readProgress,
    );
    // Parents first: a folder waits for its parent's task when the build declares the parent.
    for (const f of desired.folders) {
      const t = folderTask.get(f.uid);
      const parent = f.parentUid ? folderTask.get(f.parentUid) : undefined;
      if (t && parent && byUid.has(f.parentUid!)) t.deps.push(parent);
    }
  }
  function planFolder(f: DesiredFolder, live: Obj | undefined): void {
    const item: ItemResult = { kind: "folders", id: f.uid, title: f.title, status: "planned" };
    if (!live) {
      item.op = "create";
      folderTask.set(f.uid, task(tasks.foldersUpsert, item, () => createFolder(f)));
      return;
    }
    const changes = compare(normFolder(f), normFolder(live as { title?: unknown; parentUid?: unknown }));
    folderTask.set(f.uid, compared(tasks.foldersUpsert, item, changes, () => updateFolder(f, live)));
  }
  async function createFolder(f: DesiredFolder): Promise<void> {
    const body: Obj = { uid: f.uid, title: f.title };
    if (f.parentUid) body.parentUid = f.parentUid;
    const res = await client.request("POST", "/api/folders", { body, schema: R.folder });
    if (res.status >= 200 && res.status < 300) return;
    if (res.status === 409) {
      // An earlier attempt may have landed before its connection dropped: take what is there.
      const live = await client.json<Obj>("GET", `/api/folders/${enc(f.uid)}`, R.folder, { allow: [404] });
      if (live.body) return updateFolder(f, live.body);
    }
    throw toHttpError("POST", "/api/folders", res);
  }
  async function updateFolder(f: DesiredFolder, live: Obj, retried = false): Promise<void> {
    if (live.title !== f.title) {
      const path = `/api/folders/${enc(f.uid)}`;
      const res = await client.request("PUT", path, { body: { title: f.title, version: live.version }, schema: R.folder });
      if (res.status === 412 && !retried) {
        // Changed by someone else since we read it: read again and retry once, with the new version.
        const again = await client.json<Obj>("GET", path, R.folder);
        return updateFolder(f, again.body!, true);
      }
      if (res.status < 200 || res.status >= 300) throw toHttpError("PUT", path, res);
    }
    if ((live.parentUid || undefined) !== (f.parentUid || undefined)) {
      await client.json("POST", `/api/folders/${enc(f.uid)}/move`, R.folder, { body: { parentUid: f.parentUid ?? "" } });
    }
  }
  const folderDeps = (uid: string): Task[] => {
    const t = folderTask.get(uid);
    return t ? [t] : [];
  };

  // Datasources.
  if (has("datasources")) {
    await each(
      desired.datasources,
      async (d) => {
        try {
          const live = await client.json<Obj>("GET", `/api/datasources/uid/${enc(d.uid)}`, R.datasource, { allow: [404] });
          planDatasource(d, live.body);
        } catch (e) {
          failedRead(tasks.datasourcesUpsert, "datasources", d.uid, d.name, e);
        }
      },
      readProgress,
    );
    if (o.prune) {
      const want = new Set(desired.datasources.map((d) => d.uid));
      for (const ds of liveDatasources) {
        if (!isOwnedDatasource(ds) || want.has(String(ds.uid))) continue;
        const uid = String(ds.uid);
        task(
          tasks.datasourcesDelete,
          { kind: "datasources", id: uid, title: String(ds.name ?? ""), op: "delete", status: "planned", note: "stamped, no longer in the build" },
          async () => {
            await client.json("DELETE", `/api/datasources/uid/${enc(uid)}`, R.ack, { allow: [404] });
          },
        );
      }
    }
  }
  function planDatasource(d: DesiredDatasource, live: Obj | undefined): void {
    const item: ItemResult = { kind: "datasources", id: d.uid, title: d.name, status: "planned" };
    if (!live) {
      item.op = "create";
      task(tasks.datasourcesUpsert, item, () => createDatasource(d));
      return;
    }
    const changes = compare(normDatasource(d as DesiredDatasource & Obj, false), normDatasource(live, true));
    if (changes.length === 0 && o.rewriteSecrets && d.secureJsonData) changes.push("secureJsonData (--rewrite-secrets)");
    compared(tasks.datasourcesUpsert, item, changes, () => updateDatasource(d, live));
  }
  async function createDatasource(d: DesiredDatasource): Promise<void> {
    const res = await client.request("POST", "/api/datasources", { body: d, schema: R.ack });
    if (res.status >= 200 && res.status < 300) return;
    if (res.status === 409) {
      // Either an earlier attempt landed (same uid is there now), or another datasource holds the name.
      const live = await client.json<Obj>("GET", `/api/datasources/uid/${enc(d.uid)}`, R.datasource, { allow: [404] });
      if (live.body) {
        if (compare(normDatasource(d as DesiredDatasource & Obj, false), normDatasource(live.body, true)).length === 0) return;
        return updateDatasource(d, live.body);
      }
    }
    throw toHttpError("POST", "/api/datasources", res);
  }
  async function updateDatasource(d: DesiredDatasource, live: Obj): Promise<void> {
    await client.json("PUT", `/api/datasources/uid/${enc(d.uid)}`, R.ack, { body: { ...d, version: live.version } });
  }

  // Dashboards.
  if (has("dashboards")) {
    const want = new Map(desired.dashboards.map((d) => [d.uid, d]));
    const hitsByUid = new Map(dashHits.map((h) => [String(h.uid), h]));
    const toDelete = new Set<string>();
    if (o.prune) {
      for (const h of dashHits) {
        const uid = String(h.uid);
        if (!isOwnedDashboardTags(h.tags) || want.has(uid)) continue;
        toDelete.add(uid);
        task(
          tasks.dashboardsDelete,
          { kind: "dashboards", id: uid, title: String(h.title ?? ""), op: "delete", status: "planned", note: "stamped, no longer in the build" },
          async () => {
            await client.json("DELETE", `/api/dashboards/uid/${enc(uid)}`, R.ack, { allow: [404] });
          },
        );
      }
    }
    await each(
      desired.dashboards,
      async (d) => {
        // Grafana overwrites a dashboard with the same title in the same folder when overwrite is
        // set, whatever its uid: refuse rather than clobber one that is not ours to replace.
        const clash = dashHits.find(
          (h) => h.title === d.title && String(h.folderUid ?? "") === d.folderUid && String(h.uid) !== d.uid && !toDelete.has(String(h.uid)),
        );
        if (clash) {
          task(tasks.dashboardsUpsert, {
            kind: "dashboards",
            id: d.uid,
            title: d.title,
            status: "failed",
            error: `the title "${d.title}" is already used by dashboard ${String(clash.uid)} in this folder${
              isOwnedDashboardTags(clash.tags) ? " (stamped: --prune would remove it)" : ""
            }; saving would overwrite it`,
          });
          return;
        }
        if (!hitsByUid.has(d.uid)) {
          // Absent from the search listing: nothing to read.
          planDashboard(d, undefined);
          return;
        }
        try {
          const live = await client.json<{ dashboard: Obj; meta: Obj }>("GET", `/api/dashboards/uid/${enc(d.uid)}`, R.dashboard, { allow: [404] });
          planDashboard(d, live.body);
        } catch (e) {
          failedRead(tasks.dashboardsUpsert, "dashboards", d.uid, d.title, e);
        }
      },
      readProgress,
    );
  }
  function planDashboard(d: DesiredDashboard, live: { dashboard: Obj; meta: Obj } | undefined): void {
    const item: ItemResult = { kind: "dashboards", id: d.uid, title: d.title, status: "planned" };
    const run = async () => {
      await client.json("POST", "/api/dashboards/db", R.dashboardSaved, {
        body: { dashboard: { ...d.model, id: null }, folderUid: d.folderUid, overwrite: true, message: o.message },
      });
    };
    if (!live) {
      item.op = "create";
      task(tasks.dashboardsUpsert, item, run, folderDeps(d.folderUid));
      return;
    }
    const changes = compare(
      normDashboard(d.model, d.folderUid),
      normDashboard(live.dashboard, String(live.meta?.folderUid ?? "")),
    ).map((p) => p.replace(/^model\./, ""));
    compared(tasks.dashboardsUpsert, item, changes, run, folderDeps(d.folderUid));
  }

  // Contact points (before rule groups and the policy, which name them).
  if (has("contact-points")) {
    const byUid = new Map(liveContactPoints.map((c) => [String(c.uid), c]));
    for (const c of desired.contactPoints) {
      const live = byUid.get(c.uid);
      const item: ItemResult = { kind: "contact-points", id: c.uid, title: c.name, status: "planned" };
      if (!live) {
        item.op = "create";
        task(tasks.contactPoints, item, () => createContactPoint(c));
        continue;
      }
      const changes = compare(normContactPoint(c as DesiredContactPoint & Obj, live.settings as Obj), normContactPoint(live));
      const redacted = Object.values((live.settings as Obj) ?? {}).includes(REDACTED);
      if (changes.length === 0 && o.rewriteSecrets && redacted) changes.push("settings (--rewrite-secrets)");
      compared(tasks.contactPoints, item, changes, async () => {
        await client.json("PUT", `/api/v1/provisioning/contact-points/${enc(c.uid)}`, R.ack, { body: c, headers: provenanceHeaders });
      });
    }
  }
  async function createContactPoint(c: DesiredContactPoint): Promise<void> {
    const res = await client.request("POST", "/api/v1/provisioning/contact-points", { body: c, headers: provenanceHeaders, schema: R.contactPointSaved });
    if (res.status >= 200 && res.status < 300) return;
    if (res.status === 400 || res.status === 409) {
      // A retried create whose first attempt landed: update it in place instead.
      const list = await client.json<Obj[]>("GET", "/api/v1/provisioning/contact-points", R.contactPointList);
      if ((list.body ?? []).some((x) => x.uid === c.uid)) {
        await client.json("PUT", `/api/v1/provisioning/contact-points/${enc(c.uid)}`, R.ack, { body: c, headers: provenanceHeaders });
        return;
      }
    }
    throw toHttpError("POST", "/api/v1/provisioning/contact-points", res);
  }
  const contactPointDeps = tasks.contactPoints.filter((t) => t.run);

  // Rule groups.
  if (has("rule-groups")) {
    const wantRule = new Set(desired.ruleGroups.flatMap((g) => g.rules.map((r) => r.uid)));
    await each(
      desired.ruleGroups,
      async (g) => {
        const path = `/api/v1/provisioning/folder/${enc(g.folderUid)}/rule-groups/${enc(g.title)}`;
        try {
          const live = await client.json<Obj>("GET", path, R.ruleGroup, { allow: [404] });
          planRuleGroup(g, path, live.body, wantRule);
        } catch (e) {
          failedRead(tasks.ruleGroupsUpsert, "rule-groups", `${g.folderUid}/${g.title}`, g.title, e);
        }
      },
      readProgress,
    );
    if (o.prune) {
      const wantGroup = new Set(desired.ruleGroups.map((g) => `${g.folderUid}\u0000${g.title}`));
      const stale = new Map<string, Obj[]>();
      for (const r of liveRules) {
        const key = `${String(r.folderUID)}\u0000${String(r.ruleGroup)}`;
        if (wantGroup.has(key) || wantRule.has(String(r.uid))) continue;
        if (!stale.has(key)) stale.set(key, []);
        stale.get(key)!.push(r);
      }
      for (const [key, rules] of stale) {
        const owned = rules.filter((r) => isOwnedRule(r as { annotations?: Record<string, string> }));
        if (owned.length === 0) continue;
        const [folderUid, group] = key.split("\u0000");
        const kept = rules.length - owned.length;
        task(
          tasks.ruleGroupsDelete,
          {
            kind: "rule-groups",
            id: `${folderUid}/${group}`,
            title: group,
            op: "delete",
            status: "planned",
            note: `${owned.length} stamped rule${owned.length > 1 ? "s" : ""} deleted${kept ? `, ${kept} unstamped kept` : ""}`,
          },
          async () => {
            const errors: string[] = [];
            await each(owned, async (r) => {
              try {
                await client.json("DELETE", `/api/v1/provisioning/alert-rules/${enc(String(r.uid))}`, R.empty, {
                  allow: [404],
                  headers: provenanceHeaders,
                });
              } catch (e) {
                if (isFatal(e)) throw e;
                errors.push(errMessage(e));
              }
            });
            if (errors.length) throw new Error(errors.join("; "));
          },
        );
      }
    }
  }
  function planRuleGroup(g: DesiredRuleGroup, path: string, live: Obj | undefined, wantRule: Set<string>): void {
    const id = `${g.folderUid}/${g.title}`;
    const item: ItemResult = { kind: "rule-groups", id, title: g.title, status: "planned" };
    const liveRulesInGroup = ((live?.rules as Obj[]) ?? []).filter((r) => !g.rules.some((d) => d.uid === r.uid));
    // A group PUT replaces the whole group: keep the rules we must not remove.
    const keep: Obj[] = [];
    let dropped = 0;
    for (const r of liveRulesInGroup) {
      // Moving to another group of the build: that group's PUT takes it.
      if (wantRule.has(String(r.uid))) continue;
      if (o.prune && isOwnedRule(r as { annotations?: Record<string, string> })) dropped++;
      else keep.push(stripRule(r));
    }
    const body = {
      title: g.title,
      folderUid: g.folderUid,
      interval: g.interval,
      rules: [...g.rules, ...(keep as unknown as ApiAlertRule[])],
    };
    const routed = g.rules.some((r) => r.notification_settings);
    const deps = [...folderDeps(g.folderUid), ...(routed ? contactPointDeps : [])];
    const run = async () => {
      await client.json("PUT", path, R.ruleGroup, { body, headers: provenanceHeaders });
    };
    if (keep.length) item.note = `${keep.length} rule${keep.length > 1 ? "s" : ""} not in the build kept`;
    if (dropped) item.note = [item.note, `${dropped} stamped rule${dropped > 1 ? "s" : ""} removed`].filter(Boolean).join("; ");
    if (!live) {
      item.op = "create";
      task(tasks.ruleGroupsUpsert, item, run, deps);
      return;
    }
    const changes = compare(normRuleGroup(body), normRuleGroup(live));
    compared(tasks.ruleGroupsUpsert, item, changes, run, deps);
  }

  // Notification policy.
  if (has("policies") && desired.policy) {
    try {
      const live = await client.json<Obj>("GET", "/api/v1/provisioning/policies", R.policy);
      const item: ItemResult = { kind: "policies", id: "root", title: String(desired.policy.receiver ?? ""), status: "planned" };
      const changes = compare(normPolicy(desired.policy), normPolicy(live.body ?? {}));
      item.op = changes.length ? "update" : "unchanged";
      if (changes.length) item.changes = changes;
      task(
        tasks.policy,
        item,
        changes.length
          ? async () => {
              await client.json("PUT", "/api/v1/provisioning/policies", R.ack, { body: desired.policy, headers: provenanceHeaders });
            }
          : undefined,
        contactPointDeps,
      );
    } catch (e) {
      failedRead(tasks.policy, "policies", "root", undefined, e);
    }
  }

  // Folders to prune: not in the build, and nothing left in them once this run's deletions are done.
  if (o.prune && has("folders")) {
    const wantFolder = new Set(desired.folders.map((f) => f.uid));
    const deletedDash = new Set(tasks.dashboardsDelete.map((t) => t.item.id));
    const deletingGroups = tasks.ruleGroupsDelete.filter((t) => !t.item.note?.includes("unstamped kept"));
    const emptiedByRules = new Set(deletingGroups.map((t) => t.item.id.split("/")[0]));
    const dashByFolder = new Map<string, Obj[]>();
    for (const h of dashHits) {
      const f = String(h.folderUid ?? "");
      if (!dashByFolder.has(f)) dashByFolder.set(f, []);
      dashByFolder.get(f)!.push(h);
    }
    const ruleFolderHasKept = new Set(
      liveRules
        .filter((r) => !deletingGroups.some((t) => t.item.id === `${String(r.folderUID)}/${String(r.ruleGroup)}`))
        .map((r) => String(r.folderUID)),
    );
    const children = new Map<string, string[]>();
    for (const f of folderHits) {
      const parent = String(f.folderUid ?? "");
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent)!.push(String(f.uid));
    }
    const verdict = new Map<string, { empty: boolean; emptiedByUs: boolean }>();
    const judge = (uid: string, seen = new Set<string>()): { empty: boolean; emptiedByUs: boolean } => {
      if (verdict.has(uid)) return verdict.get(uid)!;
      if (seen.has(uid)) return { empty: false, emptiedByUs: false };
      seen.add(uid);
      const dashes = dashByFolder.get(uid) ?? [];
      let empty = !wantFolder.has(uid) && dashes.every((h) => deletedDash.has(String(h.uid))) && !ruleFolderHasKept.has(uid);
      let emptiedByUs = dashes.length > 0 || emptiedByRules.has(uid);
      for (const c of children.get(uid) ?? []) {
        const v = judge(c, seen);
        empty &&= v.empty && v.emptiedByUs;
        emptiedByUs ||= v.emptiedByUs;
      }
      const out = { empty, emptiedByUs };
      verdict.set(uid, out);
      return out;
    };
    const byDepth: { uid: string; title: string; depth: number }[] = [];
    const depth = (uid: string): number => {
      const hit = folderHits.find((f) => String(f.uid) === uid);
      const parent = hit ? String(hit.folderUid ?? "") : "";
      return parent ? 1 + depth(parent) : 0;
    };
    for (const f of folderHits) {
      const uid = String(f.uid);
      const v = judge(uid);
      if (v.empty && v.emptiedByUs) byDepth.push({ uid, title: String(f.title ?? ""), depth: depth(uid) });
    }
    // Children before parents; each waits for every deletion that empties it.
    byDepth.sort((a, b) => b.depth - a.depth);
    const folderDelete = new Map<string, Task>();
    for (const f of byDepth) {
      const deps = [
        ...tasks.dashboardsDelete.filter((t) => (dashByFolder.get(f.uid) ?? []).some((h) => String(h.uid) === t.item.id)),
        ...tasks.ruleGroupsDelete.filter((t) => t.item.id.startsWith(`${f.uid}/`)),
        ...(children.get(f.uid) ?? []).map((c) => folderDelete.get(c)).filter((t): t is Task => !!t),
      ];
      const t = task(
        tasks.foldersDelete,
        { kind: "folders", id: f.uid, title: f.title, op: "delete", status: "planned", note: "emptied of stamped objects, no longer in the build" },
        async () => {
          // Deleting a folder deletes everything in it: check, right before, that it is empty now.
          const sub = await client.json<Obj[]>("GET", `/api/folders?parentUid=${enc(f.uid)}&limit=1`, R.folderList);
          const dashes = await client.json<Obj[]>("GET", `/api/search?type=dash-db&folderUIDs=${enc(f.uid)}&limit=1`, R.search);
          if ((sub.body ?? []).length || (dashes.body ?? []).length) {
            throw new Error("not deleted: the folder is not empty (something was added since it was read)");
          }
          // forceDeleteRules=false: Grafana refuses if alert rules are still in it.
          await client.json("DELETE", `/api/folders/${enc(f.uid)}?forceDeleteRules=false`, R.ack, { allow: [404] });
        },
        deps,
      );
      folderDelete.set(f.uid, t);
    }
  }

  const order: Task[][] = [
    tasks.foldersUpsert,
    tasks.datasourcesUpsert,
    tasks.dashboardsDelete,
    tasks.dashboardsUpsert,
    tasks.contactPoints,
    tasks.ruleGroupsUpsert,
    tasks.ruleGroupsDelete,
    tasks.policy,
    tasks.foldersDelete,
    tasks.datasourcesDelete,
  ];
  // Stable output: reads finish in any order.
  for (const phase of order) phase.sort((a, b) => a.item.id.localeCompare(b.item.id));
  const all = order.flat();

  if (o.dryRun) return { items: all.map((t) => t.item) };

  // ---- Applying ---------------------------------------------------------------------------------
  const writes = all.filter((t) => t.run).length;
  let applied = 0;
  let aborted: string | undefined;
  const start = (t: Task): Promise<boolean> => {
    t.done ??= (async () => {
      const depsOk = await Promise.all(t.deps.map(start));
      if (t.item.status === "failed") return false;
      if (!t.run) {
        t.item.status = t.item.op === "unchanged" ? "unchanged" : t.item.status;
        return true;
      }
      const failedDep = t.deps.find((_, i) => !depsOk[i]);
      if (failedDep) {
        t.item.status = "failed";
        t.item.error = `not attempted: ${failedDep.item.kind} ${failedDep.item.id} failed`;
        o.onProgress?.("applying", ++applied, writes);
        return false;
      }
      if (client.unauthorized) aborted ??= CREDENTIALS_GONE;
      if (aborted) {
        t.item.status = "failed";
        t.item.error = client.unauthorized ? "not attempted: credentials rejected (401)" : "not attempted: the push stopped";
        o.onProgress?.("applying", ++applied, writes);
        return false;
      }
      try {
        await t.run();
        t.item.status = statusFor(t.item.op!);
        return true;
      } catch (e) {
        t.item.status = "failed";
        t.item.error = errMessage(e);
        if (e instanceof CredentialsRejected) aborted ??= CREDENTIALS_GONE;
        else if (isFatal(e)) {
          aborted ??= `${e.message}; remaining writes were not attempted`;
          // Writes already waiting for a connection slot must not go out either.
          client.stop();
        }
        return false;
      } finally {
        o.onProgress?.("applying", ++applied, writes);
      }
    })();
    return t.done;
  };
  // Phases in order; inside a phase everything runs at once (bounded by the client).
  for (const phase of order) await Promise.all(phase.map(start));
  return { items: all.map((t) => t.item), aborted };
}

function statusFor(op: Op): ItemResult["status"] {
  return op === "create" ? "created" : op === "update" ? "updated" : op === "delete" ? "deleted" : "unchanged";
}

/** A live rule as it can be sent back in a group PUT. */
function stripRule(r: Obj): Obj {
  const { id: _id, updated: _u, provenance: _p, orgID: _o, ...rest } = r;
  return rest;
}

/** Every hit of /api/search for one type, page by page. */
async function searchAll(client: GrafanaClient, type: "dash-db" | "dash-folder"): Promise<Obj[]> {
  const limit = 5000;
  const out: Obj[] = [];
  for (let page = 1; ; page++) {
    const res = await client.json<Obj[]>("GET", `/api/search?type=${type}&limit=${limit}&page=${page}`, R.search);
    const hits = res.body ?? [];
    out.push(...hits);
    if (hits.length < limit) return out;
  }
}
