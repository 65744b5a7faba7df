// Every query of the home dashboard, apart from the layout: per service, whether it is scraped, its
// traffic, its error share and its p95 latency, read from the same metrics as its own dashboard.
import type { Config } from "../../config/index.js";
import { instrumentator, pixErase } from "../fastapi/flavours.js";
import { errorRatio, quantile, RI } from "../../src/query/build.js";
import { perSecond } from "../../src/presets/units.js";
import { lastIncreaseAge } from "../model-service/queries.js";
import { collectorMetricName } from "../../catalog/collectorNames.js";
import type { GrafanaUnit } from "../../src/presets/panels.js";

export interface Stat {
  title: string;
  unit: GrafanaUnit;
  expr: string;
  description: string;
  decimals?: number;
  /** "errors": warning/critical error-ratio colours; "latency": latency colours (seconds, or ms when unit is ms). */
  /** Colour levels: HTTP error ratio, latency, host saturation, or the level of the alert on that ratio. */
  thresholds?:
    | "errors"
    | "latency"
    | "busy"
    | "taskiqFailures"
    | "inferenceErrors"
    | "llmErrors"
    | "evaluationFailures";
}

export interface ServiceRow {
  /** Uid of the dashboard the row's stats open. */
  dashboard: string;
  title: string;
  /** Jobs whose targets the Up stat covers. */
  jobs: string[];
  /** Replaces the Up stat where `up` does not say whether the service lives (scraped through the collector). */
  liveness?: Stat;
  stats: [Stat, Stat, Stat];
}

const sum = (expr: string) => `sum(${expr})`;

/** The row's own job(s) on top of the $job filter: deselecting a job in $job empties its row. */
const jobMatchers = (jobs: string[]) =>
  `job=~"$job", ${jobs.length === 1 ? `job="${jobs[0]}"` : `job=~"${jobs.join("|")}"`}`;

export function upShare(jobs: string[]): string {
  return `avg(up{${jobMatchers(jobs)}, instance=~"$instance"})`;
}

