// Every datasource a dashboard names must exist: a provisioned uid, or a datasource variable of the
// same dashboard. A dangling uid shows "datasource not found" on every panel that uses it.
import type { Problem } from "../errors.js";
import { allPanels, type BuiltDashboard } from "../pipeline/dashboards.js";

/** Grafana's built-in pseudo datasources. */
const BUILT_IN = new Set(["-- Grafana --", "-- Mixed --", "-- Dashboard --", "grafana", "__expr__"]);

interface Ref {
  uid?: string | null;
  type?: string | null;
}

// A build names a handful of datasource uids thousands of times: each is matched once. Bounded, for
// a long --watch session over changing uids.
const VARIABLE_NAMES = new Map<string, string | undefined>();
const VARIABLE_NAMES_MAX = 4096;

export function variableName(uid: string): string | undefined {
  if (VARIABLE_NAMES.has(uid)) return VARIABLE_NAMES.get(uid);
  const name = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(uid)?.[1];
  if (VARIABLE_NAMES.size >= VARIABLE_NAMES_MAX) VARIABLE_NAMES.clear();
  VARIABLE_NAMES.set(uid, name);
  return name;
}

/** Datasource variables of a dashboard: name → plugin type. */
export function datasourceVariables(json: BuiltDashboard["json"]): Map<string, string> {
  const vars = new Map<string, string>();
  for (const v of json.templating?.list ?? []) {
    if (v.type === "datasource") vars.set(v.name, String(v.query ?? ""));
  }
  return vars;
}

/**
 * The plugin type a reference resolves to (through a datasource variable if need be). `vars`: the
 * dashboard's datasourceVariables when the caller holds them (else derived here).
 */
export function resolveDatasourceType(ref: Ref | undefined, json: BuiltDashboard["json"], provisioned: Map<string, string>, vars?: ReadonlyMap<string, string>): string | undefined {
  if (!ref?.uid) return ref?.type ?? undefined;
  const name = variableName(ref.uid);
  if (name) return (vars ?? datasourceVariables(json)).get(name) ?? ref.type ?? undefined;
  return provisioned.get(ref.uid) ?? ref.type ?? undefined;
}

/** A dashboard's panels (allPanels) and datasource variables, derived once for the checks that read them. */
export interface DashboardView {
  panels: ReturnType<typeof allPanels>;
  datasourceVariables: ReadonlyMap<string, string>;
}

export function dashboardView(json: BuiltDashboard["json"]): DashboardView {
  return { panels: allPanels(json), datasourceVariables: datasourceVariables(json) };
}

export function checkDatasourceRefs(dashboards: BuiltDashboard[], provisioned: Map<string, string>): Problem[] {
  const problems: Problem[] = [];
  for (const d of dashboards) datasourceProblems(d, provisioned, dashboardView(d.json), problems);
  return problems;
}

/** checkDatasourceRefs of one dashboard, into `problems`; a problem's place is made only when there is one. */
export function datasourceProblems(d: BuiltDashboard, provisioned: Map<string, string>, view: DashboardView, problems: Problem[] = []): Problem[] {
  const { definition, json } = d;
  const vars = view.datasourceVariables;
  const { file } = definition;
  const dashboardUid = json.uid;
  // Key order as the problems always had: file, dashboardUid, panelTitle, refId (when a target's), code, message.
  const report = (panelTitle: string | undefined, target: { refId?: string } | undefined, code: string, message: string) =>
    problems.push(target ? { file, dashboardUid, panelTitle, refId: target.refId, code, message } : { file, dashboardUid, panelTitle, code, message });
  // Where a reference is: a variable's (0), an annotation's (1) or a panel's and its targets' (2).
  const titleOf = (kind: 0 | 1 | 2, owner: { name?: string; title?: string }) =>
    kind === 0 ? `variable $${owner.name}` : kind === 1 ? `annotation ${owner.name}` : owner.title;
  const check = (ref: Ref | undefined, kind: 0 | 1 | 2, owner: { name?: string; title?: string }, target?: { refId?: string }) => {
    const uid = ref?.uid;
    if (!uid || BUILT_IN.has(uid)) return;
    const name = variableName(uid);
    if (name) {
      if (!vars.has(name)) report(titleOf(kind, owner), target, "unknown-datasource", `datasource variable "$${name}" is not defined on this dashboard`);
      return;
    }
    if (!provisioned.has(uid)) {
      report(titleOf(kind, owner), target, "unknown-datasource", `datasource uid "${uid}" is not provisioned (known: ${[...provisioned.keys()].join(", ")})`);
    } else if (ref?.type && provisioned.get(uid) !== ref.type) {
      report(titleOf(kind, owner), target, "datasource-type-mismatch", `datasource "${uid}" is a ${provisioned.get(uid)} datasource, not ${ref.type}`);
    }
  };
  for (const v of json.templating?.list ?? []) check(v.datasource as Ref, 0, v);
  for (const a of json.annotations?.list ?? []) check(a.datasource as Ref, 1, a);
  for (const p of view.panels) {
    check(p.datasource as Ref, 2, p);
    for (const t of ((p as { targets?: { refId?: string; datasource?: Ref }[] }).targets ?? [])) check(t.datasource, 2, p, t);
  }
  return problems;
}
