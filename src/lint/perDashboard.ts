// Rules whose findings about a dashboard depend on that dashboard alone (and on the config,
// catalog, datasources, rule files and lint settings, which the build cache keys its verdicts by):
// inside a cached build they run over the dashboards built or changed since plus every other file
// (rule files, datasources), and the other dashboards' findings come from the cache. A rule not
// listed here runs over the whole tree on every build, so a new rule is correct before anyone
// thinks of this list; list one only when no finding about a dashboard reads another dashboard
// (uids, titles, links) or the previous tree. Left out: dashboard-uid (uniqueness),
// dashboard-uid-stable (the previous tree), alert-links (dashboard_url against every dashboard).
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
  "alert-name",
  "alert-severity",
  "alert-annotations",
  "alert-template-labels",
  "alert-for",
  "alert-no-grafana-variables",
  "alert-raw-counter",
  "alert-group-size",
  "alert-group-unique",
  "contract-counter-total",
  "contract-duration-seconds",
  "contract-high-cardinality",
  "catalog-metric-label",
  "datasource-literal-secret",
  "prod-https",
  "prod-scrape-tls",
  "folder-access",
  "prod-folder-access",
]);

// Of those, the rules that read only rule files and the configuration, never a dashboard: the
// build runs them once over those files instead of once per dashboard.
export const RULE_FILE_RULES: ReadonlySet<string> = new Set([
  "alert-name",
  "alert-severity",
  "alert-annotations",
  "alert-template-labels",
  "alert-for",
  "alert-no-grafana-variables",
  "alert-raw-counter",
  "alert-group-size",
  "alert-group-unique",
  "prod-scrape-tls",
  "folder-access",
  "prod-folder-access",
]);
