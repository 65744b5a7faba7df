import { describe, expect, it } from "vitest";
import { dashboardFile, findings, goodDashboard, tree, UID } from "../fixtures.js";

const RULE = "dashboard-uid-stable";

describe(RULE, () => {
  it("passes a dashboard that kept its uid (or is new)", () => {
    expect(findings(RULE, tree(), { previous: [dashboardFile(goodDashboard())] })).toEqual([]);
    expect(findings(RULE, tree(), { previous: [] })).toEqual([]);
  });

  it("reports a title that moved to another uid", () => {
    const renamed = { ...goodDashboard("fixture-v2"), title: goodDashboard().title };
    const f = findings(RULE, tree({ dashboards: [renamed] }), { previous: [dashboardFile(goodDashboard())] });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: "warning", dashboardUid: "fixture-v2" });
    expect(f[0].message).toContain(`had uid "${UID}"`);
    expect(f[0].fix).toContain(`keep uid "${UID}"`);
  });
});
