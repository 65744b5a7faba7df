// dashboard-linter's target-logql-auto-rule: LogQL range aggregations in dashboards use $__auto, so
// Grafana picks the range from the zoom level like it does for metrics.
import { describeIssue } from "../../query/parse.js";
import { logqlRanges } from "../../query/analysis.js";
import { PEER_QUERY_PANELS } from "../peers.js";
import { sitesIn } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

const AUTO = /^\[\s*\$(__auto|\{__auto\})\s*\]$/;

export default defineRule({
  id: "target-logql-auto",
  scope: "dashboard",
  severity: "error",
  purpose: "LogQL range aggregations in dashboards range over $__auto",
  peers: ["target-logql-auto-rule"],
  check(ctx) {
    const out: RuleFinding[] = [];
    // Dashboards only: a Loki ruler rule has no $__auto, its range is the rule's window.
    for (const site of sitesIn(ctx, "logql").dashboard) {
      for (const { text, from } of logqlRanges(site.expr)) {
        if (AUTO.test(text)) continue;
        out.push({
          ...site.at,
          peerRule: site.query && PEER_QUERY_PANELS.has(site.query.panelType) && !site.expr.includes("$__auto") ? "target-logql-auto-rule" : undefined,
          message: describeIssue(site.expr, { column: from + 1, message: `log range ${text} is fixed; use [$__auto]` }),
          fix: "write count_over_time({…} [$__auto]) (and rate(), bytes_over_time(), … likewise)",
        });
      }
    }
    return out;
  },
});
