import { describe, expect, it } from "vitest";
import { findings, goodAlert, ruleFile, tree } from "../fixtures.js";

const RULE = "alert-template-labels";
const withRule = (over: Parameters<typeof goodAlert>[0]) => tree({ rules: [ruleFile([{ name: "fixture", rules: [goodAlert(over)] }])] });

describe(RULE, () => {
  it("passes templates naming labels the expression keeps", () => {
    expect(findings(RULE)).toEqual([]);
    // a selector keeps its catalog labels
    expect(findings(RULE, withRule({ expr: 'up{job="fastapi"} == 0', annotations: { ...goodAlert().annotations, summary: "{{ $labels.instance }} of {{ $labels.job }} is down" } }))).toEqual([]);
  });

  it("reports a label the aggregation drops", () => {
    const f = findings(RULE, withRule({ annotations: { ...goodAlert().annotations, summary: "{{ $labels.instance }} fails {{ $value }}" } }));
    expect(f).toMatchObject([{ alert: "FastAPIHighErrorRate", message: expect.stringContaining("uses $labels.instance, but the expression's series only carry job") }]);
  });
});
