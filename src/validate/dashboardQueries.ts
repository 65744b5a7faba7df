// Every query a dashboard sends must parse in its own language, after Grafana's macros and
// variables are expanded the way Grafana does before sending it.
import type { Problem } from "../errors.js";
import type { BuiltDashboard } from "../pipeline/dashboards.js";
import { checkQuery, describeIssue, type QueryLanguage } from "../query/parse.js";
import { dashboardView, resolveDatasourceType, type DashboardView } from "./datasourceRefs.js";

export interface DashboardQuery {
  dashboard: BuiltDashboard;
  panelTitle: string;
  panelType: string;
  refId: string;
  lang: QueryLanguage;
  expr: string;
}

interface TargetLike {
  refId?: string;
  expr?: string;
  query?: string;
  queryType?: string;
  datasource?: { uid?: string; type?: string };
}

/** All queries of the dashboards with their language, for validation, tests and lint. */
export function dashboardQueries(dashboards: BuiltDashboard[], provisioned: Map<string, string>): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  for (const dashboard of dashboards) queriesOf(dashboard, provisioned, dashboardView(dashboard.json), out);
  return out;
}

const NO_TARGETS: readonly TargetLike[] = [];

/** dashboardQueries of one dashboard, into `out`, from its panels and datasource variables (`view`). */
export function queriesOf(dashboard: BuiltDashboard, provisioned: Map<string, string>, view: DashboardView, out: DashboardQuery[] = []): DashboardQuery[] {
  const { json } = dashboard;
  for (const p of view.panels) {
    if (p.type === "row") continue;
    for (const t of ((p as { targets?: TargetLike[] }).targets ?? NO_TARGETS)) {
      const type = resolveDatasourceType(t.datasource ?? (p.datasource as TargetLike["datasource"]), json, provisioned, view.datasourceVariables);
      const lang: QueryLanguage | undefined =
        type === "prometheus" && t.expr !== undefined ? "promql"
        : type === "loki" && t.expr !== undefined ? "logql"
        : type === "tempo" && t.queryType === "traceql" && t.query !== undefined ? "traceql"
        : undefined;
      if (lang) out.push({ dashboard, panelTitle: p.title ?? "", panelType: p.type, refId: t.refId ?? "", lang, expr: lang === "traceql" ? t.query! : t.expr! });
    }
  }
  return out;
}

export function checkDashboardQueries(queries: DashboardQuery[]): Problem[] {
  const problems: Problem[] = [];
  for (const q of queries) {
    // Most queries have no issue: nothing is made for them.
    const issues = checkQuery(q.lang, q.expr);
    for (const issue of issues) {
      problems.push({
        code: `bad-${q.lang}`,
        file: q.dashboard.definition.file,
        dashboardUid: q.dashboard.json.uid,
        panelTitle: q.panelTitle,
        refId: q.refId,
        message: describeIssue(q.expr, issue),
      });
    }
  }
  return problems;
}
