// dashboard-linter's target-job-rule and target-instance-rule: every selector of a dashboard query
// carries a job and an instance matcher, through $job/$instance when the dashboard has them —
// otherwise a panel silently mixes every service exposing the metric.
import { describeIssue } from "../../query/parse.js";
import { referencesVariable, selectorUses } from "../../query/analysis.js";
import { board } from "../boards.js";
import { sitesIn } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

export default defineRule({
  id: "target-job-instance-matchers",
  scope: "dashboard",
  severity: "error",
  purpose: "Every selector of a dashboard PromQL query has job and instance matchers ($job/$instance when defined)",
  peers: ["target-job-rule", "target-instance-rule"],
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const site of sitesIn(ctx, "promql").dashboard) {
      // What the rule reads of the dashboard: its shared index (boards.ts).
      const b = board(ctx, site.query!.board);
      const peerScope = b.firstDatasourceVariableType === "prometheus";
      const vars = b.variableNames;
      for (const sel of selectorUses(site.expr, ctx.catalogIndex)) {
        for (const label of ["job", "instance"]) {
          const m = sel.matchers.find((x) => x.label === label);
          let problem: string | undefined;
          if (!m) problem = `${sel.metric ?? "selector"} has no ${label} matcher`;
          else if (vars.has(label) && !referencesVariable(m.value, label)) problem = `${sel.metric ?? "selector"} matches ${label}${m.op}"${m.value}" instead of the $${label} variable`;
          if (problem) out.push({ ...site.at, peerRule: peerScope ? `target-${label}-rule` : undefined, metric: sel.metric ?? undefined, message: describeIssue(site.expr, { column: sel.column, message: problem }), fix: `add ${vars.has(label) ? `${label}=~"$${label}"` : `${label}="…"`} to the selector` });
        }
      }
    }
    return out;
  },
});
