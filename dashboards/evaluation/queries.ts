// Every query of the evaluation analytics dashboard (the evaluation worker and its API gateway), apart from the layout.
import type { Config } from "../../config/index.js";
import { API_GATEWAY_JOB } from "../../catalog/apiGateway.js";
import { TARGET } from "../_shared/variables.js";
import { errorRatio, PERCENTILES, quantile, ratio, RI } from "../../src/query/build.js";

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

/** `target`: which jobs and instances (TARGET, or Home's rowTarget). */
export function evaluationQueries(prices: Config["costs"]["evaluationTokens"], target = TARGET) {
  const sel = `{${target}}`;
  const rate = (metric: string) => `sum(rate(${metric}${sel}[${RI}]))`;
  const increase = (metric: string) => `sum(increase(${metric}${sel}[$__range]))`;
  const cost = (of: (m: string) => string) =>
    `(${of(METRICS.tokensIn)} * ${prices.inputPerMillion} + ${of(METRICS.tokensOut)} * ${prices.outputPerMillion}) / 1e6`;

  return {
    evaluationRate: () => rate(METRICS.total),
    successRatio: () => ratio(rate(METRICS.success), rate(METRICS.total)),
    failureRatio: () => errorRatio(rate(METRICS.failed), rate(METRICS.total)),
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

/**
 * RED of the API gateway in front of the worker (job api-gateway): requests, 5xx share, p95 of the
 * slowest routes. Its metric names are assumed (catalog/apiGateway.ts).
 */
export function apiGatewayQueries() {
  // The dashboard's $job filter, and the gateway's own job on top (as Home's rows do).
  const sel = (extra = "") => `{job=~"$job", job="${API_GATEWAY_JOB}", instance=~"$instance"${extra}}`;
  const rate = (extra = "") => `sum(rate(http_requests_total${sel(extra)}[${RI}]))`;
  return {
    requestRate: () => rate(),
    errorRatio: () => errorRatio(rate(', status=~"5.."'), rate()),
    rateByStatus: () => `sum by (status) (rate(http_requests_total${sel()}[${RI}]))`,
    /** p95 per route, only the `n` slowest: a gateway has many routes, a legend of all of them is unreadable. */
    slowestRoutesP95: (n: number) =>
      `topk(${n}, ${quantile(0.95, `http_request_duration_seconds_bucket${sel()}`, ["path"])})`,
  };
}
