// Deterministic OpenMetrics text for synthetic series, in the shape `promtool tsdb
// create-blocks-from openmetrics` accepts: one `# TYPE` line per family, families not
// interleaved, every sample carries a timestamp in seconds, `# EOF` at the end.

import { canonicalLabels, DEFAULT_BUCKETS, validateOptions, validateSpec, type SeriesSpec } from "./seriesSpec.js";

export { DEFAULT_BUCKETS, type SeriesSpec } from "./seriesSpec.js";

export interface OpenMetricsOptions {
  /** Unix seconds of the first sample. */
  start: number;
  /** Seconds between samples. */
  step: number;
  /** Number of samples per series. */
  samples: number;
  /** Mixed into every series' random numbers; another seed gives other (equally plausible) data. Default 0. */
  seed?: number;
}

/** Label values that mark an error/failure series; these grow too, but more slowly. */
const SERVER_ERROR = /^(5\d\d|5xx|error|errors|err|fail|failed|failure|timeout|timed_?out|exception|internal)$/i;
const CLIENT_ERROR = /^(4\d\d|4xx|rejected|denied|unauthorized|forbidden|not_?found)$/i;

/** The sample names a spec produces, as Prometheus will store them. */
export function sampleNames(spec: SeriesSpec): string[] {
  switch (spec.type) {
    case "counter":
      return [counterSampleName(spec.name)];
    case "gauge":
      return [spec.name];
    case "histogram":
      return [`${spec.name}_bucket`, `${spec.name}_sum`, `${spec.name}_count`];
  }
}

function counterSampleName(name: string): string {
  return name.endsWith("_total") ? name : `${name}_total`;
}

function familyName(spec: SeriesSpec): string {
  if (spec.type === "counter" && spec.name.endsWith("_total")) return spec.name.slice(0, -"_total".length);
  return spec.name;
}

export function toOpenMetrics(series: SeriesSpec[], opts: OpenMetricsOptions): string {
  validateOptions(opts);
  if (series.length === 0) throw new Error("toOpenMetrics: no series given");
  const families = new Map<string, string>();
  const samples = new Map<string, string>();
  for (const spec of series) {
    validateSpec(spec);
    const family = familyName(spec);
    if (families.has(family)) {
      throw new Error(
        `toOpenMetrics: metric family "${family}" is given twice ("${families.get(family)}" and "${spec.name}"); put all label sets in one spec`,
      );
    }
    families.set(family, spec.name);
    for (const s of sampleNames(spec)) {
      if (samples.has(s)) throw new Error(`toOpenMetrics: sample name "${s}" is produced by both "${samples.get(s)}" and "${spec.name}"`);
      samples.set(s, spec.name);
    }
  }

  const startMs = Math.round(opts.start * 1000);
  const stepMs = Math.round(opts.step * 1000);
  const timestamps: string[] = [];
  for (let i = 0; i < opts.samples; i++) timestamps.push(formatTimestamp(startMs + i * stepMs));

  const out: string[] = [];
  for (const spec of series) {
    out.push(`# TYPE ${familyName(spec)} ${spec.type}`);
    spec.labelSets.forEach((labels, k) => {
      const rng = mulberry32(hash(`${opts.seed ? `${opts.seed}\u0000` : ""}${spec.type}\u0000${spec.name}\u0000${canonicalLabels(labels)}`));
      switch (spec.type) {
        case "counter":
          emitCounter(out, spec, labels, k, rng, timestamps, opts);
          break;
        case "gauge":
          emitGauge(out, spec, labels, k, rng, timestamps, opts, startMs, stepMs);
          break;
        case "histogram":
          emitHistogram(out, spec, labels, k, rng, timestamps, opts);
          break;
      }
    });
  }
  out.push("# EOF");
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// Families

function emitCounter(
  out: string[],
  spec: SeriesSpec,
  labels: Record<string, string>,
  k: number,
  rng: () => number,
  ts: string[],
  opts: OpenMetricsOptions,
): void {
  const name = counterSampleName(spec.name);
  const lbl = formatLabels(labels);
  const load = spec.load ? (i: number) => checkedLoad(spec, k, i) : () => 1;
  const values = spec.value ? customCounter(spec, k, opts.samples) : defaultCounter(spec.name, labels, rng, opts, load);
  for (let i = 0; i < opts.samples; i++) out.push(`${name}${lbl} ${formatValue(values[i])} ${ts[i]}`);
}

function customCounter(spec: SeriesSpec, k: number, n: number): number[] {
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = spec.value!(i, k);
    if (!Number.isFinite(v) || v < 0)
      throw new Error(`counter "${spec.name}" label set ${k}: value(${i}) = ${v}; counters must be finite and >= 0`);
    if (i > 0 && v < values[i - 1]) {
      throw new Error(
        `counter "${spec.name}" label set ${k}: value(${i}) = ${v} < value(${i - 1}) = ${values[i - 1]}; counters must be non-decreasing`,
      );
    }
    values.push(v);
  }
  return values;
}

