import { describe, expect, it } from "vitest";
import { settingsSchema } from "../../../src/lint/settings.js";
import { findings, goodAlert, ruleFile, tree } from "../fixtures.js";

const RULE = "alert-group-size";
const group = (n: number) => tree({ rules: [ruleFile([{ name: "big", rules: Array.from({ length: n }, (_, i) => goodAlert({ alert: `Alert${i}` })) }])] });

describe(RULE, () => {
  it("passes a group at the limit", () => {
    expect(findings(RULE, group(20))).toEqual([]);
  });

  it("reports a group over the limit (the limit is a setting)", () => {
    expect(findings(RULE, group(21))).toMatchObject([{ group: "big", message: "group has 21 rules; at most 20 are allowed" }]);
    const exclusions = { file: "x", settings: settingsSchema.parse({ maxRulesPerGroup: 3 }), exclusions: [] };
    expect(findings(RULE, group(4), { exclusions })).toHaveLength(1);
  });
});
