// dashboard-linter's target-promql-rule and target-logql-rule, pint's promql/syntax: every PromQL,
// LogQL and TraceQL expression of dashboards and rule files parses (after Grafana's variables are
// expanded). The build's query check is the one piece of code doing it.
import { checkDashboardQueries } from "../../validate/dashboardQueries.js";
import { checkQuery, describeIssue } from "../../query/parse.js";
import { firstDatasourceVariableType, PEER_QUERY_PANELS } from "../peers.js";
import { atQuery, querySites } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

const FIX = "correct the expression at the column shown (try it in Grafana's Explore)";

export default defineRule({
  id: "query-syntax",
  scope: "dashboard",
  severity: "error",
  purpose: "Every PromQL/LogQL/TraceQL query of dashboards and every rule expression parses",
  enforcedByBuild: "src/validate/dashboardQueries.ts, src/alerting/validate.ts and src/alerting/lokiRules.ts",
  peers: ["target-promql-rule", "target-logql-rule"],
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const q of ctx.queries) {
      const inPeerScope = PEER_QUERY_PANELS.has(q.panelType) && (q.lang === "logql" || firstDatasourceVariableType(q.board.json) === "prometheus");
      const peerRule = inPeerScope && q.lang !== "traceql" ? `target-${q.lang}-rule` : undefined;
      for (const p of checkDashboardQueries([q])) out.push({ ...atQuery(q), peerRule, message: p.message, fix: FIX });
    }
    // Rule expressions: PromQL, and LogQL in Loki ruler files.
    for (const site of querySites(ctx)) {
      if (site.kind !== "rule") continue;
      for (const issue of checkQuery(site.lang, site.expr)) out.push({ ...site.at, message: describeIssue(site.expr, issue), fix: FIX });
    }
    return out;
  },
});
