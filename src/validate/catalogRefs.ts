// The catalog check of the built dashboards: every Prometheus panel query and variable query names
// only metrics and labels of the metric catalog (src/query/catalogCheck.ts infers the labels).
import type { Problem } from "../errors.js";
import type { BuiltDashboard } from "../model/dashboard.js";
import type { CatalogIndex } from "../model/catalog.js";
import { checkExpressionAgainstCatalog, type CatalogIssue, type ExtraNames } from "../query/catalogCheck.js";
import { checkVariableQueryAgainstCatalog } from "../query/labelValues.js";
import { describeIssue } from "../query/parse.js";
import type { DashboardQuery } from "./dashboardQueries.js";
import { datasourceVariables, resolveDatasourceType } from "./datasourceRefs.js";

/** A catalog issue of a dashboard's panel query or variable query, with where it is. */
export interface DashboardCatalogIssue {
  issue: CatalogIssue;
  dashboard: BuiltDashboard;
  /** The panel title, or "variable $name". */
  panelTitle?: string;
  refId?: string;
  /** The query as written, for describeIssue. */
  expr: string;
}

/** Catalog issues of every Prometheus panel query and variable query of the built dashboards. */
export function dashboardCatalogIssues(
  queries: DashboardQuery[],
  dashboards: BuiltDashboard[],
  provisioned: Map<string, string>,
  catalog: CatalogIndex,
  extraNames?: ExtraNames,
): DashboardCatalogIssue[] {
  const out: DashboardCatalogIssue[] = [];
  for (const q of queries) {
    if (q.lang !== "promql") continue;
    for (const issue of checkExpressionAgainstCatalog(q.expr, catalog, extraNames)) {
      out.push({ issue, dashboard: q.dashboard, panelTitle: q.panelTitle, refId: q.refId, expr: q.expr });
    }
  }
  for (const dashboard of dashboards) variableCatalogIssues(dashboard, provisioned, catalog, extraNames, datasourceVariables(dashboard.json), out);
  return out;
}

/** The variable queries' part of dashboardCatalogIssues for one dashboard, into `out`. */
export function variableCatalogIssues(
  dashboard: BuiltDashboard,
  provisioned: Map<string, string>,
  catalog: CatalogIndex,
  extraNames: ExtraNames | undefined,
  vars: ReadonlyMap<string, string>,
  out: DashboardCatalogIssue[] = [],
): DashboardCatalogIssue[] {
  const { json } = dashboard;
  for (const v of json.templating?.list ?? []) {
    if (v.type !== "query") continue;
    const type = resolveDatasourceType(v.datasource as { uid?: string; type?: string } | undefined, json, provisioned, vars);
    if (type !== "prometheus") continue;
    const query = typeof v.query === "string" ? v.query : ((v.query as { query?: string } | undefined)?.query ?? "");
    for (const issue of variableQueryIssues(query, catalog, extraNames)) {
      out.push({ issue, dashboard, panelTitle: `variable $${v.name}`, expr: query });
    }
  }
  return out;
}

// Dashboards of an estate share their variable queries (label_values(up, job)...): each is checked
// once per catalog and set of extra names (the caller's object, not changed once handed over, as
// src/query/catalogCheck.ts takes it). Bounded, for a long --watch session.
const NO_EXTRA = {};
const variableMemo = new WeakMap<CatalogIndex, WeakMap<object, Map<string, CatalogIssue[]>>>();
const VARIABLE_MEMO_MAX = 4096;

function variableQueryIssues(query: string, catalog: CatalogIndex, extraNames: ExtraNames | undefined): CatalogIssue[] {
  let byExtra = variableMemo.get(catalog);
  if (!byExtra) variableMemo.set(catalog, (byExtra = new WeakMap()));
  const extraKey = (extraNames ?? NO_EXTRA) as object;
  let byQuery = byExtra.get(extraKey);
  if (!byQuery) byExtra.set(extraKey, (byQuery = new Map()));
  let issues = byQuery.get(query);
  if (!issues) {
    issues = checkVariableQueryAgainstCatalog(query, catalog, extraNames);
    if (byQuery.size >= VARIABLE_MEMO_MAX) byQuery.clear();
    byQuery.set(query, issues);
  }
  return issues;
}

/** Catalog problems of every Prometheus panel query and variable query of the built dashboards. */
export function checkCatalogRefs(
  queries: DashboardQuery[],
  dashboards: BuiltDashboard[],
  provisioned: Map<string, string>,
  catalog: CatalogIndex,
  extraNames?: ExtraNames,
): Problem[] {
  return catalogProblems(dashboardCatalogIssues(queries, dashboards, provisioned, catalog, extraNames));
}

/** Catalog issues as the build's problems. */
export function catalogProblems(issues: DashboardCatalogIssue[]): Problem[] {
  return issues.map((i) => ({
    code: `catalog-${i.issue.code}`,
    file: i.dashboard.definition.file,
    dashboardUid: i.dashboard.json.uid,
    panelTitle: i.panelTitle,
    // Panel queries carry their refId (even when unset), variables none.
    ...("refId" in i ? { refId: i.refId } : {}),
    message: describeIssue(i.expr, i.issue),
    ...(i.issue.metric !== undefined ? { metric: i.issue.metric } : {}),
    ...(i.issue.label !== undefined ? { label: i.issue.label } : {}),
  }));
}
