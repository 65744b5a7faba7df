// Telemetry pipeline: the OpenTelemetry collector's span and metric-point flow, exporter queue and
// memory, and whether Prometheus can scrape every target of the stacks.
import { defineDashboard, type DashboardContext, type DashboardSelf } from "../../src/definitions.js";
import { baseDashboard } from "../../src/presets/dashboard.js";
import { row, statPanel, tablePanel, timeseriesPanel, warnCrit } from "../../src/presets/panels.js";
import { prom } from "../../src/presets/targets.js";
import { datasourceVariable, labelVariable } from "../../src/presets/variables.js";
import { withNav } from "../_shared/nav.js";
import { perSecond } from "../../src/presets/units.js";
import { firingAlertsAnnotation } from "../_shared/alerts.js";
import { multiJobVariables } from "../_shared/variables.js";
import { higherIsBetter, UP_MAPPING, withColumns } from "../_shared/panels.js";
import { telemetryQueries } from "./queries.js";
import { levels } from "../../src/presets/levels.js";

function telemetry(ctx: DashboardContext, self: DashboardSelf) {
  const q = telemetryQueries();
  const collector = ctx.config.services.otelCollector;
  const t = levels(ctx.config);
  const loss = warnCrit(t.errorRatioWarning, t.errorRatioCritical);
  const jobs = Object.entries(ctx.config.prometheus.scrapeJobs)
    .filter(([, j]) => j.enabled)
    .map(([job]) => job)
    .sort();
  const selfTelemetry = ctx.config.prometheus.scrapeJobs[collector.job];
  // Where the otelcol_* panels get their data, said on each of them.
  const targets = selfTelemetry?.targets.join(", ") ?? "nowhere";
  const switchOn =
    " once that scrape job is switched on (config.prometheus.scrapeJobs; off by default because the collector serves it " +
    "only inside its own container on :8888 unless its service.telemetry.metrics listens on all interfaces)";
  const source =
    ` Source: the collector's own telemetry (otelcol_*), scraped as job ${collector.job} from ${targets}` +
    `${selfTelemetry?.enabled ? "" : switchOn}.`;

  const d = baseDashboard(ctx, {
    ...self,
    description:
      `The OpenTelemetry collector's own telemetry (job ${collector.job}, ${selfTelemetry?.enabled ? "scraped" : "not scraped by default"}): ` +
      `spans and metric points accepted, refused, sent and failed, exporter queue and memory; and Prometheus' ` +
      `scrape health for every target (${jobs.join(", ")}).`,
    tags: ["infrastructure", "observability", collector.job],
  }).variables([
    datasourceVariable(),
    // All jobs: the collector panels only find the collector's otelcol_* series, scrape health shows every target.
    ...multiJobVariables("all"),
    labelVariable({
      name: "exporter",
      label: "Exporter",
      query: 'label_values(otelcol_exporter_sent_spans_total{job=~"$job", instance=~"$instance"}, exporter)',
    }),
  ]);
  withNav(d, ctx, self);
  d.annotation(firingAlertsAnnotation([collector.job]));

  d.withRow(row("Spans"))
    .withPanel(
      statPanel({
        title: "Spans accepted/s",
        unit: perSecond("spans"),
        description: "Spans the collector's receivers accepted per second." + source,
        targets: [prom(q.spans.acceptedTotal())],
      }),
    )
    .withPanel(
      statPanel({
        title: "Spans refused",
        unit: "percentunit",
        decimals: 2,
        thresholds: loss,
        description:
          "Share of offered spans the receivers refused (memory limiter or invalid data): these spans are lost unless the client retries." +
          source,
        targets: [prom(q.spans.refusedRatio())],
      }),
    )
    .withPanel(
      statPanel({
        title: "Span export failures",
        unit: "percentunit",
        decimals: 2,
        thresholds: loss,
        description:
          "Share of spans the exporters failed to deliver to their backend (Tempo/Jaeger) after retries." + source,
        targets: [prom(q.spans.failedRatio())],
      }),
    )
    .withPanel(
      statPanel({
        title: "Max exporter queue",
        unit: "short",
        decimals: 0,
        description:
          "Largest exporter sending queue: a queue that keeps growing means the backend cannot keep up." + source,
        targets: [prom(q.queueSizeMax())],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Spans in: accepted and refused",
        unit: perSecond("spans"),
        description: "Spans per second accepted and refused, per receiver and transport." + source,
        targets: [
          prom(q.spans.accepted(), { legend: "accepted {{receiver}}/{{transport}}" }),
          prom(q.spans.refused(), { legend: "refused {{receiver}}/{{transport}}" }),
        ],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Spans out: sent and failed",
        unit: perSecond("spans"),
        description: "Spans per second delivered and failed, per exporter." + source,
        targets: [
          prom(q.spans.sent(), { legend: "sent {{exporter}}" }),
          prom(q.spans.failed(), { legend: "failed {{exporter}}" }),
        ],
      }),
    );

  d.withRow(row("Metric points, queue and memory"))
    .withPanel(
      timeseriesPanel({
        title: "Metric points in and out",
        unit: perSecond("points"),
        description: "Metric points accepted per receiver and sent per exporter, per second." + source,
        targets: [
          prom(q.metricPoints.accepted(), { legend: "accepted {{receiver}}/{{transport}}" }),
          prom(q.metricPoints.sent(), { legend: "sent {{exporter}}" }),
        ],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Exporter queue size",
        unit: "short",
        description: "Batches waiting in each exporter's sending queue." + source,
        targets: [prom(q.queueSize(), { legend: "{{exporter}}" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Collector memory (RSS)",
        unit: "bytes",
        width: 24,
        height: 6,
        description:
          "Resident memory of the collector process; the memory limiter refuses data as it nears its limit." + source,
        targets: [prom(q.memory(), { legend: "{{instance}}" })],
      }),
    );

  d.withRow(row("Scrape health"))
    .withPanel(
      statPanel({
        title: "Targets down",
        unit: "short",
        decimals: 0,
        graph: false,
        thresholds: [[1, "red"]],
        description: "Scrape targets whose last scrape failed (up == 0).",
        targets: [prom(q.scrape.targetsDown(), { instant: true })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Targets up by job",
        unit: "percentunit",
        min: 0,
        max: 1,
        width: 18,
        description: "Share of each job's targets that Prometheus scraped successfully.",
        targets: [prom(q.scrape.upShareByJob(), { legend: "{{job}}" })],
      }).thresholds(higherIsBetter(1)),
    )
    .withPanel(
      withColumns(
        tablePanel({
          title: "Scrape targets",
          unit: "short",
          width: 24,
          height: 10,
          description: "Every scrape target with the result of its last scrape.",
          targets: [prom(q.scrape.targets(), { instant: true, table: true })],
        }).mappings(UP_MAPPING),
        [{ refId: "A", title: "Up", unit: "short", decimals: 0 }],
      ),
    );
  return d;
}

export default defineDashboard({
  uid: "telemetry-pipeline",
  title: "Telemetry pipeline",
  folder: "infrastructure",
  nav: { order: 90 },
  build: telemetry,
});
