// Model service inference (the model service stack): the model_inference metrics the outbound adapters emit,
// re-exported by the OpenTelemetry collector, and the use-case spans in Tempo.
import { defineDashboard, type DashboardContext, type DashboardSelf } from "../../src/definitions.js";
import { baseDashboard } from "../../src/presets/dashboard.js";
import {
  piePanel,
  row,
  statPanel,
  tablePanel,
  timeseriesPanel,
  tracesPanel,
  warnCrit,
} from "../../src/presets/panels.js";
import { prom, traceql } from "../../src/presets/targets.js";
import { datasourceVariable, jobInstanceVariables, labelVariable } from "../../src/presets/variables.js";
import { withNav } from "../_shared/nav.js";
import { firingAlertsAnnotation } from "../_shared/alerts.js";
import { withColumns } from "../_shared/panels.js";
import { pLabel } from "../../src/query/build.js";
import { perSecond } from "../../src/presets/units.js";
import { METRICS, modelServiceQueries } from "./queries.js";
import { levels } from "../../src/presets/levels.js";
import { collectorMetricName } from "../../catalog/collectorNames.js";

function modelService(ctx: DashboardContext, self: DashboardSelf) {
  const callsMetric = collectorMetricName(METRICS.calls, ctx.config);
  const q = modelServiceQueries(callsMetric);
  const service = ctx.config.services.modelService;
  const t = levels(ctx.config);
  // Red where ModelInferenceHighErrorRate fires, amber at half of it.
  const errors = warnCrit(t.modelInferenceErrorRatio / 2, t.modelInferenceErrorRatio);
  const latencyMs = warnCrit(t.latencyP95Warning * 1000, t.latencyP95Critical * 1000);
  const scope = `${callsMetric}{job=~"$job", instance=~"$instance"}`;

  const d = baseDashboard(ctx, {
    ...self,
    description:
      "Inference calls of the model service's outbound adapters (model_inference, via the OpenTelemetry collector's " +
      "Prometheus exporter): throughput, errors and latency per model, task and framework, with the slow and " +
      "failed use-case spans.",
    tags: ["ml", "model-service", service.job],
  }).variables([
    datasourceVariable(),
    ...jobInstanceVariables(callsMetric, service.job),
    labelVariable({ name: "model_id", label: "Model", query: `label_values(${scope}, model_id)` }),
    labelVariable({ name: "task", label: "Task", query: `label_values(${scope}, task)` }),
    labelVariable({ name: "framework", label: "Framework", query: `label_values(${scope}, framework)` }),
  ]);
  withNav(d, ctx, self);
  d.annotation(firingAlertsAnnotation([service.job]));

  d.withRow(row("Overview"))
    .withPanel(
      statPanel({
        title: "Inferences/s",
        unit: perSecond("inferences"),
        description: "Inference calls per second across the selected models, tasks and frameworks.",
        targets: [prom(q.inferenceRate())],
      }),
    )
    .withPanel(
      statPanel({
        title: "Error ratio",
        unit: "percentunit",
        decimals: 2,
        thresholds: errors,
        description: 'Share of inference calls with status="error".',
        targets: [prom(q.errorRatio())],
      }),
    )
    .withPanel(
      statPanel({
        title: "p95 latency",
        unit: "ms",
        thresholds: latencyMs,
        description: "95th percentile inference latency (model_inference_latency_ms, milliseconds), all calls.",
        targets: [prom(q.latencyP95())],
      }),
    )
    .withPanel(
      statPanel({
        title: "Last inference seen",
        unit: "s",
        decimals: 0,
        graph: false,
        thresholds: [
          [300, "orange"],
          [600, "red"],
        ],
        description:
          `Time since ${callsMetric} last grew, i.e. since the last inference call anywhere. The scrape target is ` +
          `the collector's exporter (:8889), whose up stays 1 when the model service is dead; this goes up instead. ` +
          `ServiceStoppedReporting warns when no sample of it arrived for 10 minutes.`,
        targets: [prom(q.lastInferenceAge())],
      }),
    )
    .withPanel(
      statPanel({
        title: "Active models",
        unit: "short",
        decimals: 0,
        graph: false,
        description: "Models that served at least one call in the last rate window.",
        targets: [prom(q.activeModels())],
      }),
    );

  d.withRow(row("Throughput"))
    .withPanel(
      timeseriesPanel({
        title: "Inferences/s by model and task",
        unit: perSecond("inferences"),
        width: 16,
        description: "Inference calls per second per model_id and task.",
        targets: [prom(q.rateByModelTask(), { legend: "{{model_id}} {{task}}" })],
      }),
    )
    .withPanel(
      piePanel({
        title: "Calls by framework",
        unit: "short",
        width: 8,
        description: "Inference calls in the selected time range, split by framework.",
        targets: [prom(q.callsByFramework(), { legend: "{{framework}}", instant: true })],
      }),
    );

  d.withRow(row("Errors"))
    .withPanel(
      timeseriesPanel({
        title: "Error share by model",
        unit: "percentunit",
        min: 0,
        thresholds: errors,
        showThresholds: true,
        description:
          'Share of each model\'s calls that ended with status="error"; models without traffic drop out instead of showing 0/0.',
        targets: [prom(q.errorRatioByModel(), { legend: "{{model_id}}" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Errors/s by model and task",
        unit: perSecond("failed inferences"),
        stack: true,
        description: "Failed inference calls per second.",
        targets: [prom(q.errorsByModelTask(), { legend: "{{model_id}} {{task}}" })],
      }),
    );

  d.withRow(row("Latency")).withPanel(
    timeseriesPanel({
      title: "Latency p50 / p95 / p99 by model",
      unit: "ms",
      width: 24,
      thresholds: latencyMs,
      showThresholds: true,
      description:
        "Inference latency percentiles per model in milliseconds, estimated from the histogram buckets (OpenTelemetry default bounds).",
      targets: q.percentiles.map((x) => prom(q.latencyByModel(x), { legend: `${pLabel(x)} {{model_id}}` })),
    }),
  );

  d.withRow(row("Models")).withPanel(
    withColumns(
      tablePanel({
        title: "Models",
        unit: "short",
        width: 24,
        sortBy: "Inferences/s",
        description: "One row per model: current call rate, error share and p95 latency.",
        targets: [
          prom(q.table.rate(), { instant: true, table: true }),
          prom(q.table.errorRatio(), { instant: true, table: true }),
          prom(q.table.p95(), { instant: true, table: true }),
        ],
      }),
      [
        { refId: "A", title: "Inferences/s", unit: perSecond("inferences"), decimals: 2 },
        { refId: "B", title: "Error %", unit: "percentunit", decimals: 2, thresholds: errors },
        { refId: "C", title: "p95", unit: "ms", decimals: 0, thresholds: latencyMs },
      ],
    ),
  );

  if (service.traces !== "none" && service.traces.datasource === "tempo") {
    d.withRow(row("Traces")).withPanel(
      tracesPanel({
        title: "Slow and failed spans",
        width: 24,
        height: 10,
        description: `Model service spans (one per use case, named after its class) that failed or took longer than ${t.latencyP95Critical}s (TraceQL on Tempo).`,
        targets: [traceql(q.slowOrFailedSpans(service.traces.serviceName, t.latencyP95Critical))],
      }),
    );
  }
  return d;
}

export default defineDashboard({
  uid: "model-service-inference",
  title: "Model service inference",
  folder: "ml",
  nav: { order: 50, title: "Model service" },
  build: modelService,
});
