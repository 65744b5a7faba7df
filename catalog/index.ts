// The metric catalog: every series the dashboards and alerts may query, named exactly as
// Prometheus stores it, with its labels, unit, source document and the jobs exposing it.
// The build checks every query against it (src/validate/catalogRefs.ts); the test fixture
// generates its synthetic series from it (test/fixtures/catalogSeries.ts).
import { EVALUATION } from "./evaluation.js";
import { withApiGateway } from "./apiGateway.js";
import { FASTAPI } from "./fastapi.js";
import { CONTAINERS, HOSTS } from "./infrastructure.js";
import { LLM } from "./llm.js";
import { MODEL_SERVICE } from "./modelService.js";
import { OTEL_COLLECTOR } from "./otelCollector.js";
import { PIXERASE } from "./pixerase.js";
import type { MetricDef } from "./types.js";
import { environments } from "../config/environments.js";

export type { MetricDef, MetricType } from "./types.js";

/**
 * Every scrape job of config.prometheus.scrapeJobs in any environment, the optional ones (off by
 * default) included; each has `up` when scraped.
 */
export const SCRAPED_JOBS: readonly string[] = [
  ...new Set(Object.values(environments).flatMap((e) => Object.keys(e.prometheus.scrapeJobs))),
];

const UP: MetricDef = {
  name: "up",
  type: "gauge",
  unit: "bool",
  help: "1 when Prometheus' last scrape of the target succeeded, 0 when it failed.",
  labels: [],
  stack: "all",
  jobs: [...SCRAPED_JOBS],
};

export const CATALOG: readonly MetricDef[] = Object.freeze([
  UP,
  ...withApiGateway(FASTAPI),
  ...LLM,
  ...PIXERASE,
  ...MODEL_SERVICE,
  ...EVALUATION,
  ...CONTAINERS,
  ...HOSTS,
  ...OTEL_COLLECTOR,
]);

const BY_NAME = new Map(CATALOG.map((m) => [m.name, m]));
// The collector's exporter drops _total when add_metric_suffixes is off (catalog/collectorNames.ts).
for (const m of CATALOG) if (m.viaCollector && m.type === "counter") BY_NAME.set(m.name.replace(/_total$/, ""), m);

export type SeriesSuffix = "" | "_bucket" | "_sum" | "_count";
const HISTOGRAM_SUFFIXES = ["_bucket", "_sum", "_count"] as const;

/** The catalog entry of a metric by its catalog name (histograms by base name). */
export function metricByName(name: string): MetricDef | undefined {
  return BY_NAME.get(name);
}

/** Resolves a series name to its metric: "x_bucket" → histogram x (suffix "_bucket"), "up" → up, ... */
export function lookupSeries(series: string): { metric: MetricDef; suffix: SeriesSuffix } | undefined {
  const direct = BY_NAME.get(series);
  if (direct && direct.type !== "histogram") return { metric: direct, suffix: "" };
  for (const suffix of HISTOGRAM_SUFFIXES) {
    if (!series.endsWith(suffix)) continue;
    const metric = BY_NAME.get(series.slice(0, -suffix.length));
    if (metric?.type === "histogram") return { metric, suffix };
  }
  return undefined;
}

/** Labels a series of that name can carry: job, instance, the metric's labels, and le for _bucket. */
export function labelsOf(series: string): string[] | undefined {
  const found = lookupSeries(series);
  if (!found) return undefined;
  return ["job", "instance", ...found.metric.labels, ...(found.suffix === "_bucket" ? ["le"] : [])];
}

/** Every series name Prometheus stores for the catalog (histograms expanded to _bucket/_sum/_count). */
export function seriesNames(): string[] {
  return CATALOG.flatMap((m) => (m.type === "histogram" ? HISTOGRAM_SUFFIXES.map((s) => m.name + s) : [m.name]));
}

/** The catalog's metrics exposed by a job. */
export function metricsOfJob(job: string): MetricDef[] {
  return CATALOG.filter((m) => m.jobs.includes(job));
}
