// Unit ids come from the Foundation SDK's generated list, and the presets only take those (or
// Grafana's parametrised units): a typo in a unit is a compile error, not a panel drawing "5 seconds".
import * as units from "@grafana/grafana-foundation-sdk/units";
import { describe, expect, it } from "vitest";
import { grafanaUnitIds, isGrafanaUnit, suggestUnit } from "../../src/model/grafanaUnits.js";
import { statPanel } from "../../src/presets/panels.js";

describe("Grafana unit ids", () => {
  it("are exactly the SDK's list", () => {
    const sdk = Object.values(units).filter((v) => typeof v === "string");
    expect([...grafanaUnitIds()].sort()).toEqual([...new Set(sdk)].sort());
    for (const u of ["KiBs", "MiBs", "GiBs", "Gibits", "Kibits", "sishort", "reqpm", "rowspm", "candela", "currencyTRY"]) expect(isGrafanaUnit(u), u).toBe(true);
  });

  it("parametrised units pass; other strings and non-strings do not", () => {
    for (const u of ["suffix: req", "prefix:€", "si:g", "count:rows", "currency:CHF", "time:YYYY-MM-DD"]) expect(isGrafanaUnit(u), u).toBe(true);
    for (const u of ["seconds", "suffix:", "", 5, null, { id: "s" }, ["s"]]) expect(isGrafanaUnit(u), JSON.stringify(u)).toBe(false);
    expect(suggestUnit("req/min")).toBe("reqpm");
    expect(suggestUnit(42)).toBeUndefined();
    expect(suggestUnit("constructor")).toBeUndefined();
  });

  it("the presets' unit option is typed with them (checked by tsc)", () => {
    const ok = [
      statPanel({ title: "a", unit: "KiBs", description: "d", targets: [] }),
      statPanel({ title: "b", unit: "suffix: req", description: "d", targets: [] }),
    ];
    // @ts-expect-error "seconds" is not one of Grafana's unit ids
    const bad = statPanel({ title: "c", unit: "seconds", description: "d", targets: [] });
    expect([...ok, bad].map((p) => (p.build() as { fieldConfig?: { defaults?: { unit?: string } } }).fieldConfig?.defaults?.unit)).toEqual(["KiBs", "suffix: req", "seconds"]);
  });
});
