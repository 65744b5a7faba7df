// The links between signals, generated from config.services: span → logs and span → metrics on each
// trace datasource, log line → trace (Loki derived fields), metric exemplar → trace.
//
// Grafana reads these with its own template engine: ${__trace.traceId}, ${__span.tags["service.name"]}
// and $__tags are filled from the span the user clicked. Definitions write them plainly; the
// provisioning emitter escapes "$" as "$$" (src/emit/provisioningYaml.ts).
import type { Config } from "../config/index.js";
import type { Service } from "../config/services.js";
import { metricsOfJob, type MetricDef } from "../catalog/index.js";
import { collectorMetricName } from "../catalog/collectorNames.js";
import { DATASOURCE_UIDS as UID } from "../src/datasourceUids.js";

// OpenTelemetry trace ids: 32 hex digits (16 for some legacy propagators).
const TRACE_ID = "([0-9a-fA-F]{16,32})";

const TITLES: Record<string, string> = { tempo: "Tempo", jaeger: "Jaeger" };

type Traced = Service & { traces: Exclude<Service["traces"], "none"> };
type Logged = Service & { logs: Exclude<Service["logs"], "none"> };

/** The services whose spans the trace datasource `ds` holds, in config order. */
export function servicesOn(config: Config, ds: string): [string, Traced][] {
  return Object.entries(config.services).filter(
    (e): e is [string, Traced] => e[1].traces !== "none" && e[1].traces.datasource === ds,
  );
}

/** The query that shows a service's log lines of one trace (or of the span's time window when lines carry no id). */
export function logsOfTrace(logs: Logged["logs"], traceId: string): string {
  if (logs.traceIdField === "none") return logs.selector;
  if (logs.format === "json") return `${logs.selector} | json | ${logs.traceIdField}="${traceId}"`;
  return `${logs.selector} |= "${traceId}"`;
}

/**
 * Span → logs. Grafana's tag mapping can only rename a span attribute into a label
 * (service.name → service), but the stacks label streams by container or compose service, whose
 * values differ from service.name ("app" for fastapi-backend). So the query is a custom one with
 * the stream selector written out. A trace datasource has one such query for all its spans; config
 * validation guarantees its services log to at most one stream, and filtering by trace id keeps
 * spans of other services on the same datasource from landing in unrelated lines: for them the
 * link shows that stream's lines of the same trace, if any.
 */
export function tracesToLogs(config: Config, ds: string) {
  const logged = servicesOn(config, ds).find((e): e is [string, Traced & Logged] => e[1].logs !== "none");
  if (!logged) return undefined;
  return {
    datasourceUid: UID.loki,
    spanStartTimeShift: "-5m",
    spanEndTimeShift: "5m",
    filterByTraceID: false,
    filterBySpanID: false,
    customQuery: true,
    query: logsOfTrace(logged[1].logs, "${__trace.traceId}"),
    tags: [],
  };
}

const matchers = (m: MetricDef, s: Service, useSpanName: boolean) => {
  const labels = Object.entries(s.labels).filter(([k]) => m.labels.includes(k));
  const parts = [
    `job="${s.job}"`,
    ...labels.map(
      ([k, v]) => `${k}="${useSpanName && k === s.serviceNameLabel ? '${__span.tags["service.name"]}' : v}"`,
    ),
  ];
  return `{${parts.join(", ")}}`;
};

/**
 * Span → metrics: per service on the datasource, its request (or call) rate and p95 latency, from
 * the catalog's first counter and histogram of its job. Grafana offers every query on every span,
 * so each is named after its service; where a metric label carries the span's service.name
 * (serviceNameLabel, app_name="PixErase"), the query takes it from the span, so it only returns
 * data for spans of that service.
 */
export function metricQueries(config: Config, key: string, s: Service): { name: string; query: string }[] {
  // Only metrics carrying the service's distinguishing labels are its own.
  const own = metricsOfJob(s.job).filter((m) => Object.keys(s.labels).every((l) => m.labels.includes(l)));
  const counter = own.find((m) => m.type === "counter");
  const histogram = own.find((m) => m.type === "histogram");
  const useSpanName = s.serviceNameLabel !== undefined;
  const out: { name: string; query: string }[] = [];
  if (counter) {
    const name = collectorMetricName(counter.name, config);
    out.push({
      name: `${key}: ${name} per second`,
      query: `sum(rate(${name}${matchers(counter, s, useSpanName)}[5m]))`,
    });
  }
  if (histogram) {
    out.push({
      name: `${key}: p95 ${histogram.name}`,
      query: `histogram_quantile(0.95, sum by (le) (rate(${histogram.name}_bucket${matchers(histogram, s, useSpanName)}[5m])))`,
    });
  }
  return out;
}

export function tracesToMetrics(config: Config, ds: string) {
  const queries = servicesOn(config, ds).flatMap(([key, s]) => metricQueries(config, key, s));
  if (queries.length === 0) return undefined;
  return { datasourceUid: UID.prometheus, spanStartTimeShift: "-5m", spanEndTimeShift: "5m", tags: [], queries };
}

/**
 * Log line → trace: one derived field per trace-id field and trace datasource. Derived fields match
 * every line of the Loki datasource, so the regex is specific to the field's spelling.
 */
export function derivedFields(config: Config) {
  const seen = new Map<
    string,
    { name: string; matcherRegex: string; datasourceUid: string; url: string; urlDisplayLabel: string }
  >();
  for (const s of Object.values(config.services)) {
    if (s.logs === "none" || s.logs.traceIdField === "none" || s.traces === "none") continue;
    const field = s.logs.traceIdField;
    const ds = s.traces.datasource;
    const id = `${field}:${ds}`;
    if (seen.has(id)) continue;
    // The quoted JSON key, or key=value as text (the PixErase logs panel renders lines that way);
    // \b keeps trace_id from matching inside log_trace_id ("_" is a word character).
    const matcherRegex = `(?:"${field}"\\s*:\\s*"|\\b${field}=)${TRACE_ID}`;
    seen.set(id, {
      name: `${field} (${TITLES[ds]})`,
      matcherRegex,
      datasourceUid: UID[ds as keyof typeof UID],
      url: "${__value.raw}",
      urlDisplayLabel: `Open trace in ${TITLES[ds]}`,
    });
  }
  return [...seen.values()];
}

/** Metric exemplar → trace: one destination per exemplar label and trace datasource. */
export function exemplarDestinations(config: Config) {
  const seen = new Map<string, { name: string; datasourceUid: string; urlDisplayLabel: string }>();
  for (const s of Object.values(config.services)) {
    if (s.exemplars === "none" || s.traces === "none") continue;
    const ds = s.traces.datasource;
    seen.set(`${s.exemplars.label}:${ds}`, {
      name: s.exemplars.label,
      datasourceUid: UID[ds as keyof typeof UID],
      urlDisplayLabel: `Open trace in ${TITLES[ds]}`,
    });
  }
  return [...seen.values()];
}
