// dashboard-linter's target-promql-rule and target-logql-rule, pint's promql/syntax: every PromQL,
// LogQL and TraceQL expression of dashboards and rule files parses (after Grafana's variables are
// expanded). The build's query check is the one piece of code doing it.
import { checkDashboardQueries } from "../../validate/dashboardQueries.js";
import { checkQuery, describeIssue } from "../../query/parse.js";
import { atQuery, querySites } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

const FIX = "correct the expression at the column shown (try it in Grafana's Explore)";

export default defineRule({
  id: "query-syntax",
  severity: "error",
  purpose: "Every PromQL/LogQL/TraceQL query of dashboards and every rule expression parses",
  enforcedByBuild: "src/validate/dashboardQueries.ts, src/alerting/validate.ts and src/alerting/lokiRules.ts",
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const q of ctx.queries) {
      for (const p of checkDashboardQueries([q])) out.push({ ...atQuery(q), message: p.message, fix: FIX });
    }
    // Rule expressions: PromQL, and LogQL in Loki ruler files.
    for (const site of querySites(ctx)) {
      if (site.kind !== "rule") continue;
      for (const issue of checkQuery(site.lang, site.expr)) out.push({ ...site.at, message: describeIssue(site.expr, issue), fix: FIX });
    }
    return out;
  },
});
