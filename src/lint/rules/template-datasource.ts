// dashboard-linter's template-datasource-rule: a dashboard that queries a datasource offers a
// datasource variable, so the same dashboard works against every Prometheus (dev, prod, a replica);
// with several datasource variables each is named after its type (prometheus_datasource,
// loki_datasource, …), so a URL's var-… says which one it sets.
import { board } from "../boards.js";
import { atDashboard } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

const PEER = "template-datasource-rule";

export default defineRule({
  id: "template-datasource",
  scope: "dashboard",
  severity: "error",
  purpose: "A dashboard with queries has datasource variables (one of type prometheus when it queries Prometheus), named <type>_datasource when there are several",
  peers: [PEER],
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const d of ctx.dashboards) {
      const b = board(ctx, d);
      const vars = b.datasourceVariables;
      const hasQueries = b.panels.some((p) => ((p as { targets?: unknown[] }).targets ?? []).length > 0);
      if (!vars.size && hasQueries) {
        out.push({ ...atDashboard(d), peerRule: PEER, message: "dashboard has queries but no datasource variable", fix: "add datasourceVariable() (src/presets/variables.ts) as the first variable" });
        continue;
      }
      const usesPrometheus = b.queries.some((q) => q.lang === "promql");
      if (usesPrometheus && vars.size && ![...vars.values()].includes("prometheus")) {
        const others = [...vars].map(([n, t]) => `$${n} (${t || "any type"})`).join(", ");
        out.push({
          ...atDashboard(d),
          message: `dashboard queries Prometheus but has no datasource variable of type prometheus (it has ${others})`,
          fix: "add datasourceVariable() (src/presets/variables.ts) as the first variable",
        });
      }
      for (const [name, type] of vars) {
        const specific = `${type.toLowerCase()}_datasource`;
        if (name === specific || (vars.size === 1 && name === "datasource")) continue;
        out.push({
          ...atDashboard(d),
          panelTitle: `variable $${name}`,
          peerRule: PEER,
          message: `datasource variable $${name} (type ${type || "unset"}) should be named ${specific}${vars.size === 1 ? ' (or "datasource", as the only one)' : " when a dashboard has several"}`,
          fix: `rename it to ${specific} (datasourceVariables() in src/presets/variables.ts names them so)`,
        });
      }
    }
    return out;
  },
});
