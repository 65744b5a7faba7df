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
