import { describe, expect, it } from "vitest";
import { dashboardWith, findings, tree } from "../fixtures.js";

const RULE = "template-refresh";

describe(RULE, () => {
  it("passes query variables refreshed on time range change", () => {
    expect(findings(RULE)).toEqual([]);
  });

  it("reports one refreshed only on load", () => {
    const d = dashboardWith((d) => {
      d.templating!.list!.find((x) => x.name === "instance")!.refresh = 1;
    });
    expect(findings(RULE, tree({ dashboards: [d] }))).toMatchObject([{ panelTitle: "variable $instance", message: expect.stringContaining("only on dashboard load") }]);
  });
});
