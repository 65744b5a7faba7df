// dashboard-linter's panel-title-description-rule: a panel says what it shows (title) and how to
// read it (description, Grafana's (i) tooltip). The structure check of the build finds them; this
// rule reports the same findings for trees linted on their own.
import { checkDashboardStructure } from "../../validate/dashboardStructure.js";
import { atPanel } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

const CODES: Record<string, string> = {
  "missing-panel-title": 'give the panel a title that names the quantity, e.g. "Requests/s by status"',
  "missing-description": "add a description: what the panel shows, its unit and what a bad value looks like",
};

export default defineRule({
  id: "panel-title-description",
  severity: "error",
  purpose: "Every panel has a title and a description",
  enforcedByBuild: "src/validate/dashboardStructure.ts",
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const d of ctx.dashboards) {
      for (const p of checkDashboardStructure([d.built])) {
        if (p.code in CODES) out.push({ ...atPanel(d, { title: p.panelTitle }), message: p.message, fix: CODES[p.code] });
      }
    }
    return out;
  },
});
