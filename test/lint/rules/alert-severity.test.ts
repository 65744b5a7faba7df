import { describe, expect, it } from "vitest";
import { settingsSchema } from "../../../src/lint/settings.js";
import { findings, goodAlert, ruleFile, tree } from "../fixtures.js";

const RULE = "alert-severity";
const withLabels = (labels: Record<string, string>) => tree({ rules: [ruleFile([{ name: "fixture", rules: [goodAlert({ labels })] }])] });

describe(RULE, () => {
  it("passes critical and warning", () => {
    expect(findings(RULE)).toEqual([]);
    expect(findings(RULE, withLabels({ severity: "warning" }))).toEqual([]);
  });

  it("reports a missing severity and one outside the set (the set is a setting)", () => {
    expect(findings(RULE, withLabels({}))[0].message).toBe("alert has no severity label");
    expect(findings(RULE, withLabels({ severity: "high" }))[0].message).toBe('severity "high" is not one of critical, warning');
    const settings = settingsSchema.parse({ alertSeverities: ["critical", "warning", "high"] });
    expect(findings(RULE, withLabels({ severity: "high" }), { exclusions: { file: "x", settings, exclusions: [] } })).toEqual([]);
  });
});
