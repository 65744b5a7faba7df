// Trace datasources and how they jump to logs and metrics (generated in correlations.ts from
// config.services).
import type { Config } from "../config/index.js";
import { DATASOURCE_UIDS as UID } from "../src/datasourceUids.js";
import { connection } from "./auth.js";
import { tracesToLogs, tracesToMetrics } from "./correlations.js";
import type { DatasourceDefinition } from "./types.js";

/** Correlation settings of a trace datasource; keys without a target are left out. */
function correlations(config: Config, ds: "tempo" | "jaeger") {
  const logs = tracesToLogs(config, ds);
  const metrics = tracesToMetrics(config, ds);
  return { ...(logs ? { tracesToLogsV2: logs } : {}), ...(metrics ? { tracesToMetrics: metrics } : {}) };
}

/** Tempo: correlations to Loki and Prometheus; the service map only where the metrics-generator runs. */
export function tempo(config: Config): DatasourceDefinition {
  const { authJsonData, ...conn } = connection(config.datasources.tempo);
  return {
    uid: UID.tempo,
    name: "Tempo",
    type: "tempo",
    ...conn,
    jsonData: {
      ...authJsonData,
      ...correlations(config, "tempo"),
      // The service map reads traces_service_graph_* series, which only Tempo's metrics-generator writes.
      ...(config.signals.tempoMetricsGenerator ? { serviceMap: { datasourceUid: UID.prometheus } } : {}),
      nodeGraph: { enabled: true },
      search: { hide: false },
      ...(tracesToLogs(config, "tempo") ? { lokiSearch: { datasourceUid: UID.loki } } : {}),
      traceQuery: { timeShiftEnabled: true, spanStartTimeShift: "-30m", spanEndTimeShift: "30m" },
    },
  };
}

/** Jaeger (the FastAPI/LLM stack stores its traces there). */
export function jaeger(config: Config): DatasourceDefinition {
  const { authJsonData, ...conn } = connection(config.datasources.jaeger);
  return {
    uid: UID.jaeger,
    name: "Jaeger",
    type: "jaeger",
    ...conn,
    jsonData: { ...authJsonData, ...correlations(config, "jaeger"), nodeGraph: { enabled: true } },
  };
}
