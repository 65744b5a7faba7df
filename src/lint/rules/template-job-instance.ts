// dashboard-linter's template-job-rule and template-instance-rule: a dashboard whose queries select
// a job offers $job and $instance variables (instance chained on job), so a viewer can narrow it to
// one service and one target without editing queries.
import { referencesVariable, selectorUses } from "../../query/analysis.js";
import { atDashboard, variableQuery } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

export default defineRule({
  id: "template-job-instance",
  severity: "error",
  purpose: "A dashboard whose queries select a job has $job and $instance query variables (instance filtered by $job)",
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const d of ctx.dashboards) {
      const selectsJob = ctx.queries.some((q) => q.board === d && q.lang === "promql" && selectorUses(q.expr, ctx.catalogIndex).some((s) => s.matchers.some((m) => m.label === "job")));
      if (!selectsJob) continue;
      const vars = d.json.templating?.list ?? [];
      for (const [name, label] of [["job", "job"], ["instance", "instance"]] as const) {
        const v = vars.find((x) => x.name === name);
        const at = { ...atDashboard(d), panelTitle: `variable $${name}` };
        if (!v) {
          out.push({ ...at, message: `dashboard queries a job but has no $${name} variable`, fix: "add ...jobInstanceVariables(<metric>, <job>) (src/presets/variables.ts) after the datasource variable" });
          continue;
        }
        if (v.type !== "query" || !new RegExp(`^\\s*label_values\\s*\\((?:.*,)?\\s*${label}\\s*\\)\\s*$`, "s").test(variableQuery(v))) {
          out.push({ ...at, message: `$${name} is a ${v.type} variable with query "${variableQuery(v)}"; it should list the ${label} label's values`, fix: `make it a query variable: label_values(<metric>${name === "instance" ? '{job=~"$job"}' : ""}, ${label})` });
        } else if (name === "instance" && !referencesVariable(variableQuery(v), "job")) {
          out.push({ ...at, message: `$instance lists instances of every job ("${variableQuery(v)}"), not of the selected $job`, fix: 'filter it by job: label_values(<metric>{job=~"$job"}, instance)' });
        }
      }
    }
    return out;
  },
});
