// The OpenTelemetry collector's own telemetry (the model service, FastAPI/LLM and evaluation stacks run one), scraped from
// its :8888 endpoint as job otel-collector once that optional scrape job is switched on.
import { metrics } from "./types.js";

const RECEIVER = { receiver: ["otlp"], transport: ["grpc", "http"] };
const EXPORTER = { exporter: ["otlp", "prometheus"] };

export const OTEL_COLLECTOR = metrics(
  {
    stack: "evaluation",
    jobs: ["otel-collector"],
    assumed:
      "the collector's internal telemetry names (otelcol_*); no stack document lists them, and none exposes them by default",
  },
  [
    {
      name: "otelcol_receiver_accepted_spans_total",
      type: "counter",
      unit: "short",
      help: "Spans the receiver accepted into the pipeline.",
      labels: ["receiver", "transport"],
      labelValues: RECEIVER,
    },
    {
      name: "otelcol_receiver_refused_spans_total",
      type: "counter",
      unit: "short",
      help: "Spans the receiver refused (pipeline full or invalid data).",
      labels: ["receiver", "transport"],
      labelValues: RECEIVER,
    },
    {
      name: "otelcol_exporter_sent_spans_total",
      type: "counter",
      unit: "short",
      help: "Spans the exporter delivered to its backend.",
      labels: ["exporter"],
      labelValues: EXPORTER,
    },
    {
      name: "otelcol_exporter_send_failed_spans_total",
      type: "counter",
      unit: "short",
      help: "Spans the exporter failed to deliver.",
      labels: ["exporter"],
      labelValues: EXPORTER,
    },
    {
      name: "otelcol_receiver_accepted_metric_points_total",
      type: "counter",
      unit: "short",
      help: "Metric points the receiver accepted.",
      labels: ["receiver", "transport"],
      labelValues: RECEIVER,
    },
    {
      name: "otelcol_exporter_sent_metric_points_total",
      type: "counter",
      unit: "short",
      help: "Metric points the exporter delivered.",
      labels: ["exporter"],
      labelValues: EXPORTER,
    },
    {
      name: "otelcol_exporter_queue_size",
      type: "gauge",
      unit: "short",
      help: "Batches waiting in the exporter's sending queue.",
      labels: ["exporter"],
      labelValues: EXPORTER,
    },
    {
      name: "otelcol_process_memory_rss",
      type: "gauge",
      unit: "bytes",
      help: "Resident memory of the collector process.",
      labels: [],
    },
  ],
);
