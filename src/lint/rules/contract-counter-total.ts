// Telemetry contract (docs/telemetry-contract.md): "For counters use _total suffix." Catalog counters are named with
// it, and a series read through rate()/increase() outside the catalog is a counter and must end in
// _total (or be a histogram's _count/_sum/_bucket).
import { describeIssue } from "../../query/parse.js";
import { catalogLocation } from "../catalogSites.js";
import { selectorUses } from "../../query/analysis.js";
import { recordedNames, sitesIn } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

const COUNTER_FNS = new Set(["rate", "irate", "increase"]);
const COUNTER_NAME = /(_total|_count|_sum|_bucket)$/;

export default defineRule({
  id: "contract-counter-total",
  scope: "dashboard",
  severity: "error",
  purpose: "Counters end in _total: catalog counters, and series rated in queries outside the catalog",
  stackSpecific: true,
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const m of ctx.catalog) {
      if (m.type === "counter" && !m.name.endsWith("_total")) {
        out.push({ ...catalogLocation(ctx.repoRoot, m.name), message: `counter ${m.name} does not end in _total (docs/telemetry-contract.md)`, fix: `name it ${m.name}_total (the OpenTelemetry Prometheus exporter adds _total to monotonic sums)` });
      }
    }
    const recorded = new Set(Object.keys(recordedNames(ctx)));
    for (const site of sitesIn(ctx, "promql").all) {
      for (const s of selectorUses(site.expr, ctx.catalogIndex)) {
        if (!s.metric || s.catalog || recorded.has(s.metric) || s.metric.includes(":") || COUNTER_NAME.test(s.metric)) continue;
        if (s.parent?.kind !== "call" || !COUNTER_FNS.has(s.parent.name)) continue;
        out.push({
          ...site.at,
          metric: s.metric,
          message: describeIssue(site.expr, { column: s.column, message: `${s.metric} is read as a counter (${s.parent.name}) but does not end in _total` }),
          fix: `rename the counter to ${s.metric}_total where it is exported, or stop rating it if it is a gauge`,
        });
      }
    }
    return out;
  },
});
