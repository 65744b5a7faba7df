// Every query of the model service inference dashboard (the model service stack), apart from the layout.
import { TARGET } from "../_shared/variables.js";
import { errorRatio, PERCENTILES, quantile, RI } from "../../src/query/build.js";

/** Seconds since `selector` last increased, looking back a day (minute resolution). */
export const lastIncreaseAge = (selector: string) =>
  `time() - max_over_time((timestamp(sum(rate(${selector}[$__rate_interval])) > 0))[1d:1m])`;

export const METRICS = { calls: "model_inference_total", latency: "model_inference_latency_ms" } as const;

/**
 * `callsMetric`: the counter as the collector's exporter names it (catalog/collectorNames.ts); `target`:
 * which jobs and instances (TARGET, or Home's rowTarget); `filters`: the dashboard's own variables.
 */
export function modelServiceQueries(
  callsMetric: string = METRICS.calls,
  target = TARGET,
  filters = ', model_id=~"$model_id", task=~"$task", framework=~"$framework"',
) {
  const sel = (extra = "") => `{${target}${filters}${extra}}`;
  const calls = (extra = "") => `${callsMetric}${sel(extra)}`;
  const rate = (by: string[] = [], extra = "") =>
    `sum${by.length ? ` by (${by.join(", ")})` : ""} (rate(${calls(extra)}[${RI}]))`;
  const total = (extra = "") => `sum(rate(${calls(extra)}[${RI}]))`;
  const errorShare = (by: string[] = []) => errorRatio(rate(by, ', status="error"'), rate(by));
  const latency = (q: number, by: string[] = []) => quantile(q, `${METRICS.latency}_bucket${sel()}`, by);

  return {
    inferenceRate: () => rate(),
    /** The same two as one plain sum each (Home's stats). */
    totals: {
      inferenceRate: () => total(),
      errorRatio: () => errorRatio(total(', status="error"'), total()),
    },
    /**
     * Seconds since the counter last grew: the collector's exporter keeps re-exporting the last value
     * while the service is silent, so the series' own timestamps say nothing about inferences.
     */
    lastInferenceAge: () => lastIncreaseAge(`${callsMetric}{${target}}`),
    errorRatio: () => errorShare(),
    latencyP95: () => latency(0.95),
    activeModels: () => `count(${rate(["model_id"])} > 0)`,
    rateByModelTask: () => rate(["model_id", "task"]),
    callsByFramework: () => `sum by (framework) (increase(${calls()}[$__range]))`,
    errorRatioByModel: () => errorShare(["model_id"]),
    errorsByModelTask: () => rate(["model_id", "task"], ', status="error"'),
    latencyByModel: (q: number) => latency(q, ["model_id"]),
    percentiles: PERCENTILES,
    table: {
      rate: () => rate(["model_id"]),
      errorRatio: () => errorShare(["model_id"]),
      p95: () => latency(0.95, ["model_id"]),
    },
    /** The model service's failed spans, and spans slower than `seconds`. */
    slowOrFailedSpans: (service: string, seconds: number) =>
      `{resource.service.name="${service}" && (status=error || duration>${seconds}s)}`,
  };
}
