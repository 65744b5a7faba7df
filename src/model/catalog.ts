// The shape of a catalog entry: one metric as Prometheus stores it, with where it comes from.

export type MetricType = "counter" | "gauge" | "histogram";

export interface MetricDef {
  /** Counters with _total; histograms by base name, without _bucket/_sum/_count. */
  name: string;
  type: MetricType;
  /** Grafana unit id of the measured quantity (s, ms, bytes, short, percentunit, ...). */
  unit: string;
  help: string;
  /** Labels beyond job and instance (for histograms: beyond le too). */
  labels: string[];
  /** Known values of some labels, e.g. status: ["success", "error"]. */
  labelValues?: Record<string, string[]>;
  /** The stack whose documentation names the metric. */
  stack: "model-service" | "fastapi-llm" | "pixerase" | "evaluation" | "all";
  /** Prometheus jobs that expose it (keys of config.prometheus.scrapeJobs). */
  jobs: string[];
  /** Histogram bucket upper bounds (le), ascending, without +Inf. */
  buckets?: number[];
  /**
   * Exported by the OpenTelemetry collector's Prometheus exporter, whose settings decide the suffixes
   * (catalog/collectorNames.ts); such a counter is also known without _total.
   */
  viaCollector?: boolean;
  /** Why the entry is there although the stack document does not name it (metric or labels). */
  assumed?: string;
}

/** Defines a family of metrics sharing stack and jobs. */
export function metrics(
  common: Pick<MetricDef, "stack" | "jobs" | "viaCollector" | "assumed">,
  defs: Omit<MetricDef, "stack" | "jobs">[],
): MetricDef[] {
  return defs.map((d) => ({
    ...d,
    stack: common.stack,
    jobs: [...common.jobs],
    ...(common.viaCollector ? { viaCollector: true } : {}),
    ...(common.assumed && !d.assumed ? { assumed: common.assumed } : {}),
  }));
}

export type SeriesSuffix = "" | "_bucket" | "_sum" | "_count";
const HISTOGRAM_SUFFIXES = ["_bucket", "_sum", "_count"] as const;

/** A metric catalog and its lookups by series name. */
export interface CatalogIndex {
  readonly metrics: readonly MetricDef[];
  /** The entry of a metric by its catalog name (histograms by base name). */
  metricByName(name: string): MetricDef | undefined;
  /** Resolves a series name to its metric: "x_bucket" → histogram x (suffix "_bucket"), "up" → up, ... */
  lookupSeries(series: string): { metric: MetricDef; suffix: SeriesSuffix } | undefined;
  /** Labels a series of that name can carry: job, instance, the metric's labels, and le for _bucket. */
  labelsOf(series: string): string[] | undefined;
  /** Every series name Prometheus stores for the catalog (histograms expanded to _bucket/_sum/_count). */
  seriesNames(): string[];
  /** The catalog's metrics exposed by a job. */
  metricsOfJob(job: string): MetricDef[];
}

export function catalogIndex(metrics: readonly MetricDef[]): CatalogIndex {
  const byName = new Map(metrics.map((m) => [m.name, m]));
  // The collector's exporter drops _total when add_metric_suffixes is off (catalog/collectorNames.ts).
  for (const m of metrics) if (m.viaCollector && m.type === "counter") byName.set(m.name.replace(/_total$/, ""), m);
  const lookupSeries = (series: string): { metric: MetricDef; suffix: SeriesSuffix } | undefined => {
    const direct = byName.get(series);
    if (direct && direct.type !== "histogram") return { metric: direct, suffix: "" };
    for (const suffix of HISTOGRAM_SUFFIXES) {
      if (!series.endsWith(suffix)) continue;
      const metric = byName.get(series.slice(0, -suffix.length));
      if (metric?.type === "histogram") return { metric, suffix };
    }
    return undefined;
  };
  return {
    metrics,
    metricByName: (name) => byName.get(name),
    lookupSeries,
    labelsOf: (series) => {
      const found = lookupSeries(series);
      if (!found) return undefined;
      return ["job", "instance", ...found.metric.labels, ...(found.suffix === "_bucket" ? ["le"] : [])];
    },
    seriesNames: () => metrics.flatMap((m) => (m.type === "histogram" ? HISTOGRAM_SUFFIXES.map((s) => m.name + s) : [m.name])),
    metricsOfJob: (job) => metrics.filter((m) => m.jobs.includes(job)),
  };
}

/**
 * The name a catalog metric reaches Prometheus under through the OpenTelemetry collector's exporter:
 * without _total for counters when add_metric_suffixes is off (catalog/collectorNames.ts says why).
 */
export function collectorMetricName(catalog: CatalogIndex, name: string, suffixesOn: boolean): string {
  const m = catalog.metricByName(name);
  if (!m?.viaCollector || m.type !== "counter" || suffixesOn) return name;
  return name.replace(/_total$/, "");
}
