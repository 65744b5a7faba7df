// Small LogQL builders for log alert rules (groups with language "logql", evaluated by the Loki
// ruler). Streams, parsers and field names come from config.services, so a rule reads exactly the
// stream a service's dashboard shows, and every result carries the service's Prometheus job label:
// routing (group by alertname, job), inhibition and the dashboard_url template all key on it.
import type { Config, ServiceKey } from "../model/config.js";

/** A service whose logs reach Loki, as the log alerts read it. */
export interface LogStream {
  service: ServiceKey;
  /** The service's Prometheus job: the job label of every log alert about it. */
  job: string;
  /** LogQL stream selector, as configured ({job="docker", service="app"}). */
  selector: string;
  /** The parser stage for its lines: | json or | logfmt. */
  parser: string;
  levelField: string;
  correlationIdField: string;
}

/** The level field the telemetry contract names, for services that do not name another. */
const CONTRACT_LEVEL_FIELD = "level";

/** Every service with a log stream, in config order. */
export function logStreams(config: Config): LogStream[] {
  return (Object.keys(config.services) as ServiceKey[]).flatMap((service) => {
    const s = config.services[service];
    if (s.logs === "none") return [];
    return [
      {
        service,
        job: s.job,
        selector: s.logs.selector,
        parser: s.logs.format === "json" ? "| json" : "| logfmt",
        levelField: s.logs.levelField ?? CONTRACT_LEVEL_FIELD,
        correlationIdField: s.logs.correlationIdField,
      },
    ];
  });
}

/** The stream's lines its parser reads without error: the structured lines (a metric query fails on __error__). */
export function structured(stream: LogStream): string {
  return `${stream.selector} ${stream.parser} | __error__=""`;
}

/** Error-level lines: Python's ERROR and CRITICAL, Pino's error and fatal, in any case. */
export function errorLines(stream: LogStream): string {
  return `${structured(stream)} | ${stream.levelField}=~"(?i)(error|critical|fatal)"`;
}

/**
 * Lines holding a Python traceback (logger.exception, exc_info=True, an unhandled error), with the
 * exception's type in the label `exception`: in a JSON line the traceback is one string whose
 * newlines are escaped, and the first unindented `Name: message` after one is the exception raised.
 * A traceback without that shape still counts, with an empty exception label.
 */
export function tracebackLines(stream: LogStream): string {
  return `${stream.selector} |= "Traceback (most recent call last)" | regexp \`\\\\n(?P<exception>[A-Za-z_][\\w.]*): \``;
}

/** The metric `expr` with the stream's job as its job label. */
export function withJob(expr: string, stream: LogStream): string {
  return `label_replace(\n  ${expr.replaceAll("\n", "\n  ")},\n  "job", "${stream.job}", "", ""\n)`;
}

/** Per-service expressions as one (each carries its own job label, so the union keeps them apart). */
export function eachStream(streams: LogStream[], expr: (s: LogStream) => string): string {
  if (streams.length === 0) throw new Error("no service ships its logs to Loki (config.services.<service>.logs): a log alert would select nothing");
  return streams.map(expr).join("\nor\n");
}
