import type { Config } from "../config/index.js";
import { DATASOURCE_UIDS as UID } from "../src/datasourceUids.js";
import { connection } from "./auth.js";
import type { DatasourceDefinition } from "./types.js";

/** Prometheus, with exemplars (seed 002) linking to Tempo by their trace_id label. */
export function prometheus(config: Config): DatasourceDefinition {
  const { authJsonData, ...conn } = connection(config.datasources.prometheus);
  return {
    uid: UID.prometheus,
    name: "Prometheus",
    type: "prometheus",
    isDefault: true,
    ...conn,
    jsonData: {
      ...authJsonData,
      httpMethod: "POST",
      prometheusType: "Prometheus",
      timeInterval: config.prometheus.scrapeInterval,
      exemplarTraceIdDestinations: [{ name: "trace_id", datasourceUid: UID.tempo, urlDisplayLabel: "Open trace in Tempo" }],
    },
  };
}
