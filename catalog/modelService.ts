// Model service stack: the model service's OTLP metrics, re-exported by the collector's Prometheus exporter
// (:8889) under job model-service (the exporter sets job from service.name).
import { metrics } from "./types.js";

const LABELS = ["model_id", "task", "framework", "status"];
const VALUES = {
  model_id: ["whisper-small", "clip-vit-b32", "llama-3-8b"],
  task: ["transcription", "embedding", "generation"],
  framework: ["pytorch", "onnx"],
  status: ["success", "error"],
};

export const MODEL_SERVICE = metrics({ stack: "model-service", jobs: ["model-service"], viaCollector: true }, [
  {
    name: "model_inference_total",
    type: "counter",
    unit: "short",
    help: "Calls of the model service's outbound inference adapters, by model, task, framework and outcome.",
    labels: LABELS,
    labelValues: VALUES,
  },
  {
    name: "model_inference_latency_ms",
    type: "histogram",
    unit: "ms",
    help: "Inference call latency in milliseconds, keyed like model_inference.",
    labels: LABELS,
    labelValues: VALUES,
    // OpenTelemetry SDK default explicit bucket boundaries (milliseconds).
    buckets: [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000],
  },
]);
