// dashboard-linter's panel-units-rule: a numeric panel has a unit, and it is one Grafana knows (an
// unknown id is drawn as a bare number with the id pasted after it). Overrides are checked too.
import { checkDashboardStructure } from "../../validate/dashboardStructure.js";
import { isGrafanaUnit, suggestUnit } from "../grafanaUnits.js";
import { atPanel, panels } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

type FieldConfig = { defaults?: { unit?: string }; overrides?: { matcher?: { options?: unknown }; properties?: { id?: string; value?: unknown }[] }[] };

export default defineRule({
  id: "panel-units",
  severity: "error",
  purpose: "Numeric panels set a unit, and every unit (defaults and overrides) is a valid Grafana unit id",
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const d of ctx.dashboards) {
      for (const p of checkDashboardStructure([d.built])) {
        if (p.code === "missing-unit") out.push({ ...atPanel(d, { title: p.panelTitle }), message: p.message, fix: "set unit on the panel (the presets in src/presets/panels.ts require one)" });
      }
      for (const p of panels(d)) {
        const fc = (p.fieldConfig ?? {}) as FieldConfig;
        const units = [
          { unit: fc.defaults?.unit, where: "fieldConfig.defaults.unit" },
          ...(fc.overrides ?? []).flatMap((o, i) =>
            (o.properties ?? []).filter((x) => x.id === "unit").map((x) => ({ unit: x.value as string | undefined, where: `override ${i + 1} (${JSON.stringify(o.matcher?.options ?? "")})` })),
          ),
        ];
        for (const { unit, where } of units) {
          if (unit === undefined || unit === "" || isGrafanaUnit(unit)) continue;
          const hint = suggestUnit(unit);
          out.push({
            ...atPanel(d, p),
            message: `${where}: "${unit}" is not a Grafana unit id`,
            fix: hint ? `use "${hint}"` : 'use an id from Grafana\'s unit picker (s, ms, bytes, reqps, percentunit, short, …) or a custom "suffix:<text>"',
          });
        }
      }
    }
    return out;
  },
});
