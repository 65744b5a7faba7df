// Every query a dashboard sends must parse in its own language, after Grafana's macros and
// variables are expanded the way Grafana does before sending it.
import type { Problem } from "../errors.js";
import { allPanels, type BuiltDashboard } from "../pipeline/dashboards.js";
import { checkQuery, describeIssue, type QueryLanguage } from "../query/parse.js";
import { resolveDatasourceType } from "./datasourceRefs.js";

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
  for (const dashboard of dashboards) {
    const { json } = dashboard;
    for (const p of allPanels(json)) {
      if (p.type === "row") continue;
      for (const t of ((p as { targets?: TargetLike[] }).targets ?? [])) {
        const type = resolveDatasourceType(t.datasource ?? (p.datasource as TargetLike["datasource"]), json, provisioned);
        const base = { dashboard, panelTitle: p.title ?? "", panelType: p.type, refId: t.refId ?? "" };
        if (type === "prometheus" && t.expr !== undefined) out.push({ ...base, lang: "promql", expr: t.expr });
        else if (type === "loki" && t.expr !== undefined) out.push({ ...base, lang: "logql", expr: t.expr });
        else if (type === "tempo" && t.queryType === "traceql" && t.query !== undefined) out.push({ ...base, lang: "traceql", expr: t.query });
      }
    }
  }
  return out;
}

export function checkDashboardQueries(queries: DashboardQuery[]): Problem[] {
  return queries.flatMap((q) =>
    checkQuery(q.lang, q.expr).map((issue) => ({
      code: `bad-${q.lang}`,
      file: q.dashboard.definition.file,
      dashboardUid: q.dashboard.json.uid,
      panelTitle: q.panelTitle,
      refId: q.refId,
      message: describeIssue(q.expr, issue),
    })),
  );
}
