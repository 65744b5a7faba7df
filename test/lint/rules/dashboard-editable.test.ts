import { describe, expect, it } from "vitest";
import { dashboardWith, findings, tree, UID } from "../fixtures.js";

const RULE = "dashboard-editable";

describe(RULE, () => {
  it("passes a read-only dashboard", () => {
    expect(findings(RULE)).toEqual([]);
  });

  it("reports an editable dashboard, and one that leaves it to Grafana's default", () => {
    expect(findings(RULE, tree({ dashboards: [dashboardWith((d) => (d.editable = true))] }))).toMatchObject([{ dashboardUid: UID, message: expect.stringContaining("editable") }]);
    expect(findings(RULE, tree({ dashboards: [dashboardWith((d) => delete d.editable)] }))[0].message).toContain("unset");
  });
});
