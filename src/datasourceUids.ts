// Fixed datasource uids. Dashboards, correlations and alert rules refer to these, so they never change.
export const DATASOURCE_UIDS = {
  prometheus: "prometheus",
  loki: "loki",
  tempo: "tempo",
  jaeger: "jaeger",
  alertmanager: "alertmanager",
} as const;

export type DatasourceKey = keyof typeof DATASOURCE_UIDS;
