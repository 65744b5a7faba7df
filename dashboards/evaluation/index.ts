// Evaluation analytics (the evaluation platform, "Medical Evaluation Analytics"): the evaluation worker's throughput,
// outcomes, processing time, flagged cases, token use and cost estimate.
import { defineDashboard, type DashboardContext, type DashboardSelf } from "../../src/definitions.js";
import { baseDashboard } from "../../src/presets/dashboard.js";
import { row, statPanel, timeseriesPanel, tracesPanel, warnCrit } from "../../src/presets/panels.js";
import { prom, traceql } from "../../src/presets/targets.js";
import { datasourceVariable } from "../../src/presets/variables.js";
import { multiJobVariables } from "../_shared/variables.js";
import { withNav } from "../_shared/nav.js";
import { firingAlertsAnnotation } from "../_shared/alerts.js";
import { higherIsBetter } from "../_shared/panels.js";
import { pLabel } from "../../src/query/build.js";
import { perSecond } from "../../src/presets/units.js";
import { API_GATEWAY_JOB } from "../../catalog/apiGateway.js";
import { apiGatewayQueries, METRICS, evaluationQueries } from "./queries.js";
import { levels } from "../../src/presets/levels.js";

/** An LLM call slower than this is listed in "Slowest LLM calls". */
const SLOW_LLM_SECONDS = 5;

