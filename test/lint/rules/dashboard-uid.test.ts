import { describe, expect, it } from "vitest";
import { dashboardFile, DATASOURCES, dashboardWith, findings, goodDashboard, tree } from "../fixtures.js";

const RULE = "dashboard-uid";

describe(RULE, () => {
  it("passes a lower-case slug uid that names its file", () => {
    expect(findings(RULE)).toEqual([]);
  });

  it("reports a missing uid", () => {
    const f = findings(RULE, [DATASOURCES, { path: "grafana/provisioning/dashboards/services/x.json", content: JSON.stringify({ ...goodDashboard(), uid: undefined }) }]);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ rule: RULE, severity: "error", output: "grafana/provisioning/dashboards/services/x.json" });
    expect(f[0].message).toMatch(/no uid/);
  });

  it("reports a generated-looking uid, a file named otherwise, and duplicates", () => {
    const odd = dashboardWith(() => {}, "aB3xK9pQz");
    const f = findings(RULE, [DATASOURCES, dashboardFile(odd), { ...dashboardFile(goodDashboard("twice")), path: "grafana/provisioning/dashboards/a/twice.json" }, { ...dashboardFile(goodDashboard("twice")), path: "grafana/provisioning/dashboards/b/other.json" }]);
    expect(f.map((x) => x.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/"aB3xK9pQz" is not a lower-case slug/), expect.stringMatching(/emitted as other.json but its uid is "twice"/), expect.stringMatching(/uid "twice" is also used/)]),
    );
    expect(findings(RULE, tree({ dashboards: [goodDashboard("ok-one"), goodDashboard("ok-two")] }))).toEqual([]);
  });
});
