// pint's promql/counter, mixtool: a rule never compares or records a raw counter (its value only
// grows until the process restarts); it rates it first.
import { describeIssue } from "../../query/parse.js";
import { rawCounterIssues } from "../counters.js";
import { querySites, recordedNames } from "../sites.js";
import { defineRule } from "../types.js";

export default defineRule({
  id: "alert-raw-counter",
  scope: "rule-files",
  severity: "error",
  purpose: "Alerting and recording rules read counters only through rate/irate/increase",
  check(ctx) {
    const recorded = recordedNames(ctx);
    return querySites(ctx, "promql")
      .filter((s) => s.kind === "rule")
      .flatMap((site) =>
        rawCounterIssues(site.expr, ctx.catalogIndex, recorded).map((i) => ({
          ...site.at,
          metric: i.metric,
          message: describeIssue(site.expr, i),
          fix: `alert on rate(${i.metric}{…}[5m]) or increase(${i.metric}{…}[1h]) instead`,
        })),
      );
  },
});
