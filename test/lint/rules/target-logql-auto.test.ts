import { describe, expect, it } from "vitest";
import { findings, tree, withExpr } from "../fixtures.js";

const RULE = "target-logql-auto";

describe(RULE, () => {
  it("passes a LogQL range of $__auto", () => {
    expect(findings(RULE)).toEqual([]);
  });

  it("reports a fixed LogQL range", () => {
    const d = withExpr("Log lines by level", 'sum by (level) (count_over_time({service="app"} | json [5m]))');
    expect(findings(RULE, tree({ dashboards: [d] }))).toMatchObject([{ panelTitle: "Log lines by level", message: expect.stringContaining("log range [5m] is fixed") }]);
  });
});
