// Where each service's signals go: its metrics job and distinguishing labels, its log stream (or
// none), the service.name its spans carry and the trace datasource holding them, the log field
// carrying the trace id, and the exemplar label of its metrics. Dashboards, datasource
// correlations, alerts and docs/stacks.md all read this one description.
import { z } from "zod";

/** The trace datasources a service's spans can live in (keys of config.datasources). */
export const TRACE_DATASOURCES = ["tempo", "jaeger"] as const;
export type TraceDatasource = (typeof TRACE_DATASOURCES)[number];

const labelName = z.string().regex(/^[a-zA-Z_]\w*$/, "must be a label name such as app_name");

/** "none" says, on purpose, that the stack has no such signal for the service. */
const none = z.literal("none");

const logs = z.union([
  none,
  z
    .object({
      /** LogQL stream selector as the log shipper labels the stream (Promtail, Vector). */
      selector: z.string().regex(/^\{.+\}$/, 'must be a LogQL stream selector such as {job="docker", service="app"}'),
      /** Shape of a line: JSON objects, or plain text with key=value pairs. */
      format: z.enum(["json", "text"]),
      /** The field carrying the trace id (trace_id, log_trace_id, ...), or none when lines carry none. */
      traceIdField: z.union([none, labelName]),
      /** The field holding the log level, for the volume-by-level panel and the log alerts. */
      levelField: labelName.optional(),
      /**
       * The field carrying the telemetry contract's correlation_id, as it reaches Loki (a log shipper
       * may rename fields); the log alert LogMissingCorrelationId reads it.
       */
      correlationIdField: labelName.default("correlation_id"),
    })
    .strict(),
]);

const traces = z.union([
  none,
  z
    .object({
      /** The resource attribute service.name of the service's spans. */
      serviceName: z.string().min(1),
      /** The trace datasource holding them (a key of config.datasources: tempo or jaeger). */
      datasource: z.string().min(1),
    })
    .strict(),
]);

const exemplars = z.union([
  none,
  z
    .object({
      /** Exemplar label holding the trace id (trace_id and TraceID are both common). */
      label: z.string().regex(/^[a-zA-Z_]\w*$/, "must be a label name such as trace_id"),
    })
    .strict(),
]);

export const service = z
  .object({
    /** The stack the service belongs to (a section of docs/stacks.md). */
    stack: z.string().min(1),
    /** Prometheus job of its metrics. */
    job: z.string().min(1),
    /** Labels that tell its series apart from other services' on the same job, e.g. app_name="PixErase". */
    labels: z.record(labelName, z.string()).default({}),
    /**
     * A label of its metrics whose value equals its spans' service.name (app_name for PixErase), so a
     * span's service can select the metrics directly.
     */
    serviceNameLabel: labelName.optional(),
    logs: logs.default("none"),
    traces: traces.default("none"),
    exemplars: exemplars.default("none"),
    /**
     * Metrics that reach Prometheus through the collector's Prometheus exporter rather than from
     * the process itself: `up` says only that the collector answers, so liveness watches this metric.
     */
    reportsThroughCollector: z
      .object({ metric: z.string().regex(/^[a-zA-Z_:][\w:]*$/) })
      .strict()
      .optional(),
    /** What the stack documents do not say and this description assumes, and why. */
    assumed: z.string().min(1).optional(),
  })
  .strict();

export type ServiceInput = z.input<typeof service>;
export type Service = z.output<typeof service>;

/** Problems with references between services and datasources, each as [path, message]. */
export function serviceReferenceProblems(
  services: Record<string, Service>,
  datasources: readonly string[],
): [string[], string][] {
  const problems: [string[], string][] = [];
  const traceDatasources = TRACE_DATASOURCES.filter((d) => datasources.includes(d));
  const byDatasource = new Map<string, [string, Service][]>();
  for (const [key, s] of Object.entries(services)) {
    if (s.traces === "none") continue;
    const ds = s.traces.datasource;
    if (!(traceDatasources as readonly string[]).includes(ds)) {
      problems.push([
        ["services", key, "traces", "datasource"],
        `service ${key} names trace datasource "${ds}", which does not exist (configured trace datasources: ${traceDatasources.join(", ")})`,
      ]);
      continue;
    }
    byDatasource.set(ds, [...(byDatasource.get(ds) ?? []), [key, s]]);
  }
  for (const [key, s] of Object.entries(services)) {
    if (s.exemplars !== "none" && s.traces === "none") {
      problems.push([
        ["services", key, "exemplars"],
        `service ${key} has exemplars but no trace datasource to open them in (traces is "none")`,
      ]);
    }
  }
  // One trace datasource has one trace-to-logs query for all its spans (see datasources/correlations.ts).
  for (const [ds, members] of byDatasource) {
    const logged = members.filter(([, s]) => s.logs !== "none");
    const selectors = [...new Set(logged.map(([, s]) => (s.logs === "none" ? "" : s.logs.selector)))];
    if (selectors.length > 1) {
      problems.push([
        ["services", logged[1][0], "logs", "selector"],
        `services ${logged.map(([k]) => k).join(", ")} keep their spans in ${ds} but log to different streams (${selectors.join(", ")}); one trace datasource can link its spans to one log stream`,
      ]);
    }
    const unfiltered = logged.find(([, s]) => s.logs !== "none" && s.logs.traceIdField === "none");
    if (unfiltered && logged.length < members.length) {
      problems.push([
        ["services", unfiltered[0], "logs", "traceIdField"],
        `service ${unfiltered[0]}'s logs carry no trace id, so spans of the other services in ${ds} would open its logs; give it a traceIdField or its own trace datasource`,
      ]);
    }
  }
  return problems;
}
