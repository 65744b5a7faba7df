// Log alerts, evaluated by the Loki ruler (build/loki/rules/<tenant>/logs.yaml): one rule per
// signal covering every service whose logs reach Loki (config.services.<service>.logs), each
// series labelled with the service's job. Stream selectors, level and correlation id fields come
// from the configuration, so the alert reads what the service's "Logs" panels show. Today that is
// the FastAPI/LLM app and the PixErase API; the model service and the evaluation worker ship no logs
// to Loki in their stacks (docs/stacks.md), and are covered once their `logs` is configured.
import { flavours } from "../dashboards/fastapi/flavours.js";
import { defineAlertGroup, type AlertContext, type DashboardLink } from "../src/alerting/define.js";
import {
  eachStream,
  errorLines,
  logStreams,
  structured,
  tracebackLines,
  withJob,
  type LogStream,
} from "../src/alerting/logql.js";
import { formatNumber, percent } from "../src/query/build.js";

/** The dashboard showing each service's logs, by service. */
function logsDashboard(s: LogStream): string {
  const uid = flavours.find((f) => f.service === s.service)?.uid;
  if (!uid)
    throw new Error(
      `service ${s.service} ships logs to Loki but no dashboard in alerts/logs.ts shows them; add its logs panels and map it here`,
    );
  return uid;
}

function panelPerJob(streams: LogStream[], panel: string): DashboardLink {
  return { byJob: Object.fromEntries(streams.map((s) => [s.job, { dashboard: logsDashboard(s), panel }])) };
}

export default defineAlertGroup({
  name: "logs",
  language: "logql",
  alerts: (ctx: AlertContext) => {
    const t = ctx.thresholds;
    const streams = logStreams(ctx.config);
    return [
      {
        name: "LogErrorBurst",
        severity: "warning" as const,
        expr: eachStream(
          streams,
          (s) => `${withJob(`sum(rate(${errorLines(s)} [5m])) * 60`, s)} > ${formatNumber(t.logErrorLinesPerMinute)}`,
        ),
        for: "2m",
        summary: "{{ $labels.job }} logs {{ $value | humanize }} error lines a minute",
        description:
          "{{ $labels.job }} wrote {{ $value | humanize }} error-level log lines (error, critical or fatal) a minute " +
          `over the last 5 minutes (alert above ${formatNumber(t.logErrorLinesPerMinute)} a minute).`,
        dashboard: panelPerJob(streams, "Log lines by level"),
      },
      {
        name: "LogRepeatedException",
        severity: "warning" as const,
        expr: eachStream(
          streams,
          (s) =>
            `${withJob(`sum by (exception) (count_over_time(${tracebackLines(s)} [15m]))`, s)} >= ${t.logRepeatedExceptions}`,
        ),
        for: "5m",
        summary: "{{ $labels.job }} raised {{ $labels.exception }} {{ $value | humanize }} times in 15 minutes",
        description:
          "{{ $labels.job }} logged {{ $value | humanize }} Python tracebacks of {{ $labels.exception }} " +
          `over the last 15 minutes (alert at ${t.logRepeatedExceptions}); ` +
          "an empty exception means tracebacks whose exception line could not be read.",
        dashboard: panelPerJob(streams, "Logs"),
      },
      {
        name: "LogMissingCorrelationId",
        severity: "warning" as const,
        expr: eachStream(streams, (s) => {
          const all = `sum(rate(${structured(s)} [15m]))`;
          const missing = `sum(rate(${structured(s)} | ${s.correlationIdField}="" [15m]))`;
          return `${withJob(`${missing}\n/\n${all}`, s)} > ${formatNumber(t.logMissingCorrelationIdRatio)}`;
        }),
        for: "15m",
        summary:
          "{{ $value | humanizePercentage }} of {{ $labels.job }}'s structured log lines carry no correlation_id",
        description:
          "{{ $value | humanizePercentage }} of the structured log lines {{ $labels.job }} wrote over the last 15 minutes " +
          "have no correlation id field, which the telemetry contract requires on every structured line " +
          `(alert above ${percent(t.logMissingCorrelationIdRatio)}).`,
        dashboard: panelPerJob(streams, "Logs"),
      },
    ];
  },
});
