import type { Config } from "../config/index.js";
import { DATASOURCE_UIDS as UID } from "../src/datasourceUids.js";
import { connection } from "./auth.js";
import type { DatasourceDefinition } from "./types.js";

// OpenTelemetry trace ids: 32 hex digits (16 for some legacy propagators).
const TRACE_ID = "([0-9a-fA-F]{16,32})";

/**
 * Loki. Derived fields make trace ids in log lines clickable: `trace_id` as JSON field or
 * `trace_id=` text (seeds 001/004, and seed 002's line_format), and seed 002's `log_trace_id` field.
 */
export function loki(config: Config): DatasourceDefinition {
  const { authJsonData, ...conn } = connection(config.datasources.loki);
  const toTempo = { datasourceUid: UID.tempo, url: "${__value.raw}", urlDisplayLabel: "Open trace in Tempo" };
  return {
    uid: UID.loki,
    name: "Loki",
    type: "loki",
    ...conn,
    jsonData: {
      ...authJsonData,
      maxLines: 1000,
      derivedFields: [
        // \b keeps this from matching inside "log_trace_id" ("_" is a word character).
        { name: "trace_id", matcherRegex: `\\btrace_id"?\\s*[:=]\\s*"?${TRACE_ID}`, ...toTempo },
        { name: "log_trace_id", matcherRegex: `"log_trace_id"\\s*:\\s*"${TRACE_ID}"`, ...toTempo },
      ],
    },
  };
}
