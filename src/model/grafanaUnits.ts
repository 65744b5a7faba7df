// Grafana's unit ids (fieldConfig.defaults.unit), taken from the Foundation SDK's generated list of
// them (@grafana/grafana-foundation-sdk/units), plus the parametrised forms Grafana's getValueFormat()
// understands. An unknown id is drawn as a plain number with the id appended.
import * as units from "@grafana/grafana-foundation-sdk/units";

type UnitConstants = Omit<typeof units, "default" | "__esModule">;

/** A unit id from Grafana's unit picker: "s", "bytes", "KiBs", "reqps", "percentunit", … */
export type GrafanaUnitId = Extract<UnitConstants[keyof UnitConstants], string>;

/** Units Grafana builds from a parameter: "suffix: req", "prefix:€", "si:g", "count:rows", "currency:CHF", "time:YYYY-MM-DD". */
export type ParametrisedUnit = `${"prefix" | "suffix" | "si" | "count" | "currency" | "time" | "bool"}:${string}`;

/** What a panel's unit may be. */
export type GrafanaUnit = GrafanaUnitId | ParametrisedUnit;

// Made at first use, not when this module loads: a build served by its cache never reads the SDK.
let unitIds: ReadonlySet<string> | undefined;
export function grafanaUnitIds(): ReadonlySet<string> {
  return (unitIds ??= new Set(Object.values(units).filter((v): v is GrafanaUnitId => typeof v === "string")));
}

const PARAMETRISED = /^(prefix|suffix|si|count|currency|time|bool):.+$/;

/** True for a string Grafana knows as a unit; false for anything else (non-strings included). */
export function isGrafanaUnit(unit: unknown): unit is GrafanaUnit {
  return typeof unit === "string" && (grafanaUnitIds().has(unit) || PARAMETRISED.test(unit));
}

/** The closest known unit, for "did you mean". */
export function suggestUnit(unit: unknown): string | undefined {
  if (typeof unit !== "string") return undefined;
  const lower = unit.toLowerCase();
  const aliases: Record<string, string> = {
    seconds: "s", second: "s", sec: "s", secs: "s", milliseconds: "ms", millis: "ms", percent100: "percent", ratio: "percentunit",
    "%": "percent", byte: "bytes", "b/s": "Bps", "req/s": "reqps", "req/min": "reqpm", count: "short", number: "short", minutes: "m", hours: "h",
  };
  if (Object.hasOwn(aliases, lower)) return aliases[lower];
  return [...grafanaUnitIds()].find((u) => u.toLowerCase() === lower);
}
