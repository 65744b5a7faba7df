// Trace datasources and how they jump to logs and metrics.
import type { Config } from "../config/index.js";
import { DATASOURCE_UIDS as UID } from "../src/datasourceUids.js";
import { connection } from "./auth.js";
import type { DatasourceDefinition } from "./types.js";

/** Span → logs of the same service around the span, filtered by trace id. */
function tracesToLogs() {
  return {
    datasourceUid: UID.loki,
    spanStartTimeShift: "-5m",
    spanEndTimeShift: "5m",
    filterByTraceID: true,
    filterBySpanID: false,
    customQuery: false,
    tags: [{ key: "service.name", value: "service" }],
  };
}

/** Tempo: correlations to Loki and Prometheus, service map and node graph (seeds 002–004). */
export function tempo(config: Config): DatasourceDefinition {
  const { authJsonData, ...conn } = connection(config.datasources.tempo);
  return {
    uid: UID.tempo,
    name: "Tempo",
    type: "tempo",
    ...conn,
    jsonData: {
      ...authJsonData,
      tracesToLogsV2: tracesToLogs(),
      // The collector's Prometheus exporter sets job = service.name, so a span's service selects
      // its metrics by job.
      tracesToMetrics: {
        datasourceUid: UID.prometheus,
        spanStartTimeShift: "-5m",
        spanEndTimeShift: "5m",
        tags: [{ key: "service.name", value: "job" }],
        queries: [
          { name: "Scrape health", query: "up{$__tags}" },
          { name: "Model inferences/s", query: "sum by (model_id) (rate(model_inference_total{$__tags}[5m]))" },
        ],
      },
      serviceMap: { datasourceUid: UID.prometheus },
      nodeGraph: { enabled: true },
      search: { hide: false },
      lokiSearch: { datasourceUid: UID.loki },
      traceQuery: { timeShiftEnabled: true, spanStartTimeShift: "-30m", spanEndTimeShift: "30m" },
    },
  };
}

/** Jaeger (seed 001 stores its traces there): span → logs in Loki. */
export function jaeger(config: Config): DatasourceDefinition {
  const { authJsonData, ...conn } = connection(config.datasources.jaeger);
  return {
    uid: UID.jaeger,
    name: "Jaeger",
    type: "jaeger",
    ...conn,
    jsonData: { ...authJsonData, tracesToLogsV2: tracesToLogs(), nodeGraph: { enabled: true } },
  };
}
