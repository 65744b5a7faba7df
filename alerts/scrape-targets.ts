// Every scrape target of config.prometheus.scrapeJobs: a target Prometheus cannot scrape also
// silences every other alert about it (no series, no alert), so this one pages.
import { TARGET_DOWN } from "../src/alerting/alertmanager.js";
import { defineAlertGroup } from "../src/alerting/define.js";

export default defineAlertGroup({
  name: "scrape-targets",
  alerts: () => [
    {
      name: TARGET_DOWN,
      severity: "critical",
      expr: "up == 0",
      for: "5m",
      summary: "{{ $labels.job }} target {{ $labels.instance }} is down",
      description:
        "Prometheus has failed to scrape {{ $labels.instance }} (job {{ $labels.job }}) for 5 minutes: the process " +
        "is down, unreachable, or its /metrics endpoint fails. Every other alert on this target is blind meanwhile.",
      dashboard: { dashboard: "telemetry-pipeline", panel: "Scrape targets" },
    },
  ],
});
