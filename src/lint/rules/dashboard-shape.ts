// Fields of a dashboard that have a type Grafana does not give them (a number as a title, an object
// as a list of targets): Grafana ignores or rejects them, and every other rule skips them.
import { atDashboard } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

export default defineRule({
  id: "dashboard-shape",
  scope: "dashboard",
  severity: "error",
  purpose: "Every dashboard, panel, target, variable and link field the rules read has the JSON type Grafana expects",
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const d of ctx.dashboards) {
      for (const issue of d.shapeIssues ?? []) {
        out.push({ ...atDashboard(d), ...(issue.panelTitle ? { panelTitle: issue.panelTitle } : {}), message: issue.message, fix: "write the field with the type Grafana's dashboard JSON has (see its JSON Schema)" });
      }
    }
    return out;
  },
});
