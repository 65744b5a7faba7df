// Reads a built provisioning tree into comparable values keyed by identity: dashboards by uid,
// datasources by uid, rule groups by name. Formatting, key order and comments do not survive.
import { existsSync, statSync } from "node:fs";
import { asGrafanaReads } from "../emit/dollars.js";
import { parseTreeText, readTree } from "../tree/read.js";
import { DiffError } from "./errors.js";
import { isObject, type Json, type JsonObject } from "./values.js";

export interface DashboardDoc {
  uid: string;
  title: string;
  /** Folder the file is provisioned into: its directory under grafana/provisioning/dashboards. */
  folderUid: string;
  path: string;
  json: JsonObject;
}

export interface RuleGroupDoc {
  name: string;
  file: string;
  group: JsonObject;
}

export interface Tree {
  root: string;
  dashboards: Map<string, DashboardDoc>;
  /** Folder uid → provider entry. */
  folders: Map<string, JsonObject>;
  datasources: Map<string, { file: string; ds: JsonObject }>;
  /** Top-level settings of the datasource files other than the list (prune, deleteDatasources). */
  datasourceSettings: JsonObject;
  promRuleGroups: Map<string, RuleGroupDoc>;
  /** Grafana-managed alert rule groups, keyed "folder/name". */
  grafanaRuleGroups: Map<string, RuleGroupDoc>;
  /** Contact points, policies, templates, mute timings... merged over the alerting files. */
  grafanaAlerting: JsonObject;
  prometheus?: JsonObject;
  alertmanager?: JsonObject;
  /** Files no loader understands: path → content. */
  other: Map<string, string>;
  warnings: string[];
}

const DASHBOARDS = "grafana/provisioning/dashboards";
const DATASOURCES = "grafana/provisioning/datasources";
const ALERTING = "grafana/provisioning/alerting";
const PROM_RULES = "prometheus/rules";
/** Derived from the dashboards and alerts (an index for other tools): their changes are reported there. */
const DERIVED = new Set(["ops/dashboards.json"]);
const isYaml = (p: string) => /\.ya?ml$/i.test(p);
const under = (p: string, dir: string) => p.startsWith(dir + "/");

export function loadTree(root: string): Tree {
  const t: Tree = {
    root,
    dashboards: new Map(),
    folders: new Map(),
    datasources: new Map(),
    datasourceSettings: {},
    promRuleGroups: new Map(),
    grafanaRuleGroups: new Map(),
    grafanaAlerting: {},
    other: new Map(),
    warnings: [],
  };
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new DiffError(`${root} is not a directory`);
  for (const { path, content: text } of readTree(root)) {
    if (DERIVED.has(path)) continue;
    let doc: Json;
    try {
      const parsed = parseTreeText({ path, content: text });
      if (parsed === undefined) {
        t.other.set(path, text);
        continue;
      }
      // Compared as Grafana reads it: "$$" is a "$" where Grafana expands (src/emit/dollars.ts).
      doc = asGrafanaReads(path, parsed) as Json;
    } catch (e) {
      t.warnings.push(`${path}: cannot parse (${(e as Error).message.split("\n")[0]}); compared as text`);
      t.other.set(path, text);
      continue;
    }
    if (!loadDocument(t, path, doc)) t.other.set(path, text);
  }
  return t;
}

function loadDocument(t: Tree, path: string, doc: Json): boolean {
  if (under(path, DASHBOARDS) && path.endsWith(".json") && isObject(doc)) {
    const uid = typeof doc.uid === "string" && doc.uid ? doc.uid : path;
    const folderUid = path.slice(DASHBOARDS.length + 1).split("/").slice(0, -1).join("/");
    if (t.dashboards.has(uid)) t.warnings.push(`${path}: dashboard uid "${uid}" also in ${t.dashboards.get(uid)!.path}`);
    t.dashboards.set(uid, { uid, title: String(doc.title ?? ""), folderUid, path, json: doc });
    return true;
  }
  if (under(path, DASHBOARDS) && isYaml(path) && isObject(doc) && Array.isArray(doc.providers)) {
    for (const p of doc.providers) {
      if (!isObject(p)) continue;
      const options = isObject(p.options) ? p.options : {};
      const dir = typeof options.path === "string" ? options.path.split("/").filter(Boolean).pop() : undefined;
      const uid = String(p.folderUid ?? dir ?? p.name ?? "");
      t.folders.set(uid, p);
    }
    return true;
  }
  if (under(path, DATASOURCES) && isYaml(path) && isObject(doc)) {
    const d = doc;
    for (const ds of Array.isArray(d.datasources) ? d.datasources : []) {
      if (!isObject(ds)) continue;
      const uid = String(ds.uid ?? ds.name ?? "");
      t.datasources.set(uid, { file: path, ds });
    }
    for (const [k, v] of Object.entries(d)) if (k !== "datasources" && k !== "apiVersion") t.datasourceSettings[k] = v;
    return true;
  }
  if (under(path, PROM_RULES) && isYaml(path) && isObject(doc)) {
    for (const g of Array.isArray(doc.groups) ? doc.groups : []) {
      if (!isObject(g)) continue;
      const name = String(g.name ?? "");
      if (t.promRuleGroups.has(name)) t.warnings.push(`${path}: rule group "${name}" also in ${t.promRuleGroups.get(name)!.file}`);
      t.promRuleGroups.set(name, { name, file: path, group: g });
    }
    return true;
  }
  if (under(path, ALERTING) && isYaml(path) && isObject(doc)) {
    const d = doc;
    for (const [k, v] of Object.entries(d)) {
      if (k === "apiVersion") continue;
      if (k === "groups" && Array.isArray(v)) {
        for (const g of v) {
          if (!isObject(g)) continue;
          const name = `${String(g.folder ?? "")}/${String(g.name ?? "")}`;
          t.grafanaRuleGroups.set(name, { name, file: path, group: g });
        }
      } else if (Array.isArray(v)) {
        const prev = t.grafanaAlerting[k];
        t.grafanaAlerting[k] = [...(Array.isArray(prev) ? prev : []), ...v];
      } else t.grafanaAlerting[k] = v;
    }
    return true;
  }
  if (path === "prometheus/prometheus.yml" && isObject(doc)) {
    t.prometheus = doc;
    return true;
  }
  if (/^alertmanager\/alertmanager\.ya?ml$/.test(path) && isObject(doc)) {
    t.alertmanager = doc;
    return true;
  }
  return false;
}