export function homeRows(config: Config): ServiceRow[] {
  const s = config.services;
  const sel = (job: string, extra = "") => `{${jobMatchers([job])}, instance=~"$instance"${extra}}`;
  const rate = (metric: string, job: string, extra = "") => sum(`rate(${metric}${sel(job, extra)}[${RI}])`);
  // The collector's exporter may drop the _total suffix (config.signals.collectorMetricSuffixes).
  const inferences = collectorMetricName("model_inference_total", config);

  return [
    {
      dashboard: instrumentator.uid,
      title: "FastAPI backend",
      jobs: [s.fastapi.job],
      stats: [
        {
          title: "FastAPI requests/s",
          unit: "reqps",
          expr: rate("http_requests_total", s.fastapi.job),
          description: "HTTP requests per second.",
        },
        {
          title: "FastAPI 5xx ratio",
          unit: "percentunit",
          decimals: 2,
          thresholds: "errors",
          expr: errorRatio(
            rate("http_requests_total", s.fastapi.job, ', status=~"5.."'),
            rate("http_requests_total", s.fastapi.job),
          ),
          description: "Share of requests answered 5xx.",
        },
        {
          title: "FastAPI p95",
          unit: "s",
          thresholds: "latency",
          expr: quantile(0.95, `http_request_duration_seconds_bucket${sel(s.fastapi.job)}`),
          description: "95th percentile request duration.",
        },
      ],
    },
    {
      dashboard: pixErase.uid,
      title: "PixErase API",
      jobs: [s.pixEraseApi.job],
      stats: [
        {
          title: "PixErase requests/s",
          unit: "reqps",
          expr: rate("fastapi_requests_total", s.pixEraseApi.job, ', path!="/metrics"'),
          description: "HTTP requests per second, Prometheus' own scrapes excluded.",
        },
        {
          title: "PixErase 5xx ratio",
          unit: "percentunit",
          decimals: 2,
          thresholds: "errors",
          expr: errorRatio(
            rate("fastapi_requests_total", s.pixEraseApi.job, ', path!="/metrics", status_code=~"5.."'),
            rate("fastapi_requests_total", s.pixEraseApi.job, ', path!="/metrics"'),
          ),
          description: "Share of requests answered 5xx.",
        },
        {
          title: "PixErase p95",
          unit: "s",
          thresholds: "latency",
          expr: quantile(
            0.95,
            `fastapi_request_duration_seconds_bucket${sel(s.pixEraseApi.job, ', path!="/metrics"')}`,
          ),
          description: "95th percentile request duration.",
        },
      ],
    },
    {
      dashboard: "workers",
      title: "PixErase worker (taskiq)",
      jobs: [s.pixEraseWorker.job],
      stats: [
        {
          title: "taskiq tasks/s",
          unit: perSecond("tasks"),
          expr: rate("taskiq_tasks_total", s.pixEraseWorker.job),
          description: "Tasks finished per second.",
        },
        {
          title: "taskiq failure ratio",
          unit: "percentunit",
          decimals: 2,
          thresholds: "taskiqFailures",
          expr: errorRatio(
            rate("taskiq_tasks_total", s.pixEraseWorker.job, ', status="error"'),
            rate("taskiq_tasks_total", s.pixEraseWorker.job),
          ),
          description: "Share of tasks that failed.",
        },
        {
          title: "taskiq p95",
          unit: "s",
          expr: quantile(0.95, `taskiq_tasks_duration_seconds_bucket${sel(s.pixEraseWorker.job)}`),
          description: "95th percentile task duration.",
        },
      ],
    },
    {
      dashboard: "model-service-inference",
      title: "Model service",
      jobs: [s.modelService.job],
      liveness: {
        title: "Model service: last inference seen",
        unit: "s",
        decimals: 0,
        expr: lastIncreaseAge(`${inferences}${sel(s.modelService.job)}`),
        description:
          "Time since the model service's inference counter last grew; its scrape target is the collector's exporter, whose up stays 1 when the service is dead.",
      },
      stats: [
        {
          title: "Inferences/s",
          unit: perSecond("inferences"),
          expr: rate(inferences, s.modelService.job),
          description: "Inference calls per second.",
        },
        {
          title: "Inference error ratio",
          unit: "percentunit",
          decimals: 2,
          thresholds: "inferenceErrors",
          expr: errorRatio(
            rate(inferences, s.modelService.job, ', status="error"'),
            rate(inferences, s.modelService.job),
          ),
          description: 'Share of inference calls with status="error".',
        },
        {
          title: "Inference p95",
          unit: "ms",
          thresholds: "latency",
          expr: quantile(0.95, `model_inference_latency_ms_bucket${sel(s.modelService.job)}`),
          description: "95th percentile inference latency, milliseconds.",
        },
      ],
    },
    {
      dashboard: "llm-overview",
      title: "LLM layer",
      jobs: [s.fastapi.job],
      stats: [
        {
          title: "LLM calls/s",
          unit: perSecond("calls"),
          expr: rate("llm_calls_total", s.fastapi.job),
          description: "LLM calls per second.",
        },
        {
          title: "LLM error ratio",
          unit: "percentunit",
          decimals: 2,
          thresholds: "llmErrors",
          expr: errorRatio(rate("llm_errors_total", s.fastapi.job), rate("llm_calls_total", s.fastapi.job)),
          description: "Failed LLM calls as a share of calls.",
        },
        {
          title: "LLM p95",
          unit: "s",
          expr: quantile(0.95, `llm_latency_seconds_bucket${sel(s.fastapi.job)}`),
          description: "95th percentile LLM call latency.",
        },
      ],
    },
    {
      dashboard: "evaluation-analytics",
      title: "Evaluation worker",
      jobs: [s.evaluationWorker.job],
      stats: [
        {
          title: "Evaluations/s",
          unit: perSecond("evaluations"),
          expr: rate("evaluations_total", s.evaluationWorker.job),
          description: "Evaluations finished per second.",
        },
        {
          title: "Evaluation failure ratio",
          unit: "percentunit",
          decimals: 2,
          thresholds: "evaluationFailures",
          expr: errorRatio(
            rate("evaluations_failed_total", s.evaluationWorker.job),
            rate("evaluations_total", s.evaluationWorker.job),
          ),
          description: "Failed evaluations as a share of all.",
        },
        {
          title: "Evaluation p95",
          unit: "s",
          expr: quantile(0.95, `evaluation_duration_seconds_bucket${sel(s.evaluationWorker.job)}`),
          description: "95th percentile evaluation processing time.",
        },
      ],
    },
    {
      dashboard: "telemetry-pipeline",
      title: "Telemetry pipeline",
      jobs: [s.otelCollector.job],
      stats: [
        {
          title: "Spans accepted/s",
          unit: perSecond("spans"),
          expr: rate("otelcol_receiver_accepted_spans_total", s.otelCollector.job),
          description: "Spans the collector accepted per second.",
        },
        {
          title: "Span export failures",
          unit: "percentunit",
          decimals: 2,
          thresholds: "errors",
          expr: errorRatio(
            rate("otelcol_exporter_send_failed_spans_total", s.otelCollector.job),
            `(${rate("otelcol_exporter_sent_spans_total", s.otelCollector.job)} + (${rate("otelcol_exporter_send_failed_spans_total", s.otelCollector.job)} or vector(0)))`,
          ),
          description: "Share of spans the exporters failed to deliver.",
        },
        {
          title: "Exporter queue",
          unit: "short",
          decimals: 0,
          expr: `max(otelcol_exporter_queue_size${sel(s.otelCollector.job)})`,
          description: "Largest exporter sending queue (the collector has no latency histogram).",
        },
      ],
    },
    {
      dashboard: "containers-hosts",
      title: "Containers & hosts",
      jobs: [s.cadvisor.job, s.nodeExporter.job],
      stats: [
        {
          title: "Containers",
          unit: "short",
          decimals: 0,
          expr: `count(count by (name) (container_last_seen${sel(s.cadvisor.job, ', name!=""')}))`,
          description: "Named containers cAdvisor reports.",
        },
        {
          title: "Busiest host CPU",
          unit: "percentunit",
          thresholds: "busy",
          expr: `max(1 - avg by (instance) (rate(node_cpu_seconds_total${sel(s.nodeExporter.job, ', mode="idle"')}[${RI}])))`,
          description: "CPU busy share of the busiest host.",
        },
        {
          title: "Fullest host memory",
          unit: "percentunit",
          thresholds: "busy",
          expr: `max(1 - sum by (instance) (node_memory_MemAvailable_bytes${sel(s.nodeExporter.job)}) / sum by (instance) (node_memory_MemTotal_bytes${sel(s.nodeExporter.job)}))`,
          description: "Memory used share of the fullest host.",
        },
      ],
    },
  ];
}

export const scrapeHealthByJob = () => `avg by (job) (up{job=~"$job", instance=~"$instance"})`;
