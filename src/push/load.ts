// Reads a build tree (a directory, or the in-memory files of runBuild({ write: false })) and turns
// it into the desired state in the HTTP API's shapes. Paths are relative to the build root:
//
//   grafana/provisioning/datasources/datasources.yaml        datasources
//   grafana/provisioning/dashboards/dashboards.yaml          providers: one folder each
//   grafana/provisioning/dashboards/<folderUid>/<uid>.json   dashboards (a .json directly under
//                                                            dashboards/ goes to the root level)
//   grafana/provisioning/alerting/*.yaml                     groups, contactPoints, policies
//
// dashboards.yaml may also carry a top-level `folders: [{uid, title, parentUid}]` list (Grafana's
// provisioning ignores unknown keys) to declare nested folders or folders with no dashboards.
//
// Environment variables are expanded as Grafana expands them when it reads these files, by the one
// rule of src/tree/dollars.ts: every value except alert rule annotations and query models.
import { existsSync, readFileSync } from "node:fs";
import { folderUidForTitle } from "../alerting/grafana.js";
import { join } from "node:path";
import { invalidUtf8Offset } from "../pipeline/sources.mjs";
import { readTree, type UnreadableFile } from "../tree/read.js";
import { parse as parseYaml } from "yaml";
import { createExpander, expandDeep, type Env, type Expander } from "../emit/grafanaEnv.js";
import { alertRuleAsGrafanaReads } from "../tree/dollars.js";
import { EXIT, type ExitCode } from "../errors.js";
import { formatDuration, parseDurationSeconds } from "./duration.js";
import { stampAnnotations, stampDashboard, stampJsonData } from "./ownership.js";
import type {
  ApiAlertRule,
  BuildFile,
  DesiredContactPoint,
  DesiredDashboard,
  DesiredDatasource,
  DesiredFolder,
  DesiredRuleGroup,
  DesiredState,
} from "./types.js";

export const TREE = {
  datasources: "grafana/provisioning/datasources/",
  dashboards: "grafana/provisioning/dashboards/",
  providers: "grafana/provisioning/dashboards/dashboards.yaml",
  alerting: "grafana/provisioning/alerting/",
} as const;

export class LoadError extends Error {
  constructor(
    readonly problems: string[],
    /** 1: the tree's files are invalid; 2: the path given names no build at all. */
    readonly exitCode: ExitCode = EXIT.invalid,
  ) {
    super(problems.join("\n"));
    this.name = "LoadError";
  }
}

/** Every file under grafana/provisioning/ of a build directory, read by the shared tree reader. */
export async function readBuildDir(root: string): Promise<BuildFile[]> {
  const unreadable: UnreadableFile[] = [];
  const out = readTree(join(root, "grafana", "provisioning"), unreadable).map((f) => ({ path: `grafana/provisioning/${f.path}`, content: f.content }));
  const first = unreadable[0];
  // A file system refusal propagates (the command names it, exit 3); bad content is the tree's fault.
  if (first?.error) throw first.error;
  if (first) {
    const path = `grafana/provisioning/${first.path}`;
    throw new LoadError([first.utf8Offset !== undefined ? `${path}: not valid UTF-8 at byte ${first.utf8Offset}` : `${path}: ${first.message}`]);
  }
  if (out.length === 0) throw new LoadError([`${root}: no grafana/provisioning/ tree found (run npm run build first)`], EXIT.usage);
  // Folder permissions and teams live beside provisioning/ (Grafana's file provider must not read them).
  const access = join(root, "grafana", "access.json");
  if (existsSync(access)) out.push({ path: "grafana/access.json", content: readFileSync(access, "utf8") });
  return out;
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence, or -1. */
export const firstInvalidUtf8: (bytes: Uint8Array) => number = invalidUtf8Offset;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);
const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

