import { describe, expect, it } from "vitest";
import { dashboardWith, findings, panel, tree, UID } from "../fixtures.js";

const RULE = "panel-datasource";

describe(RULE, () => {
  it("passes panels and targets that go through datasource variables", () => {
    expect(findings(RULE)).toEqual([]);
  });

  it("reports a Prometheus target with a fixed uid", () => {
    const d = dashboardWith((d) => {
      panel(d, "Resident memory").targets[0].datasource = { type: "prometheus", uid: "prometheus" };
    });
    const f = findings(RULE, tree({ dashboards: [d] }));
    expect(f).toMatchObject([{ dashboardUid: UID, panelTitle: "Resident memory", refId: "A" }]);
    expect(f[0].message).toContain('datasource uid "prometheus"');
    expect(f[0].fix).toContain("${prometheus_datasource}");
  });
});
