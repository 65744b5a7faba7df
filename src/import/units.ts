// Units Grafana does not know, written as the custom unit that shows the same. Grafana's
// getValueFormat() draws an unknown unit id X with toFixedUnit(X): the number, a space, then X, which
// is exactly what its custom unit "suffix:X" draws. The import writes "suffix:X", a unit the lint
// accepts; the semantic check reads both as the same display (normalise.ts, rule custom-unit).
import { isGrafanaUnit } from "../model/grafanaUnits.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** `suffix:X` for a unit id X Grafana does not know; anything else as it is. */
export function explicitUnit(unit: unknown): unknown {
  return typeof unit === "string" && unit !== "" && unit !== "none" && !isGrafanaUnit(unit) ? `suffix:${unit}` : unit;
}

/** The panel with its default and override units made explicit (a copy when one changed), and how many changed. */
export function withExplicitUnits(p: Obj): { panel: Obj; changed: number } {
  const fc = isObj(p.fieldConfig) ? p.fieldConfig : undefined;
  if (!fc) return { panel: p, changed: 0 };
  let changed = 0;
  const fix = (u: unknown) => {
    const out = explicitUnit(u);
    if (out !== u) changed++;
    return out;
  };
  const defaults = isObj(fc.defaults) && "unit" in fc.defaults ? { ...fc.defaults, unit: fix(fc.defaults.unit) } : fc.defaults;
  const overrides = Array.isArray(fc.overrides)
    ? fc.overrides.map((o) =>
        isObj(o) && Array.isArray(o.properties)
          ? { ...o, properties: o.properties.map((x) => (isObj(x) && x.id === "unit" ? { ...x, value: fix(x.value) } : x)) }
          : o,
      )
    : fc.overrides;
  if (!changed) return { panel: p, changed };
  return { panel: { ...p, fieldConfig: { ...fc, defaults, overrides } }, changed };
}
