// Small PromQL builders for alert expressions, so the guards every alert needs are written once:
// a ratio never divides by zero traffic (0/0 is NaN, and NaN must neither fire nor resolve an alert
// by accident), and an absent numerator counts as zero where that is what it means.

/** Default rate window of alert expressions. */
export const RATE_WINDOW = "5m";

function by(labels: string[]): string {
  return labels.length ? `by (${labels.join(", ")}) ` : "";
}

/** sum by (labels) (rate(selector[window])) */
export function sumRate(selector: string, labels: string[], window = RATE_WINDOW): string {
  return `sum ${by(labels)}(rate(${selector}[${window}]))`;
}

export interface RatioOptions {
  /** Counter selector of the events counted in the numerator, e.g. x_total{status="error"}. */
  part: string;
  /** Counter selector of all events. */
  whole: string;
  /** Labels the ratio keeps. */
  by: string[];
  window?: string;
  /**
   * The part's series may be absent while the whole has traffic (a success counter that never
   * moved): count it as 0 instead of dropping the result. Needed for "below" alerts on a ratio.
   */
  missingPartIsZero?: boolean;
}

/**
 * part / whole per `by`, only where the whole has traffic: a label set without events returns
 * nothing instead of NaN.
 */
export function ratio(o: RatioOptions): string {
  const whole = sumRate(o.whole, o.by, o.window);
  const part = o.missingPartIsZero ? `(${sumRate(o.part, o.by, o.window)} or 0 * ${whole})` : sumRate(o.part, o.by, o.window);
  return `${part}\n/\n${whole}\nand\n${whole} > 0`;
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
 * per `by`, only where it has observations. "p95 > 1s" is exactly "more than 5% above 1s"; unlike
 * histogram_quantile this needs no interpolation and still works when `le` is the highest finite
 * bucket (histogram_quantile never returns more than that bound).
 */
export function shareAbove(o: { histogram: string; matchers: string; le: number; by: string[]; window?: string }): string {
  const sel = (suffix: string, extra = "") => `${o.histogram}${suffix}{${[o.matchers, extra].filter(Boolean).join(", ")}}`;
  const count = sumRate(sel("_count"), o.by, o.window);
  return `1 - ${sumRate(sel("_bucket", leMatcher(o.le)), o.by, o.window)} / ${count}\nand\n${count} > 0`;
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
