import { describe, expect, it } from "vitest";
import { dashboardWith, findings, panel, tree, UID } from "../fixtures.js";

const RULE = "panel-title-description";

describe(RULE, () => {
  it("passes panels with a title and a description", () => {
    expect(findings(RULE)).toEqual([]);
  });

  it("reports a panel without a description and one without a title", () => {
    const d = dashboardWith((d) => {
      delete panel(d, "Resident memory").description;
      panel(d, "p95 latency").title = "";
    });
    const f = findings(RULE, tree({ dashboards: [d] }));
    expect(f.map((x) => [x.panelTitle, x.message])).toEqual(
      expect.arrayContaining([
        ["Resident memory", expect.stringContaining("no description")],
        [expect.stringContaining("untitled stat panel"), expect.stringContaining("no title")],
      ]),
    );
    expect(f.every((x) => x.dashboardUid === UID && x.fix.length > 0)).toBe(true);
  });
});
