// Metrics that reach Prometheus through the OpenTelemetry collector's Prometheus exporter are named
// by the exporter. The catalog spells them as the exporter does with add_metric_suffixes on (its
// default): counters end in _total (model_inference → model_inference_total). Histograms keep their
// name as long as the instrument has no unit (with unit "ms" the exporter would append
// _milliseconds, which the catalog does not assume). With the setting off, counters keep their
// OTLP name; config signals.collectorMetricSuffixes says which, and queries ask here for the name.
import type { Config } from "../config/index.js";
import { collectorMetricName as nameFor } from "../src/model/catalog.js";
import { catalog } from "./index.js";

export function collectorMetricName(name: string, config: Pick<Config, "signals">): string {
  return nameFor(catalog, name, config.signals.collectorMetricSuffixes);
}
