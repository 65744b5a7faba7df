// Every query of the evaluation analytics dashboard (seed 003's evaluation worker), apart from the layout.
import type { Config } from "../../config/index.js";
import { PERCENTILES, quantile, ratio, RI } from "../_shared/promql.js";

export const METRICS = {
  total: "evaluations_total",
  success: "evaluations_success_total",
  failed: "evaluations_failed_total",
  duration: "evaluation_duration_seconds",
  successRate: "evaluation_success_rate",
  flagged: "cases_flagged_total",
  tokensIn: "tokens_input_total",
  tokensOut: "tokens_output_total",
  tokens: "tokens_total",
} as const;

export function evaluationQueries(prices: Config["costs"]["evaluationTokens"]) {
  const sel = `{job=~"$job", instance=~"$instance"}`;
  const rate = (metric: string) => `sum(rate(${metric}${sel}[${RI}]))`;
  const increase = (metric: string) => `sum(increase(${metric}${sel}[$__range]))`;
  const cost = (of: (m: string) => string) =>
    `(${of(METRICS.tokensIn)} * ${prices.inputPerMillion} + ${of(METRICS.tokensOut)} * ${prices.outputPerMillion}) / 1e6`;

  return {
    evaluationRate: () => rate(METRICS.total),
    successRatio: () => ratio(rate(METRICS.success), rate(METRICS.total)),
    failureRatio: () => ratio(rate(METRICS.failed), rate(METRICS.total)),
    successRateGauge: () => `avg(${METRICS.successRate}${sel})`,
    durationP95: () => quantile(0.95, `${METRICS.duration}_bucket${sel}`),
    successRate: () => rate(METRICS.success),
    failedRate: () => rate(METRICS.failed),
    evaluationsInRange: () => increase(METRICS.total),
    durationQuantile: (q: number) => quantile(q, `${METRICS.duration}_bucket${sel}`),
    durationMean: () => ratio(rate(`${METRICS.duration}_sum`), rate(`${METRICS.duration}_count`)),
    percentiles: PERCENTILES,
    flaggedRate: () => rate(METRICS.flagged),
    flaggedShare: () => ratio(rate(METRICS.flagged), rate(METRICS.total)),
    flaggedInRange: () => increase(METRICS.flagged),
    tokensIn: () => rate(METRICS.tokensIn),
    tokensOut: () => rate(METRICS.tokensOut),
    tokensTotal: () => rate(METRICS.tokens),
    tokensPerEvaluation: () => ratio(rate(METRICS.tokens), rate(METRICS.total)),
    costPerHour: () => `${cost(rate)} * 3600`,
    costInRange: () => cost(increase),
    costPerEvaluation: () => ratio(cost(rate), rate(METRICS.total)),
    /** Span names from the evaluation engine's manual instrumentation (the evaluation platform's documented trace structure). */
    failedCases: () => `{name="evaluate_single_case" && status=error}`,
    slowLlmCalls: (seconds: number) => `{name="llm_invoke" && duration>${seconds}s} | select(span.llm.model)`,
  };
}
