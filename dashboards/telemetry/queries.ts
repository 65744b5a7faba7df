// Every query of the telemetry pipeline dashboard, apart from the layout: the OpenTelemetry
// collector's own metrics and Prometheus' scrape health of every target.
import { TARGET } from "../_shared/variables.js";
import { errorRatio, RI } from "../../src/query/build.js";

/** `target`: which jobs and instances (TARGET, or Home's rowTarget); `filters`: the dashboard's $exporter. */
export function telemetryQueries(target = TARGET, filters = ', exporter=~"$exporter"') {
  const sel = `{${target}}`;
  const exp = `{${target}${filters}}`;
  const total = (metric: string, s = sel) => `sum(rate(${metric}${s}[${RI}]))`;
  const rate = (metric: string, by: string[] = [], s = sel) =>
    `sum${by.length ? ` by (${by.join(", ")})` : ""} (rate(${metric}${s}[${RI}]))`;
  const up = `up{${target}}`;

  return {
    spans: {
      accepted: () => rate("otelcol_receiver_accepted_spans_total", ["receiver", "transport"]),
      refused: () => rate("otelcol_receiver_refused_spans_total", ["receiver", "transport"]),
      sent: () => rate("otelcol_exporter_sent_spans_total", ["exporter"], exp),
      failed: () => rate("otelcol_exporter_send_failed_spans_total", ["exporter"], exp),
      acceptedTotal: () => rate("otelcol_receiver_accepted_spans_total"),
      // Refused among everything offered; a receiver that never refused has no series yet, hence or vector(0).
      refusedRatio: () =>
        errorRatio(
          rate("otelcol_receiver_refused_spans_total"),
          `(${rate("otelcol_receiver_accepted_spans_total")} + (${rate("otelcol_receiver_refused_spans_total")} or vector(0)))`,
        ),
      failedRatio: () =>
        errorRatio(
          rate("otelcol_exporter_send_failed_spans_total", [], exp),
          `(${rate("otelcol_exporter_sent_spans_total", [], exp)} + (${rate("otelcol_exporter_send_failed_spans_total", [], exp)} or vector(0)))`,
        ),
    },
    /** Spans accepted per second and the export failure share as one plain sum each (Home's stats). */
    totals: {
      spansAccepted: () => total("otelcol_receiver_accepted_spans_total"),
      spanExportFailures: () =>
        errorRatio(
          total("otelcol_exporter_send_failed_spans_total", exp),
          `(${total("otelcol_exporter_sent_spans_total", exp)} + (${total("otelcol_exporter_send_failed_spans_total", exp)} or vector(0)))`,
        ),
    },
    metricPoints: {
      accepted: () => rate("otelcol_receiver_accepted_metric_points_total", ["receiver", "transport"]),
      sent: () => rate("otelcol_exporter_sent_metric_points_total", ["exporter"], exp),
    },
    queueSize: () => `max by (exporter) (otelcol_exporter_queue_size${exp})`,
    queueSizeMax: () => `max(otelcol_exporter_queue_size${exp})`,
    memory: () => `max by (instance) (otelcol_process_memory_rss${sel})`,
    scrape: {
      targetsDown: () => `count(${up} == 0) or vector(0)`,
      upShare: () => `avg(${up})`,
      upShareByJob: () => `avg by (job) (${up})`,
      targets: () => `sum by (job, instance) (${up})`,
    },
  };
}