function checkedLoad(spec: SeriesSpec, k: number, i: number): number {
  const f = spec.load!(i, k);
  if (!Number.isFinite(f) || f < 0) throw new Error(`"${spec.name}" label set ${k}: load(${i}) = ${f}; it must be finite and >= 0`);
  return f;
}

function defaultCounter(
  name: string,
  labels: Record<string, string>,
  rng: () => number,
  opts: OpenMetricsOptions,
  load: (i: number) => number,
): number[] {
  // Continuous quantities (CPU seconds, bytes) grow by fractional amounts; event counts by integers.
  const fractional = /_seconds_total$|_seconds$/.test(name);
  const perSecond = fractional ? range(rng, 0.05, 2) : range(rng, 2, 40) * errorFactor(labels, rng);
  // Start as if the process had been up for a while at the same rate.
  const initial = perSecond * range(rng, 600, 6 * 3600);
  let value = fractional ? round(initial, 3) : Math.floor(initial);
  const values: number[] = [];
  for (let i = 0; i < opts.samples; i++) {
    if (i > 0) {
      const inc = perSecond * opts.step * range(rng, 0.7, 1.3) * load(i);
      // Every step adds something, so rate() over any window that holds two samples is > 0.
      value = fractional ? round(value + Math.max(0.001, inc), 3) : value + Math.max(1, Math.round(inc));
    }
    values.push(value);
  }
  return values;
}

function emitGauge(
  out: string[],
  spec: SeriesSpec,
  labels: Record<string, string>,
  k: number,
  rng: () => number,
  ts: string[],
  opts: OpenMetricsOptions,
  startMs: number,
  stepMs: number,
): void {
  const lbl = formatLabels(labels);
  const gen = spec.value ? (i: number) => spec.value!(i, k) : defaultGauge(spec.name, rng, startMs, stepMs);
  for (let i = 0; i < opts.samples; i++) out.push(`${spec.name}${lbl} ${formatValue(gen(i))} ${ts[i]}`);
}

function defaultGauge(name: string, rng: () => number, startMs: number, stepMs: number): (i: number) => number {
  if (name === "up" || /(_up|_success|_info|_healthy)$/.test(name)) return () => 1;
  if (/_timestamp_seconds$|_time_seconds$/.test(name)) {
    // "last happened at": a little before the sample time.
    const lag = Math.floor(range(rng, 5, 120));
    return (i) => Math.floor((startMs + i * stepMs) / 1000) - lag;
  }
  let lo = 5;
  let hi = 500;
  let digits = 2;
  if (/_ratio$/.test(name)) [lo, hi, digits] = [0.05, 0.95, 4];
  else if (/_percent(age)?$/.test(name)) [lo, hi, digits] = [5, 95, 2];
  else if (/_bytes$/.test(name)) [lo, hi, digits] = [1e8, 8e9, 0];
  else if (/_celsius$/.test(name)) [lo, hi, digits] = [30, 70, 1];
  else if (/_seconds$/.test(name)) [lo, hi, digits] = [0.01, 5, 4];
  else if (/(_count|_total|_size|_length|_items|_connections|_threads|_goroutines|_replicas)$/.test(name)) [lo, hi, digits] = [5, 500, 0];
  // A slow wave plus a little jitter, staying inside [lo, hi].
  const mid = range(rng, lo + (hi - lo) * 0.3, lo + (hi - lo) * 0.7);
  const amplitude = Math.min(mid - lo, hi - mid) * range(rng, 0.2, 0.6);
  const period = range(rng, 80, 400);
  const phase = range(rng, 0, 2 * Math.PI);
  const noise = Math.min(mid - lo, hi - mid) * 0.1;
  return (i) => {
    const v = mid + amplitude * Math.sin((2 * Math.PI * i) / period + phase) + noise * (rng() * 2 - 1);
    return round(Math.min(hi, Math.max(lo, v)), digits);
  };
}

