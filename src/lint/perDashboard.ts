// Rules whose findings about a dashboard depend on that dashboard alone (and on the config,
// catalog, datasources and lint settings, which the build cache keys its verdicts by): inside a
// cached build they run over the dashboards built or changed since, and the others' findings come
// from the cache. Every rule not listed here runs over the whole tree on every build, so a new rule
// is correct before anyone thinks of this list; list one here only when it reads nothing of
// another dashboard (uids, titles, links) or of the previous tree.
export const PER_DASHBOARD_RULES: ReadonlySet<string> = new Set([
  "dashboard-shape",
  "dashboard-editable",
  "template-datasource",
  "panel-datasource",
  "template-job-instance",
  "template-query-syntax",
  "template-refresh",
  "panel-title-description",
  "panel-units",
  "panel-targets",
  "panel-title-unique",
  "query-syntax",
  "target-rate-interval",
  "target-logql-auto",
  "target-job-instance-matchers",
  "target-counter-rate",
  "promql-gauge-rate",
  "promql-histogram-le",
  "catalog-metric-label",
  "datasource-literal-secret",
]);