export function parseBuild(files: BuildFile[], env: Env): DesiredState {
  const problems: string[] = [];
  const warnings: string[] = [];
  const ex = createExpander(env);
  const orgIds = new Set<number>();
  const state: DesiredState = {
    folders: [],
    datasources: [],
    dashboards: [],
    ruleGroups: [],
    contactPoints: [],
    orgIds: [],
    secrets: [],
    warnings,
  };
  const noteOrg = (v: unknown) => {
    if (v !== undefined && v !== null && v !== "") orgIds.add(Number(v));
  };
  const yamlDoc = (f: BuildFile): Obj | undefined => {
    try {
      const doc = parseYaml(f.content);
      if (doc === null || doc === undefined) return undefined;
      if (!isObj(doc)) {
        problems.push(`${f.path}: not a YAML mapping`);
        return undefined;
      }
      return doc;
    } catch (e) {
      problems.push(`${f.path}: invalid YAML: ${(e as Error).message.split("\n")[0]}`);
      return undefined;
    }
  };

  const sorted = [...files].sort((a, b) => a.path.localeCompare(b.path));
  const folders = new Map<string, DesiredFolder>();
  const addFolder = (f: DesiredFolder, where: string) => {
    const prev = folders.get(f.uid);
    if (prev && prev.title !== f.title) problems.push(`${where}: folder ${f.uid} has two titles: "${prev.title}" and "${f.title}"`);
    folders.set(f.uid, { ...prev, ...f, parentUid: f.parentUid ?? prev?.parentUid });
  };

  // Datasources.
  for (const f of sorted.filter((f) => f.path.startsWith(TREE.datasources) && /\.ya?ml$/.test(f.path))) {
    const doc = yamlDoc(f);
    if (!doc) continue;
    const list = doc.datasources;
    if (list !== undefined && !Array.isArray(list)) {
      problems.push(`${f.path}: datasources must be a list`);
      continue;
    }
    (list ?? []).forEach((raw: unknown, i: number) => {
      const where = `${f.path} datasources[${i}]`;
      if (!isObj(raw)) return problems.push(`${where}: not a mapping`);
      const { secureJsonData, password, basicAuthPassword, ...plain } = raw;
      const d = expandDeep(plain, ex, where) as Obj;
      ex.secret = true;
      const secure = isObj(secureJsonData) ? (expandDeep(secureJsonData, ex, `${where}.secureJsonData`) as Obj) : {};
      // Grafana still reads the old top-level password fields into secureJsonData.
      if (password !== undefined) secure.password ??= ex.expand(String(password), `${where}.password`);
      if (basicAuthPassword !== undefined) secure.basicAuthPassword ??= ex.expand(String(basicAuthPassword), `${where}.basicAuthPassword`);
      ex.secret = false;
      noteOrg(d.orgId);
      const name = str(d.name);
      const uid = str(d.uid);
      if (!name || !str(d.type)) return problems.push(`${where}: name and type are required`);
      if (!uid) return problems.push(`${where} (${name}): a uid is required to push (it is how the live datasource is found)`);
      const ds: DesiredDatasource = {
        uid,
        name,
        type: String(d.type),
        access: str(d.access) ?? "proxy",
        url: str(d.url),
        user: str(d.user),
        database: str(d.database),
        isDefault: d.isDefault === true || d.isDefault === "true",
        basicAuth: d.basicAuth === true || d.basicAuth === "true",
        basicAuthUser: str(d.basicAuthUser),
        withCredentials: d.withCredentials === true || d.withCredentials === "true",
        jsonData: stampJsonData(isObj(d.jsonData) ? d.jsonData : {}),
      };
      const secureStrings = Object.fromEntries(Object.entries(secure).map(([k, v]) => [k, String(v)]));
      if (Object.keys(secureStrings).length) ds.secureJsonData = secureStrings;
      if (state.datasources.some((x) => x.uid === uid)) return problems.push(`${where}: duplicate datasource uid ${uid}`);
      state.datasources.push(ds);
    });
  }

  // Dashboard providers: one folder each.
  const providersFile = sorted.find((f) => f.path === TREE.providers);
  const providerFolderByDir = new Map<string, string>();
  if (providersFile) {
    const doc = yamlDoc(providersFile);
    if (doc) {
      const expanded = expandDeep(doc, ex, providersFile.path) as Obj;
      const providers = Array.isArray(expanded.providers) ? expanded.providers : [];
      providers.forEach((p: unknown, i: number) => {
        const where = `${providersFile.path} providers[${i}]`;
        if (!isObj(p)) return problems.push(`${where}: not a mapping`);
        noteOrg(p.orgId);
        const title = str(p.folder) ?? "";
        const uid = str(p.folderUid) ?? "";
        if (!title && !uid) return; // the root level ("General")
        if (!uid) return problems.push(`${where}: folder "${title}" needs a folderUid to be pushed`);
        addFolder({ uid, title: title || uid }, where);
        const path = isObj(p.options) ? str(p.options.path) : undefined;
        if (path) providerFolderByDir.set(path.replace(/\/+$/, "").split("/").pop()!, uid);
      });
      const extra = Array.isArray(expanded.folders) ? expanded.folders : [];
      extra.forEach((x: unknown, i: number) => {
        const where = `${providersFile.path} folders[${i}]`;
        if (!isObj(x) || !str(x.uid) || !str(x.title)) return problems.push(`${where}: uid and title are required`);
        addFolder({ uid: String(x.uid), title: String(x.title), parentUid: str(x.parentUid) || undefined }, where);
      });
    }
  }

  // Dashboards.
  for (const f of sorted.filter((f) => f.path.startsWith(TREE.dashboards) && f.path.endsWith(".json"))) {
    const rest = f.path.slice(TREE.dashboards.length).split("/");
    if (rest.length > 2) {
      problems.push(`${f.path}: dashboards are expected at dashboards/<folderUid>/<uid>.json`);
      continue;
    }
    let model: Obj;
    try {
      const parsed = JSON.parse(f.content);
      if (!isObj(parsed)) throw new Error("not a JSON object");
      model = parsed;
    } catch (e) {
      problems.push(`${f.path}: invalid JSON: ${(e as Error).message}`);
      continue;
    }
    const dir = rest.length === 2 ? rest[0] : "";
    const folderUid = dir ? (folders.has(dir) ? dir : (providerFolderByDir.get(dir) ?? dir)) : "";
    if (folderUid && !folders.has(folderUid)) {
      warnings.push(`${f.path}: folder ${folderUid} is not declared by dashboards.yaml; it must already exist in Grafana`);
    }
    const uid = str(model.uid);
    const title = str(model.title);
    if (!uid) {
      problems.push(`${f.path}: dashboard has no uid`);
      continue;
    }
    if (!title) {
      problems.push(`${f.path}: dashboard has no title`);
      continue;
    }
    const { id: _id, version: _version, ...clean } = model;
    if (state.dashboards.some((d) => d.uid === uid)) {
      problems.push(`${f.path}: duplicate dashboard uid ${uid}`);
      continue;
    }
    const d: DesiredDashboard = { uid, title, folderUid, model: stampDashboard(clean), file: f.path };
    state.dashboards.push(d);
  }

  // Alerting.
  const policies: Obj[] = [];
  for (const f of sorted.filter((f) => f.path.startsWith(TREE.alerting) && /\.(ya?ml|json)$/.test(f.path))) {
    const doc = yamlDoc(f);
    if (!doc) continue;
    for (const key of Object.keys(doc)) {
      if (!["apiVersion", "groups", "contactPoints", "policies"].includes(key)) {
        warnings.push(`${f.path}: "${key}" is not pushed (only groups, contactPoints and policies are)`);
      }
    }
    (Array.isArray(doc.groups) ? doc.groups : []).forEach((g: unknown, i: number) => {
      const where = `${f.path} groups[${i}]`;
      const group = parseGroup(g, where, ex, problems);
      if (!group) return;
      noteOrg((g as Obj).orgId);
      if (state.ruleGroups.some((x) => x.folderUid === group.folderUid && x.title === group.title)) {
        return problems.push(`${where}: rule group "${group.title}" in folder ${group.folderUid} is defined twice`);
      }
      state.ruleGroups.push({ ...group, file: f.path });
    });
    (Array.isArray(doc.contactPoints) ? doc.contactPoints : []).forEach((cp: unknown, i: number) => {
      const where = `${f.path} contactPoints[${i}]`;
      if (!isObj(cp)) return problems.push(`${where}: not a mapping`);
      noteOrg(cp.orgId);
      const name = str(ex.expand(String(cp.name ?? ""), where));
      if (!name) return problems.push(`${where}: name is required`);
      (Array.isArray(cp.receivers) ? cp.receivers : []).forEach((r: unknown, j: number) => {
        const rw = `${where}.receivers[${j}]`;
        if (!isObj(r)) return problems.push(`${rw}: not a mapping`);
        ex.secret = true;
        const e = expandDeep(r, ex, rw) as Obj;
        ex.secret = false;
        if (!str(e.uid)) return problems.push(`${rw} (${name}): a uid is required to push`);
        if (!str(e.type)) return problems.push(`${rw} (${name}): type is required`);
        const point: DesiredContactPoint = {
          uid: String(e.uid),
          name,
          type: String(e.type),
          settings: isObj(e.settings) ? e.settings : {},
          disableResolveMessage: e.disableResolveMessage === true || e.disableResolveMessage === "true",
        };
        if (state.contactPoints.some((x) => x.uid === point.uid)) return problems.push(`${rw}: duplicate receiver uid ${point.uid}`);
        state.contactPoints.push(point);
      });
    });
    (Array.isArray(doc.policies) ? doc.policies : []).forEach((p: unknown, i: number) => {
      const where = `${f.path} policies[${i}]`;
      if (!isObj(p)) return problems.push(`${where}: not a mapping`);
      noteOrg(p.orgId);
      const { orgId: _o, ...tree } = expandDeep(p, ex, where) as Obj;
      policies.push(tree);
    });
  }
  if (policies.length > 1) problems.push(`alerting: ${policies.length} notification policy trees; one organisation has exactly one`);
  if (policies.length) state.policy = policies[0];

  // A rule group's folder is a title: the declared folder of that title, else the folder the
  // alerting build names by a uid derived from the title (created here like any other folder).
  for (const g of state.ruleGroups) {
    const title = g.folderUid;
    const declared = [...folders.values()].find((f) => f.title === title);
    if (declared) g.folderUid = declared.uid;
    else {
      g.folderUid = folderUidForTitle(title);
      if (!folders.has(g.folderUid)) folders.set(g.folderUid, { uid: g.folderUid, title });
    }
    for (const r of g.rules) r.folderUID = g.folderUid;
  }
  state.folders = [...folders.values()];

  ex.check();
  if (problems.length) throw new LoadError(problems);
  state.orgIds = [...orgIds].filter((n) => Number.isFinite(n));
  state.secrets = [...ex.secretValues];
  return state;
}