function emitHistogram(
  out: string[],
  spec: SeriesSpec,
  labels: Record<string, string>,
  k: number,
  rng: () => number,
  ts: string[],
  opts: OpenMetricsOptions,
): void {
  const name = spec.name;
  const buckets = spec.buckets ?? DEFAULT_BUCKETS;
  const les = [...buckets.map((b) => formatValue(b)), "+Inf"];
  const base = Object.entries(labels);
  const bucketLabels = les.map((le) => formatLabels(Object.fromEntries([...base, ["le", le]])));
  const lbl = formatLabels(labels);

  // Observations per second and their spread (log-normal sigma); the median comes from value() or
  // is placed inside the bucket range so that quantiles land in finite buckets.
  const perSecond = range(rng, 1, 30) * errorFactor(labels, rng);
  const sigma = range(rng, 0.4, 0.8);
  const lowIdx = Math.min(1, buckets.length - 1);
  const highIdx = Math.max(lowIdx, buckets.length - 3);
  const logLo = Math.log(buckets[lowIdx]);
  const logHi = Math.log(buckets[highIdx]);
  const defaultMedian = Math.exp(logLo + (logHi - logLo) * range(rng, 0.15, 0.6));

  const cumulative = new Array<number>(buckets.length).fill(0);
  let count = Math.floor(perSecond * range(rng, 600, 6 * 3600));
  // Seed the starting state with the same distribution so the buckets are consistent from i = 0.
  for (let b = 0; b < buckets.length; b++) cumulative[b] = Math.round(count * logNormalCdf(buckets[b], defaultMedian, sigma));
  let sum = count * defaultMedian * Math.exp((sigma * sigma) / 2);

  for (let i = 0; i < opts.samples; i++) {
    if (i > 0) {
      let median = defaultMedian * Math.exp(range(rng, -0.15, 0.15)) * (spec.latency ? spec.latency(i, k) : 1);
      if (spec.value) {
        median = spec.value(i, k);
        if (!Number.isFinite(median) || median <= 0) {
          throw new Error(`histogram "${name}" label set ${k}: value(${i}) = ${median}; the median observation must be finite and > 0`);
        }
      }
      const n = Math.max(1, Math.round(perSecond * opts.step * range(rng, 0.7, 1.3) * (spec.load ? checkedLoad(spec, k, i) : 1)));
      // round(n * cdf) is monotonic in le because the CDF is, so buckets stay cumulative.
      for (let b = 0; b < buckets.length; b++) cumulative[b] += Math.round(n * logNormalCdf(buckets[b], median, sigma));
      count += n;
      sum += n * median * Math.exp((sigma * sigma) / 2);
    }
    for (let b = 0; b < buckets.length; b++) out.push(`${name}_bucket${bucketLabels[b]} ${cumulative[b]} ${ts[i]}`);
    out.push(`${name}_bucket${bucketLabels[buckets.length]} ${count} ${ts[i]}`);
    out.push(`${name}_sum${lbl} ${formatValue(round(sum, 6))} ${ts[i]}`);
    out.push(`${name}_count${lbl} ${count} ${ts[i]}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Formatting and helpers

function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([key, value]) => `${key}="${escapeLabelValue(value)}"`).join(",")}}`;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

function formatTimestamp(ms: number): string {
  const whole = Math.floor(ms / 1000);
  const frac = ms - whole * 1000;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(3, "0").replace(/0+$/, "")}`;
}

function errorFactor(labels: Record<string, string>, rng: () => number): number {
  const values = Object.values(labels);
  if (values.some((v) => SERVER_ERROR.test(v))) return range(rng, 0.005, 0.05);
  if (values.some((v) => CLIENT_ERROR.test(v))) return range(rng, 0.02, 0.1);
  return 1;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function range(rng: () => number, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

/** Log-normal CDF: P(X <= x) for median m and log-sd sigma. */
function logNormalCdf(x: number, median: number, sigma: number): number {
  return normalCdf(Math.log(x / median) / sigma);
}

function normalCdf(z: number): number {
  // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): plenty for synthetic data.
  const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function hash(s: string): number {
  // FNV-1a, 32 bit.
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
