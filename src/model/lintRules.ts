// The lint rules a dashboard definition's lintWaivers may name. The rules live in src/lint/ (a tool,
// which the engine may not import), so their ids are listed here once for the build's definition
// check; test/lint/registry.test.ts holds this list equal to src/lint/registry.ts.

/** Every lint rule that reports about a dashboard, by id. */
export const DASHBOARD_LINT_RULES = [
  "dashboard-shape",
  "dashboard-uid",
  "dashboard-uid-stable",
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
  "contract-counter-total",
  "contract-duration-seconds",
  "contract-high-cardinality",
  "catalog-metric-label",
  "datasource-literal-secret",
] as const;

/** Rules about alerts, datasources, environments and folders: no dashboard definition can waive them. */
export const OTHER_LINT_RULES = [
  "alert-name",
  "alert-severity",
  "alert-annotations",
  "alert-template-labels",
  "alert-links",
  "alert-for",
  "alert-no-grafana-variables",
  "alert-raw-counter",
  "alert-group-size",
  "alert-group-unique",
  "prod-https",
  "prod-scrape-tls",
  "folder-access",
  "prod-folder-access",
] as const;

/**
 * Dashboard rules a definition may not waive, and why: the catalog stays the one list of what the
 * stacks export (its gaps are fixed in catalog/, never accepted per dashboard), the build rejects
 * unparsable queries anyway, and a literal secret is never accepted.
 */
export const UNWAIVABLE_RULES: Readonly<Record<string, string>> = {
  "catalog-metric-label": "catalog gaps are fixed in catalog/, not accepted per dashboard",
  "query-syntax": "the build rejects a query that does not parse",
  "datasource-literal-secret": "a literal secret is never accepted",
};

export const WAIVABLE_RULES: readonly string[] = DASHBOARD_LINT_RULES.filter((r) => !(r in UNWAIVABLE_RULES));

/** Why `rule` cannot be waived in a dashboard definition, or undefined when it can. */
export function waiverRefusal(rule: string): string | undefined {
  if (WAIVABLE_RULES.includes(rule)) return undefined;
  if (rule in UNWAIVABLE_RULES) return `rule "${rule}" cannot be waived: ${UNWAIVABLE_RULES[rule]}`;
  if ((OTHER_LINT_RULES as readonly string[]).includes(rule)) return `rule "${rule}" is not about dashboards; a dashboard definition cannot waive it`;
  return `unknown lint rule "${rule}" (npm run lint -- --rules lists them)`;
}
