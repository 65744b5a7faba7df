// A uid that changes between builds is a new dashboard to Grafana: links, bookmarks, alert
// dashboard_url annotations and stars of the old one break. Compares with the tree being replaced.
import { atDashboard } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

export default defineRule({
  id: "dashboard-uid-stable",
  severity: "warning",
  purpose: "A dashboard keeps its uid from build to build (a title that moved to a new uid breaks links)",
  check(ctx) {
    if (!ctx.previousDashboards) return [];
    const uids = new Set(ctx.dashboards.map((d) => d.uid));
    const out: RuleFinding[] = [];
    for (const d of ctx.dashboards) {
      if (ctx.previousDashboards.some((p) => p.uid === d.uid)) continue;
      const before = ctx.previousDashboards.find((p) => p.title === d.title && !uids.has(p.uid));
      if (!before) continue;
      out.push({
        ...atDashboard(d),
        message: `dashboard "${d.title}" had uid "${before.uid}" in the previous build and now has "${d.uid}": links and bookmarks to /d/${before.uid} break`,
        fix: `keep uid "${before.uid}", or exclude this finding once the rename is intended and announced`,
      });
    }
    return out;
  },
});
