// Every metric and label a query names exists in the metric catalog (catalog/) with that label: a
// typo otherwise shows "No data" or never fires, without an error anywhere. The catalog check of the
// build is the one piece of code doing it, for dashboards, variables and rule expressions alike.
import { dashboardCatalogIssues } from "../../validate/catalogRefs.js";
import { catalogIssues } from "../../query/analysis.js";
import { describeIssue } from "../../query/parse.js";
import { board } from "../boards.js";
import { atDashboard, querySites, recordedNames } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

const FIX = "correct the name, or add the series to catalog/ if the stack really exports it";

export default defineRule({
  id: "catalog-metric-label",
  scope: "dashboard",
  severity: "error",
  purpose: "Metric and label names in queries, variables and rules exist in the metric catalog with that label",
  stackSpecific: true,
  enforcedByBuild: "src/validate/catalogRefs.ts and src/alerting/validate.ts",
  check(ctx) {
    const out: RuleFinding[] = [];
    const recorded = recordedNames(ctx);
    for (const d of ctx.dashboards) {
      for (const i of dashboardCatalogIssues(board(ctx, d).queries, [d.built], ctx.provisioned, ctx.catalogIndex, recorded)) {
        if (i.issue.code === "counter-without-rate") continue; // target-counter-rate's finding
        out.push({ ...atDashboard(d), panelTitle: i.panelTitle, refId: i.refId, message: describeIssue(i.expr, i.issue), fix: FIX });
      }
    }
    for (const site of querySites(ctx, "promql")) {
      if (site.kind !== "rule") continue;
      for (const issue of catalogIssues(site.expr, ctx.catalogIndex, recorded)) {
        if (issue.code !== "counter-without-rate") out.push({ ...site.at, metric: issue.metric, message: describeIssue(site.expr, issue), fix: FIX });
      }
    }
    return out;
  },
});
