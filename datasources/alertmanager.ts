import type { Config } from "../config/index.js";
import { DATASOURCE_UIDS as UID } from "../src/datasourceUids.js";
import { connection } from "./auth.js";
import type { DatasourceDefinition } from "./types.js";

/** The Prometheus Alertmanager, so Grafana shows and silences the alerts Prometheus sends it. */
export function alertmanager(config: Config): DatasourceDefinition {
  const { authJsonData, ...conn } = connection(config.datasources.alertmanager);
  return {
    uid: UID.alertmanager,
    name: "Alertmanager",
    type: "alertmanager",
    ...conn,
    jsonData: { ...authJsonData, implementation: "prometheus", handleGrafanaManagedAlerts: false },
  };
}
