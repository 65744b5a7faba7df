// Services whose metrics reach Prometheus through the collector's Prometheus exporter: their scrape
// target is the collector, whose `up` stays 1 when the service itself is dead. What says the
// service lives is that its own metric keeps arriving (config services.*.reportsThroughCollector).
import { collectorMetricName } from "../catalog/collectorNames.js";
import { defineAlertGroup } from "../src/alerting/define.js";

/** No sample for this long means the service stopped reporting (several export intervals). */
const SILENT = "10m";

export default defineAlertGroup({
  name: "liveness",
  alerts: ({ config }) => {
    const watched = Object.values(config.services).flatMap((s) =>
      s.reportsThroughCollector
        ? [{ job: s.job, metric: collectorMetricName(s.reportsThroughCollector.metric, config) }]
        : [],
    );
    if (watched.length === 0) return [];
    // absent_over_time keeps the equality matchers as labels, so each term names its job. A
    // collector that cannot be scraped is TargetDown's to report, hence the `unless`.
    const expr = watched
      .map(
        ({ job, metric }) =>
          `(absent_over_time(${metric}{job="${job}"}[${SILENT}]) unless on (job) up{job="${job}"} == 0)`,
      )
      .join(" or ");
    return [
      {
        name: "ServiceStoppedReporting",
        severity: "warning",
        expr,
        for: "5m",
        summary: "{{ $labels.job }} has stopped reporting metrics",
        description:
          `No sample of {{ $labels.job }}'s own metrics arrived through the collector for ${SILENT}, although the ` +
          `collector answers its scrapes: the service is down, hung, or no longer exports to the collector.`,
        dashboard: {
          byJob: Object.fromEntries(
            watched.map(({ job }) => [job, { dashboard: "model-service-inference", panel: "Last inference seen" }]),
          ),
        },
      },
    ];
  },
});
