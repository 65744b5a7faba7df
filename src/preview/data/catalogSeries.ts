// Synthetic series for every metric of the catalog, per job it lists, so a real Prometheus started
// with them (./prometheus.ts) answers every dashboard and alert query; with `shapes`, traffic follows
// the day, errors burst and latency rises with them, and one container runs near its memory limit.
//
// Label sets are the product of the catalog's known label values, except for labels that describe one
// thing together (a container's name, image and id; a model and the task it serves), which are
// zipped. Values default to the fixture's plausible generators; gauges whose scale the name does not
// tell (a 0-1 rate, a memory total that must exceed what is available) get explicit values.
import type { SeriesSpec } from "./seriesSpec.js";
import { burst, diurnal, isErrorSeries } from "./shapes.js";

/** What the generator needs of a catalog entry (catalog/types.ts MetricDef has these fields). */
export interface MetricDef {
  name: string;
  type: "counter" | "gauge" | "histogram";
  labels: string[];
  labelValues?: Record<string, string[]>;
  jobs: string[];
  buckets?: number[];
}

/** Labels zipped by index (value i of the first goes with value i of the others), not multiplied. */
const ZIPPED: string[][] = [
  ["name", "image", "id"],
  ["model_id", "task"],
];

/** Labels whose value follows from another label's. */
const DERIVED: Record<string, (labels: Record<string, string>) => string | undefined> = {
  provider: (l) => (l.model === undefined ? undefined : l.model.startsWith("claude") ? "anthropic" : "openai"),
};

const GiB = 2 ** 30;

/**
 * Values for gauges whose generic default would be implausible; i = sample index, k = label set,
 * t0 = unix seconds of sample 0, step = seconds between samples.
 */
function gaugeValue(metric: MetricDef, t0: number, step: number, shaped: boolean, count: number): SeriesSpec["value"] {
  const wave = (i: number, k: number, mid: number, amp: number) => mid + amp * Math.sin(i / 17 + k);
  switch (metric.name) {
    case "evaluation_success_rate":
      return (i, k) => Math.round(wave(i, k, 0.9, 0.05) * 1e4) / 1e4;
    case "node_memory_MemTotal_bytes":
      return () => 16 * GiB;
    case "node_memory_MemAvailable_bytes":
      return (i, k) => Math.round(wave(i, k, 7 * GiB, GiB));
    case "node_filesystem_size_bytes":
      return () => 100 * GiB;
    case "node_filesystem_avail_bytes":
      return (i, k) => Math.round(wave(i, k, 40 * GiB, 2 * GiB));
    case "container_spec_memory_limit_bytes":
      return () => 2 * GiB;
    case "container_memory_working_set_bytes":
    case "container_memory_usage_bytes":
      // The last container creeps up to 92-97 % of its 2 GiB limit: the panels about headroom show it.
      if (shaped) return (i, k) => Math.round(k === count - 1 ? wave(i, k, 1.9 * GiB, 0.05 * GiB) : wave(i, k, 0.5 * GiB + k * 0.2 * GiB, 0.1 * GiB));
      return (i, k) => Math.round(wave(i, k, 0.5 * GiB + k * 0.2 * GiB, 0.1 * GiB));
    case "node_load1":
      return (i, k) => Math.round(wave(i, k, 1.2, 0.6) * 100) / 100;
    case "otelcol_process_memory_rss":
      return (i, k) => Math.round(wave(i, k, 180e6, 20e6));
    case "otelcol_exporter_queue_size":
      return (i, k) => Math.max(0, Math.round(wave(i, k, 20, 15)));
    // Timestamps: hosts booted days ago, processes hours ago; the first container restarts
    // half-way through the window; cAdvisor saw every container at the last scrape.
    case "node_boot_time_seconds":
      return () => t0 - 3 * 86400;
    case "process_start_time_seconds":
      return (_, k) => t0 - 7200 - k * 600;
    case "container_start_time_seconds":
      return (i, k) => (k === 0 && i >= 180 ? t0 + 180 * step - 5 : t0 - 86400 + k * 3600);
    case "container_last_seen":
      return (i) => t0 + i * step - 2;
    default:
      return undefined;
  }
}

/**
 * Per-second rates for counters that only make sense together: outcomes that add up to a total,
 * errors that are a small share of calls, tokens per evaluation. Other counters use the fixture's
 * defaults (which already make error-looking label values rarer).
 */
const COUNTER_RATES: Record<string, (labels: Record<string, string>) => number> = {
  evaluations_total: () => 4,
  evaluations_success_total: () => 3.6,
  evaluations_failed_total: () => 0.4,
  cases_flagged_total: () => 0.6,
  tokens_input_total: () => 3200,
  tokens_output_total: () => 1200,
  tokens_total: () => 4400,
  llm_calls_total: () => 1,
  llm_errors_total: (l) => ({ timeout: 0.004, rate_limit: 0.01, api_error: 0.006 })[l.reason] ?? 0.005,
  llm_tokens_total: (l) => (l.type === "prompt" ? 500 : 150),
  otelcol_receiver_accepted_spans_total: () => 200,
  otelcol_receiver_refused_spans_total: () => 0.4,
  otelcol_exporter_sent_spans_total: () => 200,
  otelcol_exporter_send_failed_spans_total: () => 0.2,
  otelcol_receiver_accepted_metric_points_total: () => 300,
  otelcol_exporter_sent_metric_points_total: () => 300,
};

