// Every metric and label a query names exists in the metric catalog (catalog/) with that label: a
// typo otherwise shows "No data" or never fires, without an error anywhere. The catalog check of the
// build is the one piece of code doing it, for dashboards, variables and rule expressions alike.
import { checkCatalogRefs } from "../../validate/catalogRefs.js";
import { catalogIssues } from "../queryAnalysis.js";
import { describeIssue } from "../../validate/queries.js";
import { atDashboard, querySites, recordedNames } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

const CODES = new Set(["catalog-unknown-metric", "catalog-unknown-label"]);
const FIX = "correct the name, or add the series to catalog/ if the stack really exports it";

export default defineRule({
  id: "catalog-metric-label",
  severity: "error",
  purpose: "Metric and label names in queries, variables and rules exist in the metric catalog with that label",
  stackSpecific: true,
  enforcedByBuild: "src/validate/catalogRefs.ts and src/alerting/validate.ts",
  check(ctx) {
    const out: RuleFinding[] = [];
    const recorded = recordedNames(ctx);
    for (const d of ctx.dashboards) {
      const problems = checkCatalogRefs(ctx.queries.filter((q) => q.board === d), [d.built], ctx.provisioned, recorded);
      for (const p of problems) {
        if (CODES.has(p.code)) out.push({ ...atDashboard(d), panelTitle: p.panelTitle, refId: p.refId, message: p.message, fix: FIX });
      }
    }
    for (const site of querySites(ctx, "promql")) {
      if (site.kind !== "rule") continue;
      for (const issue of catalogIssues(site.expr, recorded)) {
        if (issue.code !== "counter-without-rate") out.push({ ...site.at, metric: issue.metric, message: describeIssue(site.expr, issue), fix: FIX });
      }
    }
    return out;
  },
});