function parseGroup(g: unknown, where: string, ex: Expander, problems: string[]): Omit<DesiredRuleGroup, "file"> | undefined {
  if (!isObj(g)) {
    problems.push(`${where}: not a mapping`);
    return undefined;
  }
  const title = ex.expand(String(g.name ?? ""), `${where}.name`).trim();
  // Grafana's file provisioning names the folder by title; the API wants its uid.
  const folderTitle = ex.expand(String(g.folder ?? ""), `${where}.folder`).trim();
  const folderUid = folderTitle;
  if (!title) problems.push(`${where}: rule group has no name`);
  if (!folderTitle) problems.push(`${where}: rule group has no folder (a folder title)`);
  let interval = 60;
  try {
    interval = parseDurationSeconds(ex.expand(String(g.interval ?? "1m"), `${where}.interval`));
  } catch (e) {
    problems.push(`${where}: interval: ${(e as Error).message}`);
  }
  const rules: ApiAlertRule[] = [];
  (Array.isArray(g.rules) ? g.rules : []).forEach((r: unknown, i: number) => {
    const rw = `${where}.rules[${i}]`;
    if (!isObj(r)) return problems.push(`${rw}: not a mapping`);
    // Annotations and query models come back as written: the one rule of src/tree/dollars.ts.
    const e = alertRuleAsGrafanaReads(r, (v, w) => ex.expand(v, w), rw);
    const { annotations, data } = e;
    const uid = str(e.uid);
    const ruleTitle = str(e.title);
    if (!ruleTitle) return problems.push(`${rw}: rule has no title`);
    if (!uid) return problems.push(`${rw} (${ruleTitle}): rule has no uid`);
    const rawAnnotations: Record<string, string> = isObj(annotations)
      ? Object.fromEntries(Object.entries(annotations).map(([k, v]) => [k, String(v)]))
      : {};
    const dashboardUid = str(e.dashboardUid) ?? str(e.dasboardUid);
    if (dashboardUid) rawAnnotations.__dashboardUid__ = dashboardUid;
    if (e.panelId !== undefined && e.panelId !== null && e.panelId !== "") rawAnnotations.__panelId__ = String(e.panelId);
    const queries = (Array.isArray(data) ? data : []).map((q: unknown, j: number) => {
      const { model, ...qe } = isObj(q) ? q : {};
      const rtr = isObj(qe.relativeTimeRange) ? qe.relativeTimeRange : {};
      const out: ApiAlertRule["data"][number] = {
        refId: String(qe.refId ?? ""),
        relativeTimeRange: { from: Number(rtr.from ?? 0), to: Number(rtr.to ?? 0) },
        datasourceUid: String(qe.datasourceUid ?? ""),
        model: isObj(model) ? model : {},
      };
      if (str(qe.queryType)) out.queryType = String(qe.queryType);
      return out;
    });
    if (queries.length === 0) problems.push(`${rw} (${ruleTitle}): rule has no data`);
    let forStr = "0s";
    try {
      forStr = formatDuration(parseDurationSeconds(str(e.for) || "0s"));
    } catch (err) {
      problems.push(`${rw}: for: ${(err as Error).message}`);
    }
    const rule: ApiAlertRule = {
      uid,
      title: ruleTitle,
      folderUID: folderUid,
      ruleGroup: title,
      condition: String(e.condition ?? ""),
      data: queries,
      // Grafana's file-provisioning defaults, made explicit so the API stores the same thing.
      noDataState: str(e.noDataState)?.trim() || "NoData",
      execErrState: str(e.execErrState)?.trim() || "Alerting",
      for: forStr,
      annotations: stampAnnotations(rawAnnotations),
      labels: isObj(e.labels) ? Object.fromEntries(Object.entries(e.labels).map(([k, v]) => [k, String(v)])) : {},
      isPaused: e.isPaused === true || e.isPaused === "true",
    };
    if (str(e.keepFiringFor)) rule.keep_firing_for = String(e.keepFiringFor);
    if (isObj(e.notification_settings)) rule.notification_settings = e.notification_settings;
    if (isObj(e.record)) rule.record = e.record;
    if (!rule.condition && !rule.record) problems.push(`${rw} (${ruleTitle}): rule has no condition`);
    rules.push(rule);
  });
  return { title, folderUid, interval, rules };
}
