// Every query of the telemetry pipeline dashboard, apart from the layout: the OpenTelemetry
// collector's own metrics and Prometheus' scrape health of every target.
import { errorRatio, RI } from "../../src/query/build.js";

export function telemetryQueries() {
  const sel = `{job=~"$job", instance=~"$instance"}`;
  const exp = `{job=~"$job", instance=~"$instance", exporter=~"$exporter"}`;
  const rate = (metric: string, by: string[] = [], s = sel) =>
    `sum${by.length ? ` by (${by.join(", ")})` : ""} (rate(${metric}${s}[${RI}]))`;
  const up = `up{job=~"$job", instance=~"$instance"}`;

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
    metricPoints: {
      accepted: () => rate("otelcol_receiver_accepted_metric_points_total", ["receiver", "transport"]),
      sent: () => rate("otelcol_exporter_sent_metric_points_total", ["exporter"], exp),
    },
    queueSize: () => `max by (exporter) (otelcol_exporter_queue_size${exp})`,
    queueSizeMax: () => `max(otelcol_exporter_queue_size${exp})`,
    memory: () => `max by (instance) (otelcol_process_memory_rss${sel})`,
    scrape: {
      targetsDown: () => `count(${up} == 0) or vector(0)`,
      upShareByJob: () => `avg by (job) (${up})`,
      targets: () => `sum by (job, instance) (${up})`,
    },
  };
}
