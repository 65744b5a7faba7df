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
  /** Source document that names the metric, e.g. "001". */
  seed: string;
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

/** Defines a family of metrics sharing seed and jobs. */
export function metrics(common: Pick<MetricDef, "seed" | "jobs" | "viaCollector" | "assumed">, defs: Omit<MetricDef, "seed" | "jobs">[]): MetricDef[] {
  return defs.map((d) => ({ ...d, seed: common.seed, jobs: [...common.jobs], ...(common.viaCollector ? { viaCollector: true } : {}), ...(common.assumed && !d.assumed ? { assumed: common.assumed } : {}) }));
}
