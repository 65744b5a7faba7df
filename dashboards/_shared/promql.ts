// PromQL idioms the dashboards share.
import type { GrafanaUnit } from "../../src/lint/grafanaUnits.js";
import { zeroSafeRatio } from "../../src/alerting/promql.js";

export const RI = "$__rate_interval";

/**
 * num / den for a share or an average: an absent numerator with traffic reads 0, no traffic gives no
 * point (not NaN). The ratio helper alerts use too (src/alerting/promql.ts). Both sides must be
 * aggregated to the same labels.
 */
export function ratio(num: string, den: string): string {
  return zeroSafeRatio(num, den);
}

/**
 * An error or failure share: 0 while there is traffic and no error series yet, and 0 with no traffic
 * (nothing failed); "No data" only when the denominator's series are absent (the service is not there).
 */
export function errorRatio(errors: string, total: string): string {
  return zeroSafeRatio(errors, total, { idle: "zero" });
}

/** histogram_quantile over a classic histogram, aggregated by le plus `by`. */
export function quantile(q: number, bucketSelector: string, by: string[] = [], range = RI): string {
  return `histogram_quantile(${q}, sum by (${["le", ...by].join(", ")}) (rate(${bucketSelector}[${range}])))`;
}

/** Escapes a literal for use inside a PromQL regex matcher ("a.b" → "a\\\\.b" in the query text). */
export function regexLiteral(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\\\${c}`);
}

export const PERCENTILES = [0.5, 0.95, 0.99] as const;
export const pLabel = (q: number) => `p${Math.round(q * 100)}`;

/**
 * A rate unit that says what is counted ("0.3 evaluations/s"), for rates of things that are not
 * requests: Grafana's reqps would call evaluations and inferences requests.
 */
export function perSecond(what: string): GrafanaUnit {
  return `suffix: ${what}/s`;
}