function evaluation(ctx: DashboardContext, self: DashboardSelf) {
  // the evaluation platform's alert levels (config alerting.thresholds): success below 80% warns, failure above 20% pages.
  const { evaluationSuccessRatio: SUCCESS_RATE_LOW, evaluationFailureRatio: FAILURE_RATE_HIGH } = levels(ctx.config);
  const prices = ctx.config.costs.evaluationTokens;
  const q = evaluationQueries(prices);
  const service = ctx.config.services.evaluationWorker;
  const priceNote = `USD ${prices.inputPerMillion} per million input tokens and ${prices.outputPerMillion} per million output tokens (config costs.evaluationTokens)`;

  const d = baseDashboard(ctx, {
    ...self,
    description:
      "The evaluation worker (the evaluation platform): evaluations per second, success and failure, success " +
      "rate from the counters and from the worker's own gauge, processing time percentiles, flagged cases, LLM " +
      "tokens and their estimated cost.",
    tags: ["ml", "evaluation", service.job],
  }).variables([datasourceVariable(), ...multiJobVariables([service.job, API_GATEWAY_JOB])]);
  withNav(d, ctx, self);
  d.annotation(firingAlertsAnnotation([service.job, API_GATEWAY_JOB]));

  d.withRow(row("Overview"))
    .withPanel(
      statPanel({
        title: "Evaluations/s",
        unit: perSecond("evaluations"),
        description: "Evaluations finished per second.",
        targets: [prom(q.evaluationRate())],
      }),
    )
    .withPanel(
      statPanel({
        title: "Success rate",
        unit: "percentunit",
        decimals: 1,
        description: `Successful evaluations as a share of all (counters). Red below ${SUCCESS_RATE_LOW * 100}% (the evaluation platform's alert level).`,
        targets: [prom(q.successRatio())],
      }).thresholds(higherIsBetter(SUCCESS_RATE_LOW)),
    )
    .withPanel(
      statPanel({
        title: "p95 duration",
        unit: "s",
        description: "95th percentile processing time of one evaluation.",
        targets: [prom(q.durationP95())],
      }),
    )
    .withPanel(
      statPanel({
        title: "Token cost/hour",
        unit: "currencyUSD",
        decimals: 2,
        description: `Current token spend rate in USD per hour, at ${priceNote}.`,
        targets: [prom(q.costPerHour())],
      }),
    );

  const gw = apiGatewayQueries();
  const { errorRatioWarning, errorRatioCritical } = levels(ctx.config);
  d.withRow(row("API gateway"))
    .withPanel(
      statPanel({
        title: "Gateway requests/s",
        unit: "reqps",
        description: `HTTP requests per second the API gateway (job ${API_GATEWAY_JOB}) handled.`,
        targets: [prom(gw.requestRate())],
      }),
    )
    .withPanel(
      statPanel({
        title: "Gateway 5xx ratio",
        unit: "percentunit",
        decimals: 2,
        thresholds: warnCrit(errorRatioWarning, errorRatioCritical),
        description: "Share of the gateway's requests answered with a 5xx; 0 while none failed.",
        targets: [prom(gw.errorRatio())],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Gateway requests/s by status",
        unit: "reqps",
        stack: true,
        width: 12,
        height: 8,
        description: "The gateway's request rate by response status.",
        targets: [prom(gw.rateByStatus(), { legend: "{{status}}" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Gateway p95 latency, slowest routes",
        unit: "s",
        width: 24,
        description:
          "95th percentile request duration of the 5 slowest routes at each moment (topk), from the gateway's request duration histogram.",
        targets: [prom(gw.slowestRoutesP95(5), { legend: "{{path}}" })],
      }),
    );

  d.withRow(row("Outcomes"))
    .withPanel(
      timeseriesPanel({
        title: "Success vs failure",
        unit: perSecond("evaluations"),
        stack: true,
        description: "Successful and failed evaluations per second.",
        targets: [prom(q.successRate(), { legend: "success" }), prom(q.failedRate(), { legend: "failed" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Success rate: counters vs worker gauge",
        unit: "percentunit",
        min: 0,
        max: 1,
        showThresholds: true,
        description:
          `Success rate two ways: from the counters (evaluations_success_total / evaluations_total over the rate ` +
          `window) and as reported by the worker's evaluation_success_rate gauge. They should agree; the dashed ` +
          `line is the ${SUCCESS_RATE_LOW * 100}% alert level.`,
        targets: [
          prom(q.successRatio(), { legend: "from counters" }),
          prom(q.successRateGauge(), { legend: "worker gauge" }),
        ],
      }).thresholds(higherIsBetter(SUCCESS_RATE_LOW)),
    )
    .withPanel(
      statPanel({
        title: "Failure rate",
        unit: "percentunit",
        decimals: 1,
        thresholds: warnCrit(FAILURE_RATE_HIGH / 2, FAILURE_RATE_HIGH),
        description: `Failed evaluations as a share of all; red above ${FAILURE_RATE_HIGH * 100}% (the evaluation platform's alert level).`,
        targets: [prom(q.failureRatio())],
      }),
    )
    .withPanel(
      statPanel({
        title: "Evaluations in range",
        unit: "short",
        decimals: 0,
        graph: false,
        description: "Evaluations finished in the selected time range.",
        targets: [prom(q.evaluationsInRange(), { instant: true })],
      }),
    );

  d.withRow(row("Processing time"))
    .withPanel(
      timeseriesPanel({
        title: "Duration p50 / p95 / p99",
        unit: "s",
        width: 16,
        description: "Evaluation processing time percentiles, estimated from evaluation_duration_seconds buckets.",
        targets: q.percentiles.map((x) => prom(q.durationQuantile(x), { legend: pLabel(x) })),
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Mean duration",
        unit: "s",
        width: 8,
        description: "Average processing time (histogram sum / count over the rate window).",
        targets: [prom(q.durationMean(), { legend: "mean" })],
      }),
    );

  d.withRow(row("Flagged cases"))
    .withPanel(
      timeseriesPanel({
        title: "Flagged cases/s",
        unit: perSecond("flagged cases"),
        description: "Cases flagged by evaluations, per second.",
        targets: [prom(q.flaggedRate(), { legend: "flagged" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Flagged share",
        unit: "percentunit",
        min: 0,
        description: "Flagged cases per evaluation: a sudden change points at the data or the model, not the worker.",
        targets: [prom(q.flaggedShare(), { legend: "flagged / evaluations" })],
      }),
    )
    .withPanel(
      statPanel({
        title: "Flagged in range",
        unit: "short",
        decimals: 0,
        graph: false,
        description: "Cases flagged in the selected time range.",
        targets: [prom(q.flaggedInRange(), { instant: true })],
      }),
    );

  d.withRow(row("Tokens and cost"))
    .withPanel(
      timeseriesPanel({
        title: "Tokens/s: input, output, total",
        unit: perSecond("tokens"),
        description: "LLM tokens per second used by evaluations; total should equal input + output.",
        targets: [
          prom(q.tokensIn(), { legend: "input" }),
          prom(q.tokensOut(), { legend: "output" }),
          prom(q.tokensTotal(), { legend: "total" }),
        ],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Tokens per evaluation",
        unit: "short",
        decimals: 0,
        description: "Tokens used per finished evaluation.",
        targets: [prom(q.tokensPerEvaluation(), { legend: "tokens / evaluation" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Token cost per hour",
        unit: "currencyUSD",
        description: `Estimated spend rate in USD per hour, at ${priceNote}.`,
        targets: [prom(q.costPerHour(), { legend: "USD/h" })],
      }),
    )
    .withPanel(
      statPanel({
        title: "Cost per evaluation",
        unit: "currencyUSD",
        decimals: 4,
        description: `Estimated token cost of one evaluation, at ${priceNote}.`,
        targets: [prom(q.costPerEvaluation())],
      }),
    )
    .withPanel(
      statPanel({
        title: "Token cost in range",
        unit: "currencyUSD",
        decimals: 2,
        graph: false,
        description: `Estimated token spend over the selected time range, at ${priceNote}.`,
        targets: [prom(q.costInRange(), { instant: true })],
      }),
    );
  if (service.traces !== "none" && service.traces.datasource === "tempo") {
    d.withRow(row("Traces"))
      .withPanel(
        tracesPanel({
          title: "Failed case evaluations",
          description:
            "Recent evaluate_single_case spans that ended with an error status (TraceQL on Tempo); open one to see the llm_invoke and parse_evaluation_result spans under it.",
          targets: [traceql(q.failedCases())],
        }),
      )
      .withPanel(
        tracesPanel({
          title: "Slowest LLM calls",
          description: `llm_invoke spans slower than ${SLOW_LLM_SECONDS}s with the model (llm.model) that served them (TraceQL on Tempo).`,
          targets: [traceql(q.slowLlmCalls(SLOW_LLM_SECONDS), 20, "spans")],
        }),
      );
  }
  return d;
}

export default defineDashboard({
  uid: "evaluation-analytics",
  title: "Evaluation analytics",
  folder: "ml",
  nav: { order: 70, title: "Evaluation" },
  build: evaluation,
});
