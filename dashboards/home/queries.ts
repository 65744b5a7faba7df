// Home's rows, apart from the layout: per service, whether it is scraped, its traffic, its error share
// and its p95 latency, each from the named queries of that service's own dashboard module.
import type { Config } from "../../config/index.js";
import { collectorMetricName } from "../../catalog/collectorNames.js";
import type { GrafanaUnit } from "../../src/presets/panels.js";
import { perSecond } from "../../src/presets/units.js";
import { rowTarget } from "../_shared/variables.js";
import { evaluationQueries } from "../evaluation/queries.js";
import { instrumentator, pixErase as pixEraseFlavour } from "../fastapi/flavours.js";
import { fastapiQueries } from "../fastapi/queries.js";
import { infrastructureQueries } from "../infrastructure/queries.js";
import { llmQueries } from "../llm/queries.js";
import { modelServiceQueries } from "../model-service/queries.js";
import { telemetryQueries } from "../telemetry/queries.js";
import { workersQueries } from "../workers/queries.js";

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

export function upShare(jobs: string[]): string {
  return telemetryQueries(rowTarget(jobs), "").scrape.upShare();
}

/** Each row reads its service's own query module, narrowed to the row's job(s) and without dashboard variables. */
export function homeRows(config: Config): ServiceRow[] {
  const s = config.services;
  const fastapi = fastapiQueries(instrumentator, rowTarget([s.fastapi.job]), "");
  const pixErase = fastapiQueries(pixEraseFlavour, rowTarget([s.pixEraseApi.job]), "");
  const taskiq = workersQueries(rowTarget([s.pixEraseWorker.job]), "");
  // The collector's exporter may drop the _total suffix (config.signals.collectorMetricSuffixes).
  const inferences = collectorMetricName("model_inference_total", config);
  const model = modelServiceQueries(inferences, rowTarget([s.modelService.job]), "");
  const llm = llmQueries(config.costs.llmModels, rowTarget([s.fastapi.job]), "");
  const evaluation = evaluationQueries(config.costs.evaluationTokens, rowTarget([s.evaluationWorker.job]));
  const collector = telemetryQueries(rowTarget([s.otelCollector.job]), "");
  const containers = infrastructureQueries(rowTarget([s.cadvisor.job]), "").containers;
  const hosts = infrastructureQueries(rowTarget([s.nodeExporter.job]), "").hosts;

  return [
    {
      dashboard: instrumentator.uid,
      title: "FastAPI backend",
      jobs: [s.fastapi.job],
      stats: [
        {
          title: "FastAPI requests/s",
          unit: "reqps",
          expr: fastapi.requestRate(),
          description: "HTTP requests per second.",
        },
        {
          title: "FastAPI 5xx ratio",
          unit: "percentunit",
          decimals: 2,
          thresholds: "errors",
          expr: fastapi.errorRatio(),
          description: "Share of requests answered 5xx.",
        },
        {
          title: "FastAPI p95",
          unit: "s",
          thresholds: "latency",
          expr: fastapi.latencyP95(),
          description: "95th percentile request duration.",
        },
      ],
    },
    {
      dashboard: pixEraseFlavour.uid,
      title: "PixErase API",
      jobs: [s.pixEraseApi.job],
      stats: [
        {
          title: "PixErase requests/s",
          unit: "reqps",
          expr: pixErase.requestRate(),
          description: "HTTP requests per second, Prometheus' own scrapes excluded.",
        },
        {
          title: "PixErase 5xx ratio",
          unit: "percentunit",
          decimals: 2,
          thresholds: "errors",
          expr: pixErase.errorRatio(),
          description: "Share of requests answered 5xx.",
        },
        {
          title: "PixErase p95",
          unit: "s",
          thresholds: "latency",
          expr: pixErase.latencyP95(),
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
          expr: taskiq.totals.taskRate(),
          description: "Tasks finished per second.",
        },
        {
          title: "taskiq failure ratio",
          unit: "percentunit",
          decimals: 2,
          thresholds: "taskiqFailures",
          expr: taskiq.totals.taskFailureRatio(),
          description: "Share of tasks that failed.",
        },
        {
          title: "taskiq p95",
          unit: "s",
          expr: taskiq.taskP95(),
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
        expr: model.lastInferenceAge(),
        description:
          "Time since the model service's inference counter last grew; its scrape target is the collector's exporter, whose up stays 1 when the service is dead.",
      },
      stats: [
        {
          title: "Inferences/s",
          unit: perSecond("inferences"),
          expr: model.totals.inferenceRate(),
          description: "Inference calls per second.",
        },
        {
          title: "Inference error ratio",
          unit: "percentunit",
          decimals: 2,
          thresholds: "inferenceErrors",
          expr: model.totals.errorRatio(),
          description: 'Share of inference calls with status="error".',
        },
        {
          title: "Inference p95",
          unit: "ms",
          thresholds: "latency",
          expr: model.latencyP95(),
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
          expr: llm.totals.callRate(),
          description: "LLM calls per second.",
        },
        {
          title: "LLM error ratio",
          unit: "percentunit",
          decimals: 2,
          thresholds: "llmErrors",
          expr: llm.totals.errorRatio(),
          description: "Failed LLM calls as a share of calls.",
        },
        {
          title: "LLM p95",
          unit: "s",
          expr: llm.latencyP95(),
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
          expr: evaluation.evaluationRate(),
          description: "Evaluations finished per second.",
        },
        {
          title: "Evaluation failure ratio",
          unit: "percentunit",
          decimals: 2,
          thresholds: "evaluationFailures",
          expr: evaluation.failureRatio(),
          description: "Failed evaluations as a share of all.",
        },
        {
          title: "Evaluation p95",
          unit: "s",
          expr: evaluation.durationP95(),
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
          expr: collector.totals.spansAccepted(),
          description: "Spans the collector accepted per second.",
        },
        {
          title: "Span export failures",
          unit: "percentunit",
          decimals: 2,
          thresholds: "errors",
          expr: collector.totals.spanExportFailures(),
          description: "Share of spans the exporters failed to deliver.",
        },
        {
          title: "Exporter queue",
          unit: "short",
          decimals: 0,
          expr: collector.queueSizeMax(),
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
          expr: containers.running(),
          description: "Named containers cAdvisor reports.",
        },
        {
          title: "Busiest host CPU",
          unit: "percentunit",
          thresholds: "busy",
          expr: `max(${hosts.cpuBusy()})`,
          description: "CPU busy share of the busiest host.",
        },
        {
          title: "Fullest host memory",
          unit: "percentunit",
          thresholds: "busy",
          expr: `max(${hosts.memoryUsed()})`,
          description: "Memory used share of the fullest host.",
        },
      ],
    },
  ];
}

export const scrapeHealthByJob = () => telemetryQueries().scrape.upShareByJob();
