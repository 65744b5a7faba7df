// dashboard-linter's template-on-time-change-reload-rule: query variables reload when the time range
// changes; otherwise they list the values of the moment the dashboard was opened (a new instance
// never appears, a gone one stays).
import { atDashboard } from "../sites.js";
import { defineRule } from "../types.js";

/** Grafana's VariableRefresh: 0 never, 1 on dashboard load, 2 on time range change. */
const ON_TIME_RANGE_CHANGE = 2;

export default defineRule({
  id: "template-refresh",
  scope: "dashboard",
  severity: "error",
  purpose: "Query variables refresh on time range change (refresh: 2)",
  peers: ["template-on-time-change-reload-rule"],
  check(ctx) {
    return ctx.dashboards.flatMap((d) =>
      (d.json.templating?.list ?? [])
        .filter((v) => v.type === "query" && v.refresh !== ON_TIME_RANGE_CHANGE)
        .map((v) => ({
          ...atDashboard(d),
          panelTitle: `variable $${v.name}`,
          peerRule: "template-on-time-change-reload-rule",
          message: `$${v.name} refreshes ${v.refresh === 1 ? "only on dashboard load" : v.refresh === 0 ? "never" : `with refresh ${String(v.refresh)}`}, so its values go stale`,
          fix: ".refresh(dashboard.VariableRefresh.OnTimeRangeChanged) (labelVariable() in src/presets/variables.ts does)",
        })),
    );
  },
});
