import { describe, expect, it } from "vitest";
import { dashboardWith, findings, panel, tree } from "../fixtures.js";

const RULE = "panel-targets";

describe(RULE, () => {
  it("passes panels with queries, and text panels without", () => {
    const d = dashboardWith((d) => d.panels.push({ type: "text", title: "Read me", id: 99, options: { content: "hi" } }));
    expect(findings(RULE, tree({ dashboards: [d] }))).toEqual([]);
  });

  it("reports a timeseries panel without targets", () => {
    const d = dashboardWith((d) => (panel(d, "Resident memory").targets = []));
    expect(findings(RULE, tree({ dashboards: [d] }))).toMatchObject([{ panelTitle: "Resident memory", message: expect.stringContaining("no targets") }]);
  });
});
