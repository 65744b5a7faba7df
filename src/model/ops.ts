// What the package exports for a backend reading build/ops/dashboards.json (the Ops UI): the index's
// types and the function that turns an entry, variable values and a time range into a Grafana URL.
export { dashboardPath, dashboardSlug, dashboardUrl, type GrafanaTime, type UrlOptions, type VariableValue } from "./dashboardUrl.js";
export type { OpsAlert, OpsAlertLink, OpsDashboard, OpsIndex, OpsPanel, OpsVariable } from "./opsIndex.js";
