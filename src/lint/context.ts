// What lint reads: an emitted provisioning tree (the files the build is about to write, or a tree on
// disk), parsed once into dashboards, their queries, rule groups and datasources, plus every
// environment's configuration. Rules only read this context, so the same rules run inside the build
// and alone on any tree.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { readTreeFile, type TreeFile } from "../tree/read.js";
import type { CatalogIndex, MetricDef } from "../model/catalog.js";
import type { Config } from "../model/config.js";
import type { RepoContent } from "../model/content.js";
import { BuildError, type Problem } from "../errors.js";
import type { BuiltDashboard } from "../model/dashboard.js";
import { dashboardQueries, type DashboardQuery } from "../validate/dashboardQueries.js";
import { DEFAULT_SETTINGS, type LintSettings } from "./settings.js";
import { walkDocument, type WalkedDocument } from "./documentWalk.js";
import { COMPILED_DASHBOARD, lintableDashboard, type ShapeIssue } from "./shape.js";
import { compareText } from "../emit/textOrder.js";

export { MAX_TREE_FILE_BYTES, readTree, unparseableFiles, type TreeFile, type UnreadableFile } from "../tree/read.js";

export interface LintDashboard {
  uid: string;
  title: string;
  json: Dashboard;
  /** Emitted path, relative to the tree root. */
  output: string;
  /** Definition file when known, else the emitted file (with the tree's label). */
  file: string;
  /** The shape src/validate/ checks take. */
  built: BuiltDashboard;
  /** Fields left out of `json` because their type is not the one Grafana's JSON has (shape.ts). */
  shapeIssues?: ShapeIssue[];
  /** What checkDashboardStructure finds of `built` alone, when the build has already run it. */
  structure?: Problem[];
  /** The one walk of the dashboard's document (datasource-literal-secret reads it), when it was walked. */
  walked?: WalkedDocument;
}

export interface LintQuery extends DashboardQuery {
  board: LintDashboard;
}

/** One rule of a rule file: Prometheus' alerting/recording rule, or a Grafana-managed alert rule. */
export interface LintAlertRule {
  kind: "alert" | "record";
  /** Alert name (Grafana: title) or recorded series. */
  name: string;
  /** The PromQL it evaluates (Grafana-managed: its first Prometheus query). */
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** 0-based position in its group. */
  index: number;
}

export interface LintRuleGroup {
  name: string;
  /** loki: a Loki ruler file (build/loki/rules/), whose expressions are LogQL. */
  source: "prometheus" | "grafana" | "loki";
  file: string;
  output: string;
  interval?: string;
  rules: LintAlertRule[];
}

export interface PreviousDashboard {
  uid: string;
  title: string;
  output: string;
}

export interface LintEnvironment {
  name: string;
  config?: Config;
  /** Why the environment's config does not load. */
  error?: string;
}

export interface LintContext {
  repoRoot: string;
  /** How the tree root is shown in file names, e.g. "build". */
  treeLabel: string;
  /** The environment the tree was built for. */
  env: string;
  config: Config;
  /** Every environment of config/environments.ts (prod is linted even when dev is built). */
  environments: LintEnvironment[];
  files: TreeFile[];
  /** Parsed YAML/JSON of each file that parses (read as Grafana reads them: src/emit/dollars.ts). */
  data: Map<string, unknown>;
  dashboards: LintDashboard[];
  queries: LintQuery[];
  /** Provisioned datasources: uid → plugin type. */
  provisioned: Map<string, string>;
  groups: LintRuleGroup[];
  /** Dashboards of the tree this one replaces (uid, title), when known. */
  previousDashboards?: PreviousDashboard[];
  /**
   * The series the tree's recording rules record, when known before its rule files are (the build
   * lints each dashboard before it emits them); otherwise read from `groups` (sites.ts recordedNames).
   */
  recorded?: Record<string, string[]>;
  settings: LintSettings;
  /** The metric catalog whose definitions the contract rules check (catalog/ by default). */
  catalog: readonly MetricDef[];
  /** The repository's catalog, which queries are checked against. */
  catalogIndex: CatalogIndex;
  /** Where the configuration's values are (config/environments.ts), for findings about it. */
  configFile: string;
  /** The file a finding about an emitted file names: its source when known. */
  fileOf(output: string): string;
}

export interface ContextOptions {
  /** The repository's configuration, datasources and catalog. */
  content: RepoContent;
  repoRoot: string;
  treeLabel: string;
  env: string;
  config?: Config;
  /** Emitted dashboard path → definition file (the build knows it). */
  sources?: Map<string, string>;
  previous?: TreeFile[];
  /** Files already held as objects (path → the value its content parses to): not parsed again. */
  parsed?: Pick<ReadonlyMap<string, unknown>, "get">;
  settings?: LintSettings;
  /** Environments to lint configs of; default every environment of config/environments.ts. */
  environments?: LintEnvironment[];
  catalog?: readonly MetricDef[];
}

