// pint's promql/rate: rate(), irate() and increase() assume a counter that only goes up and treat
// every drop as a reset; over a gauge they produce nonsense. Applies to dashboards and rule files.
import { describeIssue } from "../../query/parse.js";
import { selectorUses } from "../../query/analysis.js";
import { sitesIn } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

const COUNTER_FNS = new Set(["rate", "irate", "increase"]);

export default defineRule({
  id: "promql-gauge-rate",
  scope: "dashboard",
  severity: "error",
  purpose: "Gauges (per the catalog) are never inside rate/irate/increase",
  stackSpecific: true,
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const site of sitesIn(ctx, "promql").all) {
      for (const s of selectorUses(site.expr, ctx.catalogIndex)) {
        if (s.catalog?.metric.type !== "gauge" || s.parent?.kind !== "call" || !COUNTER_FNS.has(s.parent.name)) continue;
        out.push({
          ...site.at,
          metric: s.metric ?? undefined,
          message: describeIssue(site.expr, { column: s.column, message: `${s.metric} is a gauge; ${s.parent.name}() of a gauge treats every drop as a counter reset` }),
          fix: `use the gauge as it is, or deriv()/delta()/avg_over_time() over it`,
        });
      }
    }
    return out;
  },
});
