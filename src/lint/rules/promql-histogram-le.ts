// histogram_quantile() over classic histograms needs the le label of every bucket: the quantile of
// one service is sum by (le) (rate(x_bucket[…])). Without the aggregation it computes one quantile
// per series (per instance, per path…); aggregating without le leaves nothing to compute from.
import { describeIssue } from "../../query/parse.js";
import { quantileCalls } from "../../query/analysis.js";
import { sitesIn } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

export default defineRule({
  id: "promql-histogram-le",
  scope: "dashboard",
  severity: "error",
  purpose: "histogram_quantile over _bucket series aggregates by (le, …)",
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const site of sitesIn(ctx, "promql").all) {
      for (const call of quantileCalls(site.expr)) {
        if (!call.buckets.length) continue; // native histograms carry their buckets
        const a = call.aggregation;
        let problem: string | undefined;
        if (!a) problem = `histogram_quantile() over ${call.buckets[0]} without an aggregation: one quantile per series`;
        else if (a.clause === undefined || (a.clause === "by" && !a.labels.includes("le"))) problem = `histogram_quantile() over ${a.op}${a.clause ? ` by (${a.labels.join(", ")})` : ""}: the aggregation drops le`;
        else if (a.clause === "without" && a.labels.includes("le")) problem = `histogram_quantile() over ${a.op} without (${a.labels.join(", ")}): the aggregation drops le`;
        if (!problem) continue;
        out.push({
          ...site.at,
          metric: call.buckets[0],
          message: describeIssue(site.expr, { column: call.column, message: problem }),
          fix: `histogram_quantile(q, sum by (le${a?.clause === "by" ? a.labels.filter((l) => l !== "le").map((l) => `, ${l}`).join("") : ""}) (rate(${call.buckets[0]}{…}[$__rate_interval])))`,
        });
      }
    }
    return out;
  },
});
