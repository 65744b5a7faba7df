import type { Config } from "../config/index.js";
import { DATASOURCE_UIDS as UID } from "../src/datasourceUids.js";
import { connection } from "./auth.js";
import { exemplarDestinations } from "./correlations.js";
import type { DatasourceDefinition } from "./types.js";

/** Prometheus, with exemplars linking to the trace datasource of the service that records them. */
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
      exemplarTraceIdDestinations: exemplarDestinations(config),
    },
  };
}
