// Telemetry contract (docs/telemetry-contract.md): "For durations use seconds." A duration in ms next to durations in
// seconds makes every threshold, SLO and panel unit a trap. Checks the catalog and every series a
// query names.
import { describeIssue } from "../../query/parse.js";
import { catalogLocation } from "../catalogSites.js";
import { selectorUses } from "../../query/analysis.js";
import { sitesIn } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

const NOT_SECONDS = /_(ms|msec|millis|milliseconds|us|usec|micros|microseconds|ns|nanoseconds|minutes|mins|hours|days)$/;
const TIME_UNITS = new Set(["ms", "µs", "ns", "m", "h", "d", "dtdurationms", "clockms"]);
const DURATION_WORDS = /(duration|latency|time|elapsed|wait|age|uptime|delay)/;

function base(series: string): string {
  return series.replace(/_(total|bucket|sum|count)$/, "");
}

export default defineRule({
  id: "contract-duration-seconds",
  scope: "dashboard",
  severity: "error",
  purpose: "Durations are in seconds: no _ms/_milliseconds/… metric names and no non-second time units in the catalog",
  stackSpecific: true,
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const m of ctx.catalog) {
      const suffix = NOT_SECONDS.exec(base(m.name))?.[1];
      const unit = TIME_UNITS.has(m.unit) && DURATION_WORDS.test(m.name) ? m.unit : undefined;
      if (!suffix && !unit) continue;
      out.push({
        ...catalogLocation(ctx.repoRoot, m.name),
        message: `${m.name} measures a duration in ${suffix ?? unit}, not seconds (docs/telemetry-contract.md)`,
        fix: `export ${base(m.name).replace(NOT_SECONDS, "")}_seconds with the value in seconds (OpenTelemetry: unit "s"), then move queries and the catalog to it`,
      });
    }
    for (const site of sitesIn(ctx, "promql").all) {
      for (const s of selectorUses(site.expr, ctx.catalogIndex)) {
        if (!s.metric || s.catalog || !NOT_SECONDS.test(base(s.metric))) continue;
        out.push({
          ...site.at,
          metric: s.metric,
          message: describeIssue(site.expr, { column: s.column, message: `${s.metric} is a duration in ${NOT_SECONDS.exec(base(s.metric))![1]}, not seconds` }),
          fix: "query the _seconds series instead (and export one if it does not exist)",
        });
      }
    }
    return out;
  },
});
