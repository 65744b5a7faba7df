// dashboard-linter's template-datasource-rule: a dashboard that queries Prometheus offers a
// datasource variable, so the same dashboard works against every Prometheus (dev, prod, a replica).
import { datasourceVariables } from "../../validate/datasourceRefs.js";
import { atDashboard } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

export default defineRule({
  id: "template-datasource",
  severity: "error",
  purpose: "A dashboard with Prometheus queries has a datasource template variable of type prometheus",
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const d of ctx.dashboards) {
      const usesPrometheus = ctx.queries.some((q) => q.board === d && q.lang === "promql");
      if (!usesPrometheus) continue;
      const vars = datasourceVariables(d.json);
      if (![...vars.values()].includes("prometheus")) {
        const others = [...vars].map(([n, t]) => `$${n} (${t || "any type"})`).join(", ");
        out.push({
          ...atDashboard(d),
          message: `dashboard queries Prometheus but has no datasource variable of type prometheus${others ? ` (it has ${others})` : ""}`,
          fix: "add datasourceVariable() (src/presets/variables.ts) as the first variable",
        });
      }
    }
    return out;
  },
});
