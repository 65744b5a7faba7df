// Plugin ids the importer treats specially: which SDK builder writes a datasource's queries, and which
// panel types are legacy (no builder; Grafana converts them to a newer type when the dashboard is opened).

/** Datasource plugin id → the SDK's query builder ("ns.Class"). */
export const QUERY_BUILDERS: Record<string, string> = {
  prometheus: "prometheus.DataqueryBuilder",
  loki: "loki.DataqueryBuilder",
  tempo: "tempo.DataqueryBuilder",
  elasticsearch: "elasticsearch.DataqueryBuilder",
  testdata: "testdata.DataqueryBuilder",
  "grafana-testdata-datasource": "testdata.DataqueryBuilder",
  "grafana-pyroscope-datasource": "grafanapyroscope.DataqueryBuilder",
  parca: "parca.DataqueryBuilder",
  "grafana-athena-datasource": "athena.DataqueryBuilder",
  "grafana-bigquery-datasource": "bigquery.DataqueryBuilder",
  "grafana-azure-monitor-datasource": "azuremonitor.MonitorQueryBuilder",
  stackdriver: "googlecloudmonitoring.CloudMonitoringQueryBuilder",
};

export const LEGACY_PANELS = new Set([
  "graph",
  "singlestat",
  "table-old",
  "grafana-piechart-panel",
  "grafana-worldmap-panel",
]);

export const LEGACY_REPLACEMENT: Record<string, string> = {
  graph: "timeseries",
  singlestat: "stat",
  "table-old": "table",
  "grafana-piechart-panel": "piechart",
  "grafana-worldmap-panel": "geomap",
};
