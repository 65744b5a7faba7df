// FastAPI overview, one definition for both instrumentations (the FastAPI/LLM and PixErase stacks).
import { defineDashboard, type DashboardContext, type DashboardSelf } from "../../src/definitions.js";
import { baseDashboard } from "../../src/presets/dashboard.js";
import {
  logsPanel,
  piePanel,
  row,
  statPanel,
  timeseriesPanel,
  tracesPanel,
  warnCrit,
} from "../../src/presets/panels.js";
import { JAEGER, jaegerSearch, logql, prom, traceql } from "../../src/presets/targets.js";
import { datasourceVariable, jobInstanceVariables, labelVariable } from "../../src/presets/variables.js";
import { flavours, type FastapiFlavour } from "./flavours.js";
import { fastapiQueries } from "./queries.js";
import { levels } from "../../src/presets/levels.js";
import { firingAlertsAnnotation } from "../_shared/alerts.js";

export function fastapiOverview(
  f: FastapiFlavour,
  ctx: DashboardContext,
  self: DashboardSelf = { uid: f.uid, title: f.title },
) {
  const q = fastapiQueries(f);
  const service = { ...ctx.config.services[f.service], ...(f.job ? { job: f.job } : {}) };
  const t = levels(ctx.config);
  const latency = warnCrit(t.latencyP95Warning, t.latencyP95Critical);
  const errors = warnCrit(t.errorRatioWarning, t.errorRatioCritical);
  const exemplars = service.exemplars !== "none";
  const traceTitle = service.traces === "none" ? "" : service.traces.datasource === "jaeger" ? "Jaeger" : "Tempo";

  const d = baseDashboard(ctx, {
    ...self,
    description: `Golden signals of the ${service.job} FastAPI service (${f.source}): traffic, errors, latency, process, logs and traces.`,
    tags: ["fastapi", service.job],
  }).variables([
    datasourceVariable(),
    ...jobInstanceVariables(f.requests, service.job),
    labelVariable({
      name: "path",
      label: "Path",
      query: `label_values(${f.requests}{job=~"$job", instance=~"$instance"}, path)`,
    }),
  ]);
  d.annotation(firingAlertsAnnotation([service.job]));

  d.withRow(row("Overview"))
    .withPanel(
      statPanel({
        title: "Uptime",
        unit: "s",
        description:
          "Time since the youngest selected instance started (process_start_time_seconds); a reset means a restart.",
        targets: [prom(q.uptime(), { instant: true })],
        graph: false,
        decimals: 0,
      }),
    )
    .withPanel(
      statPanel({
        title: "Requests/s",
        unit: "reqps",
        description: "Requests per second across the selected instances and paths.",
        targets: [prom(q.requestRate())],
      }),
    )
    .withPanel(
      statPanel({
        title: "Error ratio (5xx)",
        unit: "percentunit",
        description: "Share of requests answered with a 5xx status.",
        targets: [prom(q.errorRatio())],
        thresholds: errors,
        decimals: 2,
      }),
    )
    .withPanel(
      statPanel({
        title: "p95 latency",
        unit: "s",
        description: "95th percentile request duration, from the request duration histogram.",
        targets: [prom(q.latencyP95())],
        thresholds: latency,
      }),
    );

  d.withRow(row("Traffic"))
    .withPanel(
      timeseriesPanel({
        title: "Requests/s by method and path",
        unit: "reqps",
        description: "Request rate split by HTTP method and route template.",
        targets: [prom(q.rateByMethodPath(), { legend: "{{method}} {{path}}" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: `Requests/s by ${f.statusLabel}`,
        unit: "reqps",
        stack: true,
        description: "Request rate split by response status.",
        targets: [prom(q.rateByStatus(), { legend: `{{${f.statusLabel}}}` })],
      }),
    );

  d.withRow(row("Latency")).withPanel(
    timeseriesPanel({
      title: "Latency p50 / p95 / p99 by path",
      unit: "s",
      width: 24,
      thresholds: latency,
      showThresholds: true,
      description:
        "Request duration percentiles per route, estimated from histogram buckets (accurate to the bucket bounds)." +
        (service.exemplars !== "none"
          ? ` Dots are exemplars: sampled requests whose ${service.exemplars.label} label opens the trace in ${traceTitle}.`
          : ""),
      targets: [0.5, 0.95, 0.99].map((x) =>
        prom(q.latencyByPath(x), { legend: `p${Math.round(x * 100)} {{path}}`, exemplar: exemplars }),
      ),
    }),
  );

  d.withRow(row("Errors"))
    .withPanel(
      timeseriesPanel({
        title: "5xx/s by path",
        unit: "reqps",
        description: "Server errors per second by route.",
        targets: [prom(q.serverErrorsByPath(), { legend: "{{path}}" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Response classes (share)",
        unit: "percentunit",
        stack: true,
        min: 0,
        max: 1,
        description: "Share of 2xx, 4xx and 5xx responses among all requests.",
        targets: (["2", "4", "5"] as const).map((c) => prom(q.statusClassShare(c), { legend: `${c}xx` })),
      }),
    );
  const exceptions = q.exceptionsByType();
  if (exceptions) {
    d.withPanel(
      timeseriesPanel({
        title: "Exceptions/s by type",
        unit: "short",
        description: "Unhandled exceptions raised by request handlers, by exception type.",
        targets: [prom(exceptions, { legend: "{{exception_type}}" })],
      }),
    );
  }
  const inProgress = q.inProgress();
  if (inProgress) {
    d.withPanel(
      timeseriesPanel({
        title: "Requests in progress",
        unit: "short",
        description:
          "Requests being handled right now, by route: a rising line with flat throughput means requests are piling up.",
        targets: [prom(inProgress, { legend: "{{path}}" })],
      }),
    );
  }

  d.withRow(row("Process"))
    .withPanel(
      timeseriesPanel({
        title: "CPU",
        unit: "percentunit",
        description: "CPU time used per second of wall time (1 = one full core), from process_cpu_seconds_total.",
        targets: [prom(q.cpu(), { legend: "{{instance}}" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Resident memory",
        unit: "bytes",
        description: "Resident set size of the process.",
        targets: [prom(q.residentMemory(), { legend: "{{instance}}" })],
      }),
    );

  if (service.logs !== "none") {
    const selector = service.logs.selector;
    const level = service.logs.levelField ?? f.logLevelField;
    const traceNote =
      service.logs.traceIdField !== "none" && traceTitle
        ? ` Trace ids (${service.logs.traceIdField}) open the trace in ${traceTitle}.`
        : "";
    d.withRow(row("Logs"))
      .withPanel(
        timeseriesPanel({
          title: "Log lines by level",
          unit: "short",
          stack: true,
          width: 24,
          height: 6,
          description: `Log lines per interval by level, parsed from the JSON log lines of ${selector}.`,
          targets: [logql(q.logVolumeByLevel(selector, level), { legend: `{{${level}}}` })],
        }),
      )
      .withPanel(
        logsPanel({
          title: "Logs",
          description: `The service's structured logs (${selector}).${traceNote}`,
          targets: [logql(q.logs(selector), { maxLines: 500 })],
        }),
      );
  }

  if (service.traces !== "none") {
    const { serviceName, datasource } = service.traces;
    const slow = t.latencyP95Critical;
    d.withRow(row("Traces"));
    if (datasource === "jaeger") {
      d.withPanel(
        tracesPanel({
          title: "Failed requests",
          datasource: JAEGER,
          description: `Recent ${serviceName} traces with a span tagged error=true (Jaeger search).`,
          targets: [jaegerSearch({ service: serviceName, tags: "error=true" })],
        }),
      ).withPanel(
        tracesPanel({
          title: "Slow requests",
          datasource: JAEGER,
          description: `Recent ${serviceName} traces longer than ${slow}s (Jaeger search, minimum duration).`,
          targets: [jaegerSearch({ service: serviceName, minDuration: `${slow}s` })],
        }),
      );
    } else {
      d.withPanel(
        tracesPanel({
          title: "Failed requests",
          description: "Recent traces with an error status (TraceQL on Tempo).",
          targets: [traceql(q.failedTraces(serviceName))],
        }),
      ).withPanel(
        tracesPanel({
          title: "Slow requests",
          description: `Recent server spans slower than ${slow}s (TraceQL on Tempo).`,
          targets: [traceql(q.slowTraces(serviceName, slow))],
        }),
      );
    }
  }
  return d;
}

export default flavours.map((f) =>
  defineDashboard({
    uid: f.uid,
    title: f.title,
    folder: "services",
    nav: f.nav,
    build: (ctx, self) => fastapiOverview(f, ctx, self),
  }),
);
