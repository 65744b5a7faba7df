// What a generated series is (a metric family's label sets and how its values evolve), and the checks
// a spec must pass before any text is generated.
import type { OpenMetricsOptions } from "./openmetrics.js";

/** Prometheus' default histogram buckets (client_golang DefBuckets). */
export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export interface SeriesSpec {
  /**
   * Base name as Prometheus sees it, e.g. "http_requests_total", "http_request_duration_seconds"
   * (histogram base), "up". A counter named without `_total` is exposed as `<name>_total`, because
   * an OpenMetrics counter family `foo` has samples `foo_total`.
   */
  name: string;
  type: "counter" | "gauge" | "histogram";
  /** One series per label set (include job/instance). Histograms must not use `le`. */
  labelSets: Record<string, string>[];
  /** Histogram upper bounds (le), ascending; +Inf is added automatically. Default: Prometheus' default buckets. */
  buckets?: number[];
  /**
   * Value at sample index i (0..n-1) for label set k.
   * - counter: the cumulative counter value; must be finite, >= 0 and non-decreasing in i.
   * - gauge: the gauge value.
   * - histogram: the median observation of the observations made during step i (they are spread
   *   log-normally around it); bucket counts, `_sum` and `_count` are derived from it.
   * Defaults give plausible, deterministic values with non-zero rates.
   */
  value?: (i: number, k: number) => number;
  /**
   * Multiplier of the activity during step i (default 1): scales what a default counter adds and how
   * many observations a histogram makes, so traffic can follow the day or burst.
   */
  load?: (i: number, k: number) => number;
  /** Histograms without `value`: multiplier of the default median observation during step i (default 1). */
  latency?: (i: number, k: number) => number;
}

// ---------------------------------------------------------------------------------------------
// Validation


export function validateOptions(opts: OpenMetricsOptions): void {
  if (!Number.isFinite(opts.start) || opts.start <= 0) throw new Error(`toOpenMetrics: start must be unix seconds, got ${opts.start}`);
  if (!Number.isFinite(opts.step) || opts.step < 0.001) throw new Error(`toOpenMetrics: step must be >= 0.001 s, got ${opts.step}`);
  if (!Number.isInteger(opts.samples) || opts.samples < 1)
    throw new Error(`toOpenMetrics: samples must be a positive integer, got ${opts.samples}`);
}

export function validateSpec(spec: SeriesSpec): void {
  if (!METRIC_NAME.test(spec.name)) throw new Error(`invalid metric name "${spec.name}"`);
  if (!["counter", "gauge", "histogram"].includes(spec.type)) throw new Error(`"${spec.name}": unsupported type "${spec.type}"`);
  if (spec.labelSets.length === 0)
    throw new Error(`"${spec.name}": labelSets is empty; give at least one label set (e.g. {job, instance})`);
  const seen = new Set<string>();
  for (const labels of spec.labelSets) {
    for (const [key, value] of Object.entries(labels)) {
      if (!LABEL_NAME.test(key) || key.startsWith("__")) throw new Error(`"${spec.name}": invalid label name "${key}"`);
      if (typeof value !== "string") throw new Error(`"${spec.name}": label "${key}" must be a string`);
      if (spec.type === "histogram" && key === "le") throw new Error(`"${spec.name}": histogram label sets must not contain "le"`);
    }
    const canon = canonicalLabels(labels);
    if (seen.has(canon)) throw new Error(`"${spec.name}": label set ${canon} is given twice`);
    seen.add(canon);
  }
  if (spec.type === "histogram") {
    const b = spec.buckets ?? DEFAULT_BUCKETS;
    if (b.length === 0) throw new Error(`"${spec.name}": buckets is empty`);
    b.forEach((le, j) => {
      if (!Number.isFinite(le)) throw new Error(`"${spec.name}": bucket bounds must be finite (+Inf is added automatically)`);
      if (le <= 0) throw new Error(`"${spec.name}": bucket bounds must be > 0 (observations are log-normal)`);
      if (j > 0 && le <= b[j - 1]) throw new Error(`"${spec.name}": buckets must be strictly ascending`);
    });
  } else if (spec.buckets) {
    throw new Error(`"${spec.name}": buckets only apply to histograms`);
  }
}

export function canonicalLabels(labels: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((key) => [key, labels[key]]),
  );
}