const DASHBOARD_FILE = /^grafana\/provisioning\/dashboards\/.+\.json$/;
const GENERATED_FROM = /^# Generated by `npm run build` from (\S+?)\.? /m;

export function loadEnvironments(content: RepoContent): LintEnvironment[] {
  return content.environmentNames().map((name) => {
    try {
      return { name, config: content.loadConfig(name) };
    } catch (e) {
      const message = e instanceof BuildError ? e.problems.map((p) => p.message).join("; ") : (e as Error).message;
      return { name, error: message };
    }
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): Record<string, string> =>
  isRecord(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {};

/** Rule groups of a Prometheus or Loki rule file or a Grafana alert-rule provisioning file; [] for anything else. */
export function ruleGroupsOf(data: unknown, output: string, file: string): LintRuleGroup[] {
  if (!isRecord(data) || !Array.isArray(data.groups)) return [];
  const groups: LintRuleGroup[] = [];
  for (const g of data.groups) {
    if (!isRecord(g) || !Array.isArray(g.rules)) continue;
    const rules: LintAlertRule[] = [];
    let source: LintRuleGroup["source"] = output.startsWith("loki/") ? "loki" : "prometheus";
    g.rules.forEach((r, index) => {
      if (!isRecord(r)) return;
      const base = { labels: strings(r.labels), annotations: strings(r.annotations), index, for: r.for === undefined ? undefined : String(r.for) };
      if (typeof r.alert === "string") rules.push({ ...base, kind: "alert", name: r.alert, expr: String(r.expr ?? "") });
      else if (typeof r.record === "string") rules.push({ ...base, kind: "record", name: r.record, expr: String(r.expr ?? "") });
      else if (typeof r.title === "string" && Array.isArray(r.data)) {
        source = "grafana";
        const exprs = r.data
          .filter((q): q is Record<string, unknown> => isRecord(q) && q.datasourceUid !== "__expr__" && isRecord(q.model) && typeof q.model.expr === "string")
          .map((q) => (q.model as { expr: string }).expr);
        rules.push({ ...base, kind: "alert", name: r.title, expr: exprs[0] ?? "" });
      }
    });
    groups.push({ name: String(g.name ?? ""), source, file, output, interval: g.interval === undefined ? undefined : String(g.interval), rules });
  }
  return groups;
}

export function createContext(files: TreeFile[], opts: ContextOptions): LintContext {
  const config = opts.config ?? opts.content.loadConfig(opts.env);
  const sorted = [...files].sort((a, b) => compareText(a.path, b.path));
  const data = new Map<string, unknown>();
  for (const f of sorted) {
    const parsed = opts.parsed?.get(f.path) ?? readTreeFile(f);
    if (parsed !== undefined) data.set(f.path, parsed);
  }
  const shown = (output: string) => (opts.treeLabel ? `${opts.treeLabel}/${output}` : output);
  const headerSource = new Map<string, string>();
  for (const f of sorted) {
    // A .json file that parsed is JSON, and no line of JSON starts with "#": its text (the Ops
    // index's is megabytes, decoded only when asked for) is not read for a header.
    if (f.path.endsWith(".json") && data.has(f.path)) continue;
    const from = GENERATED_FROM.exec(f.content)?.[1];
    // Only a file of the repository is a useful place to point at (not "config/environments.ts (folders)").
    if (from && existsSync(join(opts.repoRoot, from)) && statSync(join(opts.repoRoot, from)).isFile()) headerSource.set(f.path, from);
  }
  const fileOf = (output: string) => opts.sources?.get(output) ?? headerSource.get(output) ?? shown(output);

  const provisioned = new Map<string, string>();
  for (const [path, doc] of data) {
    if (!path.startsWith("grafana/provisioning/datasources/") || !isRecord(doc) || !Array.isArray(doc.datasources)) continue;
    for (const ds of doc.datasources) if (isRecord(ds) && typeof ds.uid === "string") provisioned.set(ds.uid, String(ds.type ?? ""));
  }

  const dashboards: LintDashboard[] = [];
  for (const [path, doc] of data) {
    const d = lintDashboardOf(path, doc, fileOf(path));
    if (d) dashboards.push(d);
  }
  const byBuilt = new Map(dashboards.map((d) => [d.built, d]));
  const queries = dashboardQueries(dashboards.map((d) => d.built), provisioned).map((q) => ({ ...q, board: byBuilt.get(q.dashboard)! }));

  const groups = [...data].flatMap(([path, doc]) => (DASHBOARD_FILE.test(path) ? [] : ruleGroupsOf(doc, path, fileOf(path))));

  // A previous file with the text this build emits at the same path says what this build's file
  // says, which is parsed already: a one-change rebuild of 1,000 dashboards parses one, not 1,000.
  const emitted = new Map(sorted.filter((f) => DASHBOARD_FILE.test(f.path)).map((f) => [f.path, f.content]));
  const previousDashboards = opts.previous?.flatMap((f) => {
    if (emitted.get(f.path) !== f.content || !data.has(f.path)) return previousDashboardOf(f) ?? [];
    const doc = data.get(f.path);
    return isRecord(doc) && typeof doc.uid === "string" ? [{ uid: doc.uid, title: String(doc.title ?? ""), output: f.path }] : [];
  });

  return {
    repoRoot: opts.repoRoot,
    treeLabel: opts.treeLabel,
    env: opts.env,
    config,
    environments: opts.environments ?? loadEnvironments(opts.content),
    files: sorted,
    data,
    dashboards,
    queries,
    provisioned,
    groups,
    previousDashboards,
    settings: opts.settings ?? DEFAULT_SETTINGS,
    catalog: opts.catalog ?? opts.content.catalog.metrics,
    catalogIndex: opts.content.catalog,
    configFile: opts.content.configFile,
    fileOf,
  };
}

/** A dashboard of the tree as lint reads it; undefined when the file is not a dashboard. */
export function lintDashboardOf(path: string, doc: unknown, file: string, shapeChecked = false): LintDashboard | undefined {
  if (!DASHBOARD_FILE.test(path) || !isRecord(doc) || !("panels" in doc || "templating" in doc)) return undefined;
  // `shapeChecked`: the caller knows every field has its kind (what lintableDashboard would find).
  // Otherwise the walk for the literal secrets tells whether it has: a copy is made only if not.
  const walked = shapeChecked ? undefined : walkDocument(doc, COMPILED_DASHBOARD);
  const { json, issues: shapeIssues } = shapeChecked || walked!.shapeClean ? { json: doc as unknown as Dashboard, issues: [] } : lintableDashboard(doc);
  const folderUid = path.split("/").slice(-2, -1)[0];
  const built: BuiltDashboard = {
    definition: { kind: "dashboard", uid: json.uid ?? "", folder: folderUid, file },
    folderUid,
    json,
  };
  return { uid: json.uid ?? "", title: json.title ?? "", json, output: path, file, built, shapeIssues, ...(walked ? { walked } : {}) };
}

/** What dashboard-uid-stable reads of a dashboard file of the tree being replaced (undefined: not one). */
export function previousDashboardOf(f: TreeFile): PreviousDashboard | undefined {
  if (!DASHBOARD_FILE.test(f.path)) return undefined;
  const doc = readTreeFile(f);
  return isRecord(doc) && typeof doc.uid === "string" ? { uid: doc.uid, title: String(doc.title ?? ""), output: f.path } : undefined;
}

/**
 * `base` with one dashboard file as its only file: the build lints each dashboard on its own while
 * it holds its objects. `queries` are the build's own (dashboardQueries of the same dashboard).
 */
export function withDashboard(
  base: LintContext,
  f: TreeFile,
  doc: unknown,
  file: string,
  queries?: readonly DashboardQuery[],
  structure?: Problem[],
): LintContext {
  const d = lintDashboardOf(f.path, doc, file);
  // The build's queries and structure problems were read from the very object lint reads unless the shape check had to leave fields out.
  const own = d && queries && d.json === doc ? queries.map((q) => ({ ...q, dashboard: d.built, board: d })) : undefined;
  if (d && structure && d.json === doc) d.structure = structure;
  return {
    ...base,
    files: [f],
    data: new Map([[f.path, doc]]),
    dashboards: d ? [d] : [],
    queries: own ?? (d ? dashboardQueries([d.built], base.provisioned).map((q) => ({ ...q, board: d })) : []),
    fileOf: (output) => (output === f.path ? file : base.fileOf(output)),
  };
}

/** `base` with these dashboards (what the rules across dashboards read) and the tree it replaces. */
export function withDashboards(base: LintContext, dashboards: LintDashboard[], previousDashboards?: PreviousDashboard[]): LintContext {
  const byOutput = new Map(dashboards.map((d) => [d.output, d.file]));
  return { ...base, dashboards, queries: [], previousDashboards, fileOf: (output) => byOutput.get(output) ?? base.fileOf(output) };
}
