import { describe, expect, it } from "vitest";
import { findings, goodAlert, ruleFile, tree } from "../fixtures.js";

const RULE = "alert-group-unique";

describe(RULE, () => {
  it("passes distinct group names", () => {
    expect(findings(RULE, tree({ rules: [ruleFile([{ name: "a", rules: [goodAlert()] }], "a"), ruleFile([{ name: "b", rules: [goodAlert()] }], "b")] }))).toEqual([]);
  });

  it("reports a group name used twice", () => {
    const f = findings(RULE, tree({ rules: [ruleFile([{ name: "a", rules: [goodAlert()] }], "a"), ruleFile([{ name: "a", rules: [goodAlert()] }], "b")] }));
    expect(f).toMatchObject([{ group: "a", output: "prometheus/rules/b.yaml", message: 'group "a" is also defined in prometheus/rules/a.yaml' }]);
  });
});
