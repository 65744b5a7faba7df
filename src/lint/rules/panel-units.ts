// dashboard-linter's panel-units-rule: a numeric panel has a unit, and it is one Grafana knows (an
// unknown id is drawn as a bare number with the id pasted after it). Overrides are checked too.
import { isGrafanaUnit, suggestUnit } from "../../model/grafanaUnits.js";
import { PEER_DATA_PANELS } from "../peers.js";
import { board } from "../boards.js";
import { atPanel } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

type Override = { matcher?: { options?: unknown }; properties?: unknown };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** What a unit that is not a string is, in words, for the finding. */
function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  return typeof v === "object" ? "an object" : `${JSON.stringify(v) ?? String(v)} (a ${typeof v})`;
}

/** Every unit a panel sets (defaults and overrides), read from untrusted JSON: anything may be anywhere. */
function unitsOf(p: { fieldConfig?: unknown }): { unit: unknown; where: string }[] {
  const fc = isRecord(p.fieldConfig) ? p.fieldConfig : {};
  const defaults = isRecord(fc.defaults) ? fc.defaults : {};
  const units: { unit: unknown; where: string }[] = [{ unit: defaults.unit, where: "fieldConfig.defaults.unit" }];
  const overrides = Array.isArray(fc.overrides) ? (fc.overrides as unknown[]) : [];
  overrides.forEach((o, i) => {
    if (!isRecord(o) || !Array.isArray((o as Override).properties)) return;
    const matcher = isRecord(o.matcher) ? o.matcher.options : undefined;
    for (const x of (o as { properties: unknown[] }).properties) {
      if (isRecord(x) && x.id === "unit") units.push({ unit: x.value, where: `override ${i + 1} (${JSON.stringify(matcher ?? "") ?? ""})` });
    }
  });
  return units;
}

export default defineRule({
  id: "panel-units",
  scope: "dashboard",
  severity: "error",
  purpose: "Numeric panels set a unit, and every unit (defaults and overrides) is a valid Grafana unit id",
  peers: ["panel-units-rule"],
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const d of ctx.dashboards) {
      const b = board(ctx, d);
      const types = new Map(b.panels.map((p) => [p.title ?? "", p.type]));
      const peerRule = (title: string | undefined) => (PEER_DATA_PANELS.has(types.get(title ?? "") ?? "") ? "panel-units-rule" : undefined);
      for (const p of b.structure()) {
        if (p.code === "missing-unit") out.push({ ...atPanel(d, { title: p.panelTitle }), peerRule: peerRule(p.panelTitle), message: p.message, fix: "set unit on the panel (the presets in src/presets/panels.ts require one)" });
      }
      for (const p of b.panels) {
        for (const { unit, where } of unitsOf(p)) {
          if (unit === undefined || unit === "" || isGrafanaUnit(unit)) continue;
          if (typeof unit !== "string") {
            out.push({ ...atPanel(d, p), peerRule: peerRule(p.title), message: `${where}: ${describeValue(unit)} is not a unit id; Grafana's units are strings`, fix: 'write the unit as a string, e.g. "s", "bytes", "reqps"' });
            continue;
          }
          const hint = suggestUnit(unit);
          out.push({
            ...atPanel(d, p),
            peerRule: peerRule(p.title),
            message: `${where}: "${unit}" is not a Grafana unit id`,
            fix: hint ? `use "${hint}"` : 'use an id from Grafana\'s unit picker (s, ms, bytes, reqps, percentunit, short, …) or a custom "suffix:<text>"',
          });
        }
      }
    }
    return out;
  },
});
