// The PromQL builders dashboards and alerts share, so the guards every ratio needs are written once:
// a ratio never divides by zero traffic (0/0 is NaN, and NaN must neither fire nor resolve an alert
// by accident), and an absent numerator counts as zero where that is what it means.

/** Grafana's rate interval, the window of dashboard rates. */
export const RI = "$__rate_interval";

/** Default rate window of alert expressions. */
export const RATE_WINDOW = "5m";

function by(labels: string[]): string {
  return labels.length ? `by (${labels.join(", ")}) ` : "";
}

/** sum by (labels) (rate(selector[window])) */
export function sumRate(selector: string, labels: string[], window = RATE_WINDOW): string {
  return `sum ${by(labels)}(rate(${selector}[${window}]))`;
}

/**
 * The traffic guard of a ratio: `whole` (a per-second rate) is at least `minPerMinute` events per
 * minute; with 0, any traffic at all. Below it a ratio says little (1 failure in 3 requests is 33%).
 */
export function trafficGuard(whole: string, minPerMinute = 0): string {
  return minPerMinute > 0 ? `${whole} * 60 >= ${formatNumber(minPerMinute)}` : `${whole} > 0`;
}

/**
 * part / whole, the one ratio every dashboard and alert uses. The part's series may not exist while
 * the whole has traffic (an error counter before the first error): it counts as 0, so the ratio reads
 * 0 rather than nothing. Where the whole fails `guard` (default: no traffic) there is no value (0/0 is
 * NaN), unless `idle: "zero"` asks for 0 there (an error share on a panel: no traffic, no errors).
 * Nothing at all only when the whole itself is absent. Both sides must be aggregated to the same labels.
 */
export function zeroSafeRatio(part: string, whole: string, o: { guard?: string; idle?: "nothing" | "zero" } = {}): string {
  const expr = `(${part} or 0 * ${whole})\n/\n${whole}\nand\n${o.guard ?? trafficGuard(whole)}`;
  return o.idle === "zero" ? `${expr}\nor\n0 * ${whole}` : expr;
}

export interface RatioOptions {
  /** Counter selector of the events counted in the numerator, e.g. x_total{status="error"}. */
  part: string;
  /** Counter selector of all events. */
  whole: string;
  /** Labels the ratio keeps. */
  by: string[];
  window?: string;
  /** Minimum events per minute of the whole over the window (config.alerting.thresholds.minRequestsPerMinute). */
  minPerMinute: number;
}

/**
 * num / den for a share or an average on a dashboard: an absent numerator with traffic reads 0, no
 * traffic gives no point (not NaN). Both sides must be aggregated to the same labels.
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
 * Rated part / whole per `by` for an alert, only where the whole has at least `minPerMinute` events
 * per minute: a label set without (enough) traffic returns nothing instead of NaN or a noisy ratio.
 * An absent part counts as 0, so "below" alerts on a success ratio fire when nothing succeeded.
 */
export function rateRatio(o: RatioOptions): string {
  const whole = sumRate(o.whole, o.by, o.window);
  return zeroSafeRatio(sumRate(o.part, o.by, o.window), whole, { guard: trafficGuard(whole, o.minPerMinute) });
}

/**
 * Matcher for the bucket with upper bound `le`, in both spellings a Python client's histogram can be
 * stored under: prometheus_client writes le="1.0", Prometheus 3 normalises that to "1" when it
 * scrapes, Prometheus 2 keeps it as written.
 */
export function leMatcher(le: number): string {
  const text = formatNumber(le);
  // [.] rather than \. : no escaping to get right in PromQL strings, YAML and Go templates.
  return Number.isInteger(le) ? `le=~"${text}|${text}[.]0"` : `le="${text}"`;
}

/**
 * Share of a classic histogram's observations above `le` (which must be one of its bucket bounds),
 * per `by`, only where it has at least `minPerMinute` observations per minute. "p95 > 1s" is exactly "more than 5% above 1s"; unlike
 * histogram_quantile this needs no interpolation and still works when `le` is the highest finite
 * bucket (histogram_quantile never returns more than that bound).
 */
export function shareAbove(o: { histogram: string; matchers: string; le: number; by: string[]; window?: string; minPerMinute: number }): string {
  const sel = (suffix: string, extra = "") => `${o.histogram}${suffix}{${[o.matchers, extra].filter(Boolean).join(", ")}}`;
  const count = sumRate(sel("_count"), o.by, o.window);
  return `1 - ${sumRate(sel("_bucket", leMatcher(o.le)), o.by, o.window)} / ${count}\nand\n${trafficGuard(count, o.minPerMinute)}`;
}

function indent(expr: string): string {
  return expr.replace(/^/gm, "  ");
}

/** Wraps a multi-line or compound expression in parentheses for a comparison. */
function operand(expr: string): string {
  return /\s(and|or|unless|[-+*/%^]|[<>]=?|[!=]=)\s|\n/.test(expr.trim()) ? `(\n${indent(expr.trim())}\n)` : expr.trim();
}

export function above(value: string, threshold: number): string {
  return `${operand(value)} > ${formatNumber(threshold)}`;
}

export function below(value: string, threshold: number): string {
  return `${operand(value)} < ${formatNumber(threshold)}`;
}

/** Either condition, each in parentheses: (a) or (b). */
export function either(...conditions: string[]): string {
  return conditions.map((c) => `(\n${indent(c.trim())}\n)`).join("\nor\n");
}

/** A number as PromQL text without binary-float noise: 14.4 * 0.001 → 0.0144. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return String(Number(n.toPrecision(12)));
}

/** A fraction as a percentage for messages: 0.05 → "5%", 0.999 → "99.9%". */
export function percent(n: number): string {
  return `${formatNumber(n * 100)}%`;
}
