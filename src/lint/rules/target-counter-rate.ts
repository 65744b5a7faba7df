// dashboard-linter's target-counter-agg-rule: a counter (catalog type counter, or a name ending in
// _total) appears in a dashboard only inside rate(), irate() or increase().
import { describeIssue } from "../../query/parse.js";
import { rawCounterIssues } from "../counters.js";
import { sitesIn } from "../sites.js";
import { defineRule } from "../types.js";

export default defineRule({
  id: "target-counter-rate",
  scope: "dashboard",
  severity: "error",
  purpose: "Counters (catalog type or _total) appear in dashboard queries only inside rate/irate/increase",
  peers: ["target-counter-agg-rule"],
  check(ctx) {
    return sitesIn(ctx, "promql").dashboard.flatMap((site) =>
      rawCounterIssues(site.expr, ctx.catalogIndex).map((i) => ({
        ...site.at,
        peerRule: "target-counter-agg-rule",
        metric: i.metric,
        message: describeIssue(site.expr, i),
        fix: `wrap it: rate(${i.metric}{…}[$__rate_interval])`,
      })),
    );
  },
});
