import { describe, expect, it } from "vitest";
import { dashboardWith, findings, panel, tree } from "../fixtures.js";

const RULE = "panel-units";

describe(RULE, () => {
  it("passes Grafana unit ids, including custom suffix: units in overrides", () => {
    const d = dashboardWith((d) => {
      panel(d, "Resident memory").fieldConfig.overrides = [{ matcher: { id: "byName", options: "x" }, properties: [{ id: "unit", value: "suffix: req" }] }];
    });
    expect(findings(RULE, tree({ dashboards: [d] }))).toEqual([]);
  });

  it("reports a numeric panel without a unit and an unknown unit id", () => {
    const d = dashboardWith((d) => {
      delete panel(d, "Resident memory").fieldConfig.defaults.unit;
      panel(d, "p95 latency").fieldConfig.defaults.unit = "seconds";
    });
    const f = findings(RULE, tree({ dashboards: [d] }));
    expect(f).toHaveLength(2);
    expect(f.find((x) => x.panelTitle === "Resident memory")!.message).toContain("no unit");
    const unknown = f.find((x) => x.panelTitle === "p95 latency")!;
    expect(unknown.message).toContain('"seconds" is not a Grafana unit id');
    expect(unknown.fix).toBe('use "s"');
  });
});
