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

  it("reports Loki panels on a fixed uid: the timeseries as panel-datasource-rule, the logs panel (outside its panel types) as ours only", () => {
    const d = dashboardWith((d) => {
      // (the row "Logs" holds the logs panel "Logs": pick panels by type too)
      for (const p of d.panels.filter((x) => x.type !== "row" && ["Log lines by level", "Logs"].includes(x.title as string)) as Record<string, any>[]) {
        p.datasource = { type: "loki", uid: "loki" };
        p.targets[0].datasource = { type: "loki", uid: "loki" };
      }
    });
    const f = findings(RULE, tree({ dashboards: [d] }));
    const panelLevel = f.filter((x) => x.refId === undefined).map((x) => [x.panelTitle, x.peerRule]);
    expect(panelLevel).toEqual([["Log lines by level", "panel-datasource-rule"], ["Logs", undefined]]);
    expect(f.find((x) => x.panelTitle === "Logs" && x.refId === "A")!.fix).toContain("${loki_datasource}");
  });
});
