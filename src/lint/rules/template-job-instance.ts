// dashboard-linter's template-job-rule and template-instance-rule: a dashboard on Prometheus offers
// $job and $instance variables (instance chained on job), multi-select, through the Prometheus
// datasource variable, with "All" meaning `.+` — `.*` also matches series that carry no job label
// at all, so "All" would mix in series of no service.
import { variableName } from "../../validate/datasourceRefs.js";
import { referencesVariable, selectorUses } from "../../query/analysis.js";
import { board } from "../boards.js";
import { atDashboard, variableQuery } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

/** label_values(…, job) and label_values(…, instance): what each variable's query should be. */
const LISTS_VALUES = {
  job: /^\s*label_values\s*\((?:.*,)?\s*job\s*\)\s*$/s,
  instance: /^\s*label_values\s*\((?:.*,)?\s*instance\s*\)\s*$/s,
};

export default defineRule({
  id: "template-job-instance",
  scope: "dashboard",
  severity: "error",
  purpose: "A Prometheus dashboard has $job and $instance query variables: multi-select, All = .+, on the datasource variable, instance filtered by $job",
  peers: ["template-job-rule", "template-instance-rule"],
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const d of ctx.dashboards) {
      // dashboard-linter's scope: the first datasource variable is Prometheus. Ours adds any dashboard selecting a job.
      const b = board(ctx, d);
      const peerScope = b.firstDatasourceVariableType === "prometheus";
      const selectsJob = b.queries.some((q) => q.lang === "promql" && selectorUses(q.expr, ctx.catalogIndex).some((s) => s.matchers.some((m) => m.label === "job")));
      if (!peerScope && !selectsJob) continue;
      const vars = b.variables;
      const dsVars = b.datasourceVariables;
      for (const name of ["job", "instance"] as const) {
        const peerRule = peerScope ? `template-${name}-rule` : undefined;
        const v = vars.find((x) => x.name === name);
        const at = { ...atDashboard(d), panelTitle: `variable $${name}`, peerRule };
        if (!v) {
          out.push({ ...at, message: `dashboard queries Prometheus but has no $${name} variable`, fix: "add ...jobInstanceVariables(<metric>, <job>) (src/presets/variables.ts) after the datasource variable" });
          continue;
        }
        const ds = v.datasource as { uid?: unknown } | string | undefined;
        const uid = typeof ds === "string" ? ds : typeof ds?.uid === "string" ? ds.uid : "";
        const dsVar = variableName(uid);
        if (!dsVar || dsVars.get(dsVar) !== "prometheus") {
          out.push({ ...at, message: `$${name} queries ${uid ? `datasource "${uid}"` : "the default datasource"}, not the Prometheus datasource variable`, fix: `set its datasource to the Prometheus datasource variable (labelVariable() in src/presets/variables.ts does)` });
        }
        if (v.type !== "query") {
          out.push({ ...at, message: `$${name} is a ${v.type} variable; it should be a Prometheus query variable`, fix: `make it a query variable: label_values(<metric>${name === "instance" ? '{job=~"$job"}' : ""}, ${name})` });
          continue;
        }
        if (v.multi !== true) out.push({ ...at, message: `$${name} is single-select; it should be multi-select`, fix: "set multi: true (labelVariable() does unless told otherwise)" });
        if (v.allValue !== ".+") {
          out.push({ ...at, message: `$${name} has allValue ${v.allValue === undefined || v.allValue === null ? "unset" : `"${v.allValue}"`}; it should be ".+" (".*" also matches series without a ${name} label)`, fix: 'set includeAll: true and allValue: ".+"' });
        }
        if (!LISTS_VALUES[name].test(variableQuery(v))) {
          out.push({ ...at, peerRule: undefined, message: `$${name} has query "${variableQuery(v)}"; it should list the ${name} label's values`, fix: `label_values(<metric>${name === "instance" ? '{job=~"$job"}' : ""}, ${name})` });
        } else if (name === "instance" && !referencesVariable(variableQuery(v), "job")) {
          out.push({ ...at, peerRule: undefined, message: `$instance lists instances of every job ("${variableQuery(v)}"), not of the selected $job`, fix: 'filter it by job: label_values(<metric>{job=~"$job"}, instance)' });
        }
      }
    }
    return out;
  },
});
