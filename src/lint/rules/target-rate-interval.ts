// dashboard-linter's target-rate-interval-rule: rate(), irate() and increase() in dashboards range
// over $__rate_interval, which Grafana keeps at least four scrape intervals wide at every zoom level;
// a fixed [1m] draws nothing when zoomed out and jumps when zoomed in.
import { describeIssue } from "../../query/parse.js";
import { rangeCalls } from "../../query/analysis.js";
import { board } from "../boards.js";
import { PEER_QUERY_PANELS } from "../peers.js";
import { sitesIn } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

const FNS = new Set(["rate", "irate", "increase"]);
const RATE_INTERVAL = /^\$(__rate_interval|\{__rate_interval\})$/;
/** increase() over the whole time range is the other meaningful choice (a stat of the range's total). */
const RANGE = /^\$(__range|\{__range\})$/;

export default defineRule({
  id: "target-rate-interval",
  scope: "dashboard",
  severity: "error",
  purpose: "rate/irate/increase in dashboard queries range over $__rate_interval (increase may use $__range)",
  peers: ["target-rate-interval-rule"],
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const site of sitesIn(ctx, "promql").dashboard) {
      const peerScope = PEER_QUERY_PANELS.has(site.query!.panelType) && board(ctx, site.query!.board).firstDatasourceVariableType === "prometheus";
      for (const call of rangeCalls(site.expr, FNS)) {
        if (call.range === undefined || RATE_INTERVAL.test(call.range) || (call.fn === "increase" && RANGE.test(call.range))) continue;
        out.push({
          ...site.at,
          // dashboard-linter lets increase() range over anything.
          peerRule: peerScope && call.fn !== "increase" ? "target-rate-interval-rule" : undefined,
          message: describeIssue(site.expr, { column: call.column, message: `${call.fn}() ranges over [${call.range}], not [$__rate_interval]` }),
          fix: `write ${call.fn}(x[$__rate_interval])${call.fn === "increase" ? " (or [$__range] for the total of the time range)" : ""}`,
        });
      }
    }
    return out;
  },
});
