import { describe, expect, it } from "vitest";
import { findings, goodAlert, ruleFile, tree } from "../fixtures.js";

const RULE = "alert-name";
const withAlert = (alert: string) => tree({ rules: [ruleFile([{ name: "fixture", rules: [goodAlert({ alert })] }])] });

describe(RULE, () => {
  it("passes CamelCase names up to 40 characters", () => {
    expect(findings(RULE)).toEqual([]);
    expect(findings(RULE, withAlert("LLMHighErrorRate"))).toEqual([]);
  });

  it("reports snake_case and over-long names", () => {
    expect(findings(RULE, withAlert("high_error_rate"))).toMatchObject([{ alert: "high_error_rate", group: "fixture", fix: expect.stringContaining("HighErrorRate") }]);
    const long = "FastAPIHighErrorRateOnEveryEndpointOfTheService";
    expect(findings(RULE, withAlert(long))[0].message).toContain(`${long.length} characters`);
  });
});
