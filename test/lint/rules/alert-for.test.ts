import { describe, expect, it } from "vitest";
import { findings, goodAlert, ruleFile, tree } from "../fixtures.js";

const RULE = "alert-for";
const withFor = (f: string | undefined) => tree({ rules: [ruleFile([{ name: "fixture", rules: [goodAlert({ for: f })] }])] });

describe(RULE, () => {
  it("passes a non-zero for:", () => {
    expect(findings(RULE)).toEqual([]);
  });

  it("reports a missing and a zero for:", () => {
    expect(findings(RULE, withFor(undefined))[0].message).toContain("has no for");
    expect(findings(RULE, withFor("0s"))[0]).toMatchObject({ alert: "FastAPIHighErrorRate", message: expect.stringContaining("for: 0s") });
  });
});
