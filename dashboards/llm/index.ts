// LLM (the FastAPI/LLM stack): the LLM service layer's calls, latency, tokens, errors and what the tokens cost.
import { defineDashboard, type DashboardContext, type DashboardSelf } from "../../src/definitions.js";
import { baseDashboard } from "../../src/presets/dashboard.js";
import { row, statPanel, timeseriesPanel, warnCrit } from "../../src/presets/panels.js";
import { prom } from "../../src/presets/targets.js";
import { datasourceVariable, jobInstanceVariables, labelVariable } from "../../src/presets/variables.js";
import { withNav } from "../_shared/nav.js";
import { perSecond } from "../../src/presets/units.js";
import { firingAlertsAnnotation } from "../_shared/alerts.js";
import { METRICS, llmQueries } from "./queries.js";
import { levels } from "../../src/presets/levels.js";

function llm(ctx: DashboardContext, self: DashboardSelf) {
  const prices = ctx.config.costs.llmModels;
  const q = llmQueries(prices);
  const service = ctx.config.services.fastapi;
  const t = levels(ctx.config);
  // Red where LLMHighErrorRate fires, amber at half of it.
  const errors = warnCrit(t.llmErrorRatio / 2, t.llmErrorRatio);
  const scope = `${METRICS.calls}{job=~"$job", instance=~"$instance"}`;
  const priceList = Object.entries(prices)
    .map(([m, p]) => `${m} ${p.promptPerMillion} / ${p.completionPerMillion}`)
    .join(", ");

  const d = baseDashboard(ctx, {
    ...self,
    description:
      "The LLM service layer of the FastAPI backend (llm_* metrics): calls, latency per model and endpoint, " +
      "prompt and completion tokens, errors by reason, and token cost from the per-model prices in config/environments.ts " +
      "(costs.llmModels).",
    tags: ["ml", "llm", service.job],
  }).variables([
    datasourceVariable(),
    ...jobInstanceVariables(METRICS.calls, service.job),
    labelVariable({ name: "model", label: "Model", query: `label_values(${scope}, model)` }),
    labelVariable({ name: "provider", label: "Provider", query: `label_values(${scope}, provider)` }),
  ]);
  withNav(d, ctx, self);
  d.annotation(firingAlertsAnnotation([service.job]));

  d.withRow(row("Overview"))
    .withPanel(
      statPanel({
        title: "Calls/min",
        unit: "cpm",
        description: "LLM calls per minute across the selected models and providers.",
        targets: [prom(q.callsPerMinute())],
      }),
    )
    .withPanel(
      statPanel({
        title: "Error ratio",
        unit: "percentunit",
        decimals: 2,
        thresholds: errors,
        description: "Failed calls (llm_errors_total) as a share of all calls (llm_calls_total).",
        targets: [prom(q.errorRatio())],
      }),
    )
    .withPanel(
      statPanel({
        title: "p95 latency",
        unit: "s",
        description: "95th percentile LLM call latency.",
        targets: [prom(q.latencyP95())],
      }),
    )
    .withPanel(
      statPanel({
        title: "Token cost/hour",
        unit: "currencyUSD",
        decimals: 2,
        description: `Current spend rate on priced models, in USD per hour (USD per million prompt/completion tokens: ${priceList}).`,
        targets: [prom(q.costPerHour())],
      }),
    );

  d.withRow(row("Calls"))
    .withPanel(
      timeseriesPanel({
        title: "Calls/min by model",
        unit: "cpm",
        stack: true,
        description: "LLM calls per minute per model.",
        targets: [prom(q.callsPerMinuteByModel(), { legend: "{{model}}" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Calls/min by endpoint",
        unit: "cpm",
        stack: true,
        description: "LLM calls per minute per application endpoint.",
        targets: [prom(q.callsPerMinuteByEndpoint(), { legend: "{{endpoint}}" })],
      }),
    );

  d.withRow(row("Latency"))
    .withPanel(
      timeseriesPanel({
        title: "p95 latency by model and endpoint",
        unit: "s",
        description: "95th percentile call latency per model and endpoint, from llm_latency_seconds buckets.",
        targets: [prom(q.latencyP95ByModelEndpoint(), { legend: "{{model}} {{endpoint}}" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Median latency by model",
        unit: "s",
        description:
          "Median call latency per model: compare with p95 to see whether slowness is general or in the tail.",
        targets: [prom(q.latencyP50ByModel(), { legend: "{{model}}" })],
      }),
    );

  d.withRow(row("Tokens"))
    .withPanel(
      timeseriesPanel({
        title: "Prompt vs completion tokens/s by model",
        unit: "short",
        stack: true,
        description: "Tokens per second per model, split into prompt and completion.",
        targets: [prom(q.tokensByModelType(), { legend: "{{model}} {{type}}" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Completion tokens per prompt token",
        unit: "short",
        decimals: 2,
        description:
          "Completion tokens produced per prompt token sent, per model: a jump means longer answers (and a higher bill).",
        targets: [prom(q.completionPerPrompt(), { legend: "{{model}}" })],
      }),
    );

  d.withRow(row("Errors"))
    .withPanel(
      timeseriesPanel({
        title: "Errors/s by reason",
        unit: perSecond("failed calls"),
        stack: true,
        description: "Failed LLM calls per second by reason (timeouts, rate limits, provider errors).",
        targets: [prom(q.errorsByReason(), { legend: "{{reason}}" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Error ratio by model",
        unit: "percentunit",
        min: 0,
        thresholds: errors,
        showThresholds: true,
        description: "Failed calls as a share of calls, per model; models without calls drop out.",
        targets: [prom(q.errorRatioByModel(), { legend: "{{model}}" })],
      }),
    );

  d.withRow(row("Cost"))
    .withPanel(
      timeseriesPanel({
        title: "Token cost per hour by model",
        unit: "currencyUSD",
        stack: true,
        width: 12,
        description: `Spend rate per model in USD per hour: token rates times the configured prices (USD per million prompt/completion tokens: ${priceList}).`,
        targets: [prom(q.costPerHourByModel(), { legend: "{{model}}" })],
      }),
    )
    .withPanel(
      statPanel({
        title: "Token cost in range",
        unit: "currencyUSD",
        decimals: 2,
        graph: false,
        width: 6,
        height: 8,
        description: "Estimated spend on priced models over the selected time range.",
        targets: [prom(q.costInRange(), { instant: true })],
      }),
    )
    .withPanel(
      statPanel({
        title: "Unpriced tokens/s",
        unit: "short",
        width: 6,
        height: 8,
        thresholds: [[0.000001, "orange"]],
        description:
          "Tokens per second of models that have no price in config (costs.llmModels): their cost is missing from the panels on the left. Add the model's price when this is above 0.",
        targets: [prom(q.unpricedTokens())],
      }),
    );
  return d;
}

export default defineDashboard({
  uid: "llm-overview",
  title: "LLM",
  folder: "ml",
  nav: { order: 60 },
  build: llm,
});
