import { describe, expect, it } from "vitest";
import { findings, goodAlert, ruleFile, tree, withExpr } from "../fixtures.js";

const RULE = "query-syntax";

describe(RULE, () => {
  it("passes PromQL, LogQL and rule expressions that parse", () => {
    expect(findings(RULE)).toEqual([]);
  });

  it("reports a dashboard query and a rule expression that do not parse, with the column", () => {
    const f = findings(
      RULE,
      tree({
        dashboards: [withExpr("Resident memory", "sum by (instance) (process_resident_memory_bytes{job=~\"$job\"")],
        rules: [ruleFile([{ name: "fixture", rules: [goodAlert({ expr: "rate(http_requests_total[5m] > 1" })] }])],
      }),
    );
    expect(f).toHaveLength(2);
    expect(f.find((x) => x.panelTitle === "Resident memory")).toMatchObject({ refId: "A", message: expect.stringMatching(/column \d+/) });
    expect(f.find((x) => x.alert === "FastAPIHighErrorRate")).toMatchObject({ group: "fixture", output: "prometheus/rules/fixture.yaml" });
  });
});
