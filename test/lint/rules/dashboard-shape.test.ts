import { describe, expect, it } from "vitest";
import { dashboardWith, findings, panel, tree } from "../fixtures.js";

const RULE = "dashboard-shape";

describe(RULE, () => {
  it("passes the fixture tree", () => {
    expect(findings(RULE)).toEqual([]);
  });

  it("reports fields of the wrong JSON type with dashboard, panel and path", () => {
    const d = dashboardWith((d) => {
      d.title = 7 as unknown as string;
      panel(d, "p95 latency").title = { text: "p95" };
      panel(d, "Resident memory").targets = { expr: "up" };
      panel(d, "Requests/s by method").targets[0].expr = ["up"];
    });
    const f = findings(RULE, tree({ dashboards: [d] }));
    expect(f.map((x) => [x.dashboardUid, x.panelTitle, x.message])).toEqual([
      ["lint-fixture", undefined, "title is 7 (a number); expected string"],
      ["lint-fixture", "(panel at panels[2])", "panels[2].title is an object; expected string"],
      ["lint-fixture", "Requests/s by method", "panels[1].targets[0].expr is a list; expected string"],
      ["lint-fixture", "Resident memory", "panels[3].targets is an object; expected a list"],
    ]);
  });
});

describe(`${RULE}: null is "not set"`, () => {
  it("datasource: null and description: null (as Grafana exports write them) are not reported", () => {
    const d = dashboardWith((d) => {
      panel(d, "p95 latency").datasource = null;
      (d as unknown as Record<string, unknown>).description = null;
    });
    expect(findings(RULE, tree({ dashboards: [d] }))).toEqual([]);
  });
});