/** A counter growing at `perSecond` from a value as if the process had run for six hours. */
function steadyCounter(perSecond: (k: number) => number, step: number): SeriesSpec["value"] {
  return (i, k) => Math.round(perSecond(k) * (6 * 3600 + i * step) * 1000) / 1000;
}

function valuesOf(metric: MetricDef, label: string): string[] {
  return metric.labelValues?.[label] ?? [`${label}-a`, `${label}-b`];
}

/** Label combinations of a metric, beyond job and instance. */
export function labelCombinations(metric: MetricDef): Record<string, string>[] {
  const groups: Record<string, string>[][] = [];
  const done = new Set<string>();
  for (const label of metric.labels) {
    if (done.has(label) || DERIVED[label]) continue;
    const zip = ZIPPED.find((z) => z[0] === label || z.includes(label))?.filter((l) => metric.labels.includes(l));
    if (zip && zip.length > 1) {
      const lead = valuesOf(metric, zip[0]);
      groups.push(lead.map((_, i) => Object.fromEntries(zip.map((l) => [l, valuesOf(metric, l)[i % valuesOf(metric, l).length]]))));
      zip.forEach((l) => done.add(l));
    } else {
      groups.push(valuesOf(metric, label).map((v) => ({ [label]: v })));
      done.add(label);
    }
  }
  let combos: Record<string, string>[] = [{}];
  for (const g of groups) combos = combos.flatMap((c) => g.map((v) => ({ ...c, ...v })));
  return combos.map((c) => {
    const out = { ...c };
    for (const label of metric.labels) {
      const derive = DERIVED[label];
      if (derive && out[label] === undefined) out[label] = derive(out) ?? valuesOf(metric, label)[0];
    }
    return out;
  });
}

export interface CatalogSeriesOptions {
  /** The metric catalog (catalog/index.ts CATALOG). */
  metrics: readonly MetricDef[];
  /** Scrape targets per job (config.prometheus.scrapeJobs[job].targets). */
  targets: Record<string, readonly string[]>;
  /** Must match startPrometheus' options (defaults 90 and 15, as there). */
  minutes?: number;
  stepSeconds?: number;
  /** Unix seconds of the last sample (startPrometheus' `end`); default now. */
  end?: number;
  /** Day-shaped traffic, error bursts, slow requests during them, a container near its memory limit. */
  shapes?: boolean;
  /** Moves the bursts (and, given to startPrometheus too, every random number). */
  seed?: number;
}

/** SeriesSpecs for the whole catalog: every metric, for every job that exposes it, on that job's scrape targets. */
export function catalogSeries(opts: CatalogSeriesOptions): SeriesSpec[] {
  const step = opts.stepSeconds ?? 15;
  const samples = Math.floor(((opts.minutes ?? 90) * 60) / step) + 1;
  // Without `end`, startPrometheus ends the window at its start-up time, a moment after this.
  const t0 = (opts.end ?? Math.floor(Date.now() / 1000)) - (samples - 1) * step;
  const shaped = opts.shapes ?? false;
  return opts.metrics.map((metric) => {
    const combos = labelCombinations(metric);
    const labelSets = metric.jobs.flatMap((job) => {
      const targets = opts.targets[job];
      if (!targets) throw new Error(`catalog metric ${metric.name} lists job "${job}", which has no scrape targets in the config`);
      return targets.flatMap((instance) => combos.map((c) => ({ job, instance, ...c })));
    });
    const spec: SeriesSpec = { name: metric.name, type: metric.type, labelSets };
    // The fixture's log-normal observations need bounds > 0 (the OpenTelemetry default list starts at 0).
    if (metric.type === "histogram" && metric.buckets) spec.buckets = metric.buckets.filter((b) => b > 0);
    const rate = COUNTER_RATES[metric.name];
    const value =
      metric.type === "gauge" ? gaugeValue(metric, t0, step, shaped, labelSets.length) : rate && steadyCounter((k) => rate(labelSets[k]), step);
    if (value) spec.value = value;
    if (shaped && metric.type !== "gauge" && !value) {
      const seed = opts.seed ?? 0;
      const errors = labelSets.map((l) => isErrorSeries(metric.name, l));
      const day = (i: number) => diurnal(t0 + i * step);
      spec.load = (i, k) => day(i) * (errors[k] ? 1 + 7 * burst(i, samples, seed) : 1);
      if (metric.type === "histogram") spec.latency = (i) => 1 + 1.5 * burst(i, samples, seed);
    }
    return spec;
  });
}
