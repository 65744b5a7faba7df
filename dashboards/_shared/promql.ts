// PromQL idioms the dashboards share.

export const RI = "$__rate_interval";

/**
 * num / den that stays meaningful: no traffic gives no point (not NaN or +Inf), and traffic without a
 * single numerator series (no error has happened yet) gives 0 rather than no data.
 * Both sides must be aggregated to the same labels.
 */
export function ratio(num: string, den: string): string {
  return `(${num} or ${den} * 0) / (${den} > 0)`;
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
