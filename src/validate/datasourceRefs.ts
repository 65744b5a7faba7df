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

export function variableName(uid: string): string | undefined {
  return /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(uid)?.[1];
}

/** Datasource variables of a dashboard: name → plugin type. */
export function datasourceVariables(json: BuiltDashboard["json"]): Map<string, string> {
  const vars = new Map<string, string>();
  for (const v of json.templating?.list ?? []) {
    if (v.type === "datasource") vars.set(v.name, String(v.query ?? ""));
  }
  return vars;
}

/** The plugin type a reference resolves to (through a datasource variable if need be). */
export function resolveDatasourceType(ref: Ref | undefined, json: BuiltDashboard["json"], provisioned: Map<string, string>): string | undefined {
  if (!ref?.uid) return ref?.type ?? undefined;
  const name = variableName(ref.uid);
  if (name) return datasourceVariables(json).get(name) ?? ref.type ?? undefined;
  return provisioned.get(ref.uid) ?? ref.type ?? undefined;
}

export function checkDatasourceRefs(dashboards: BuiltDashboard[], provisioned: Map<string, string>): Problem[] {
  const problems: Problem[] = [];
  for (const { definition, json } of dashboards) {
    const vars = datasourceVariables(json);
    const check = (ref: Ref | undefined, where: Omit<Problem, "code" | "message">) => {
      const uid = ref?.uid;
      if (!uid || BUILT_IN.has(uid)) return;
      const name = variableName(uid);
      if (name) {
        if (!vars.has(name)) problems.push({ ...where, code: "unknown-datasource", message: `datasource variable "$${name}" is not defined on this dashboard` });
        return;
      }
      if (!provisioned.has(uid)) {
        problems.push({ ...where, code: "unknown-datasource", message: `datasource uid "${uid}" is not provisioned (known: ${[...provisioned.keys()].join(", ")})` });
      } else if (ref?.type && provisioned.get(uid) !== ref.type) {
        problems.push({ ...where, code: "datasource-type-mismatch", message: `datasource "${uid}" is a ${provisioned.get(uid)} datasource, not ${ref.type}` });
      }
    };
    const at = { file: definition.file, dashboardUid: json.uid };
    for (const v of json.templating?.list ?? []) check(v.datasource as Ref, { ...at, panelTitle: `variable $${v.name}` });
    for (const a of json.annotations?.list ?? []) check(a.datasource as Ref, { ...at, panelTitle: `annotation ${a.name}` });
    for (const p of allPanels(json)) {
      const where = { ...at, panelTitle: p.title };
      check(p.datasource as Ref, where);
      for (const t of ((p as { targets?: { refId?: string; datasource?: Ref }[] }).targets ?? [])) {
        check(t.datasource, { ...where, refId: t.refId });
      }
    }
  }
  return problems;
}
