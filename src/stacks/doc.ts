// docs/stacks.md, rendered from config.services and the scrape jobs: per stack, where each signal
// of each service goes. Generated, so the page cannot drift from what the build provisions
// (test/stacks/stacks-doc.test.ts compares the committed file with this rendering).
import type { Config } from "../model/config.js";
import type { Service } from "../model/services.js";
import { collectorMetricName, type CatalogIndex } from "../model/catalog.js";

export const STACKS_DOC = "docs/stacks.md";

const TITLES: Record<string, string> = { tempo: "Tempo", jaeger: "Jaeger" };
const code = (s: string) => "`" + s.replaceAll("|", "\\|") + "`";

function metricsSelector(s: Service): string {
  return `{${[`job="${s.job}"`, ...Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`)].join(", ")}}`;
}

function rows(key: string, s: Service, config: Config, catalog: CatalogIndex): string[][] {
  const job = config.prometheus.scrapeJobs[s.job];
  const target = job ? `${job.targets.join(", ")}${job.enabled ? "" : " (scrape off by default)"}` : "not scraped";
  const out: string[][] = [[key, "metrics", `Prometheus, scraped from ${target}`, code(metricsSelector(s))]];
  out.push(s.logs === "none" ? [key, "logs", "no logs", "—"] : [key, "logs", "Loki", code(s.logs.selector) + ` (${s.logs.format})`]);
  out.push(s.traces === "none" ? [key, "traces", "no traces", "—"] : [key, "traces", TITLES[s.traces.datasource], code(`service.name="${s.traces.serviceName}"`)]);
  if (s.logs !== "none" && s.logs.traceIdField !== "none" && s.traces !== "none") {
    out.push([key, "trace id in logs", `Loki → ${TITLES[s.traces.datasource]}`, `field ${code(s.logs.traceIdField)}`]);
  }
  if (s.logs !== "none") out.push([key, "correlation id in logs", "Loki", `field ${code(s.logs.correlationIdField)}`]);
  if (s.exemplars !== "none" && s.traces !== "none") out.push([key, "exemplars", `Prometheus → ${TITLES[s.traces.datasource]}`, `label ${code(s.exemplars.label)}`]);
  if (s.reportsThroughCollector) {
    out.push([key, "liveness", "Prometheus (through the collector)", code(collectorMetricName(catalog, s.reportsThroughCollector.metric, config.signals.collectorMetricSuffixes)) + " keeps arriving"]);
  }
  return out;
}

export function renderStacksDoc(config: Config, catalog: CatalogIndex): string {
  const stacks = new Map<string, [string, Service][]>();
  for (const [key, s] of Object.entries(config.services)) stacks.set(s.stack, [...(stacks.get(s.stack) ?? []), [key, s]]);
  const lines = [
    "# Where each stack's signals go",
    "",
    "<!-- Generated from config/environments.ts (services, prometheus.scrapeJobs) by `npm run stacks-doc`; do not edit. -->",
    "",
    "Per stack, for each service: the backend holding each signal and the selector that finds it. Dashboards,",
    'datasource correlations (span → logs, span → metrics, log line → trace, exemplar → trace) and alerts are',
    'generated from the same description. "no logs" means the stack ships no log pipeline: no panel or link invents one.',
    "",
  ];
  for (const [stack, services] of stacks) {
    lines.push(`## ${stack}`, "", "| Service | Signal | Backend | Selector |", "| --- | --- | --- | --- |");
    for (const [key, s] of services) for (const r of rows(key, s, config, catalog)) lines.push(`| ${r.join(" | ")} |`);
    const assumed = services.filter(([, s]) => s.assumed);
    if (assumed.length) {
      lines.push("", "Assumed (the stack documents do not say):", "");
      for (const [key, s] of assumed) lines.push(`- ${key}: ${s.assumed}.`);
    }
    lines.push("");
  }
  const optional = Object.entries(config.prometheus.scrapeJobs).filter(([, j]) => !j.enabled).sort(([a], [b]) => a.localeCompare(b));
  lines.push(
    "## Optional scrape targets",
    "",
    "Off by default because the stacks do not expose them; switch one on with `enabled: true` under",
    "`prometheus.scrapeJobs` once the other side serves it (the comment beside each job says what that takes).",
    "",
    "| Job | Target |",
    "| --- | --- |",
    ...optional.map(([job, j]) => `| ${job} | ${j.targets.map((t) => code(t + j.metricsPath)).join(", ")} |`),
    "",
    "## Metric names from the collector's Prometheus exporter",
    "",
    "The exporter names what it re-exports. The catalog assumes `add_metric_suffixes: true` (the exporter's",
    "default) and instruments without a unit: counters gain `_total`, histograms keep their name. With",
    "`signals.collectorMetricSuffixes: false` (matching `add_metric_suffixes: false`) counters keep their OTLP name.",
    "An instrument that declares a unit other than `1` or a `{annotation}` gets it appended (unit `ms` →",
    "`model_inference_latency_ms_milliseconds`, unit `count` → `model_inference_count_total`), which",
    "`npm run catalog -- --verify` reports as missing and exported-but-unused.",
    "",
    "| Catalog name | Exported as now |",
    "| --- | --- |",
    ...catalog.metrics.filter((m) => m.viaCollector).map((m) => `| ${code(m.name)} | ${code(collectorMetricName(catalog, m.name, config.signals.collectorMetricSuffixes))} |`),
    "",
  );
  return lines.join("\n");
}
