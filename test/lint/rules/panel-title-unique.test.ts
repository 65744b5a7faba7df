import { describe, expect, it } from "vitest";
import { dashboardWith, findings, panel, tree } from "../fixtures.js";

const RULE = "panel-title-unique";

describe(RULE, () => {
  it("passes the same title in different rows", () => {
    const d = dashboardWith((d) => (panel(d, "Log lines by level").title = "Requests/s by method"));
    expect(findings(RULE, tree({ dashboards: [d] }))).toEqual([]);
  });

  it("reports two panels of one row with one title, also inside a collapsed row", () => {
    const d = dashboardWith((d) => (panel(d, "Resident memory").title = "p95 latency"));
    expect(findings(RULE, tree({ dashboards: [d] }))).toMatchObject([{ panelTitle: "p95 latency", message: 'row "Traffic" has more than one panel titled "p95 latency"' }]);
    const collapsed = dashboardWith((d) => {
      const rowIndex = d.panels.findIndex((p) => p.title === "Logs" && p.type === "row");
      const nested = d.panels.splice(rowIndex + 1);
      nested[1].title = nested[0].title;
      Object.assign(d.panels[rowIndex], { collapsed: true, panels: nested });
    });
    expect(findings(RULE, tree({ dashboards: [collapsed] }))).toMatchObject([{ message: expect.stringContaining('row "Logs"') }]);
  });
});
