// --prune for folders: a folder not in the build is deleted only when this run's own deletions
// emptied it (see ../ownership.ts), children before parents, each after what empties it. Planned
// last, since it reads the deletions every other planner made.
import { enc, type Obj, type Plan, type Planner, type Task } from "../plan.js";
import { RESPONSES as R } from "../responses.js";
import { DASHBOARDS_DELETE } from "./dashboards.js";
import { RULE_GROUPS_DELETE } from "./ruleGroups.js";

const FOLDERS_DELETE = "folders-delete";

interface Verdict {
  empty: boolean;
  emptiedByUs: boolean;
}

export const folderPrune: Planner = {
  kind: "folders",
  phases: { [FOLDERS_DELETE]: 90 },
  enabled: (o) => o.prune,
  listings: (o) => (o.kinds.has("dashboards") || o.kinds.has("rule-groups") ? ["folders", "alertRules"] : []),
  async plan(p) {
    const dashHits = p.listing("dashboards");
    const folderHits = p.listing("folders");
    const liveRules = p.listing("alertRules");
    const wantFolder = new Set(p.desired.folders.map((f) => f.uid));
    const dashDeletes = p.tasks(DASHBOARDS_DELETE);
    const deletedDash = new Set(dashDeletes.map((t) => t.item.id));
    const deletingGroups = p.tasks(RULE_GROUPS_DELETE).filter((t) => !t.item.note?.includes("unstamped kept"));
    const emptiedByRules = new Set(deletingGroups.map((t) => t.item.id.split("/")[0]));
    const dashByFolder = groupBy(dashHits, (h) => String(h.folderUid ?? ""));
    const ruleFolderHasKept = new Set(
      liveRules
        .filter((r) => !deletingGroups.some((t) => t.item.id === `${String(r.folderUID)}/${String(r.ruleGroup)}`))
        .map((r) => String(r.folderUID)),
    );
    const children = new Map<string, string[]>();
    for (const [parent, hits] of groupBy(folderHits, (f) => String(f.folderUid ?? ""))) children.set(parent, hits.map((f) => String(f.uid)));

    const verdict = new Map<string, Verdict>();
    const judge = (uid: string, seen = new Set<string>()): Verdict => {
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
    const depth = (uid: string): number => {
      const hit = folderHits.find((f) => String(f.uid) === uid);
      const parent = hit ? String(hit.folderUid ?? "") : "";
      return parent ? 1 + depth(parent) : 0;
    };
    const doomed: { uid: string; title: string; depth: number }[] = [];
    for (const f of folderHits) {
      const uid = String(f.uid);
      const v = judge(uid);
      if (v.empty && v.emptiedByUs) doomed.push({ uid, title: String(f.title ?? ""), depth: depth(uid) });
    }
    // Children before parents; each waits for every deletion that empties it.
    doomed.sort((a, b) => b.depth - a.depth);
    for (const f of doomed) {
      const deps = [
        ...dashDeletes.filter((t) => (dashByFolder.get(f.uid) ?? []).some((h) => String(h.uid) === t.item.id)),
        ...p.tasks(RULE_GROUPS_DELETE).filter((t) => t.item.id.startsWith(`${f.uid}/`)),
        ...(children.get(f.uid) ?? []).map((c) => p.find(FOLDERS_DELETE, c)).filter((t): t is Task => !!t),
      ];
      p.add(
        FOLDERS_DELETE,
        { kind: "folders", id: f.uid, title: f.title, op: "delete", status: "planned", note: "emptied of stamped objects, no longer in the build" },
        () => deleteIfEmpty(p, f.uid),
        deps,
      );
    }
  },
};

async function deleteIfEmpty(p: Plan, uid: string): Promise<void> {
  // Deleting a folder deletes everything in it: check, right before, that it is empty now.
  const sub = await p.client.json<Obj[]>("GET", `/api/folders?parentUid=${enc(uid)}&limit=1`, R.folderList);
  const dashes = await p.client.json<Obj[]>("GET", `/api/search?type=dash-db&folderUIDs=${enc(uid)}&limit=1`, R.search);
  if ((sub.body ?? []).length || (dashes.body ?? []).length) {
    throw new Error("not deleted: the folder is not empty (something was added since it was read)");
  }
  // forceDeleteRules=false: Grafana refuses if alert rules are still in it.
  await p.client.json("DELETE", `/api/folders/${enc(uid)}?forceDeleteRules=false`, R.ack, { allow: [404] });
}

function groupBy(items: Obj[], key: (o: Obj) => string): Map<string, Obj[]> {
  const out = new Map<string, Obj[]>();
  for (const i of items) {
    const k = key(i);
    if (!out.has(k)) out.set(k, []);
    out.get(k)!.push(i);
  }
  return out;
}
