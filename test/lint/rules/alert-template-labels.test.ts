import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { findings, goodAlert, ruleFile, tree } from "../fixtures.js";

const RULE = "alert-template-labels";
// Loki ruler files hold LogQL; its grammar (not PromQL's) says which labels a rule keeps.
const lokiRule = (expr: string, summary: string) =>
  tree({
    files: [
      {
        path: "loki/rules/fake/logs.yaml",
        content: stringify({ groups: [{ name: "logs", rules: [goodAlert({ alert: "LogLatencyHigh", expr, annotations: { ...goodAlert().annotations, summary } })] }] }),
      },
    ],
  });
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

  it("reads a Loki rule's labels with LogQL: an unwrapped range aggregation's by (…) keeps only what it lists", () => {
    const expr = 'max_over_time({job="docker"} | json | unwrap duration [5m]) by (job) > 10';
    const f = findings(RULE, lokiRule(expr, "{{ $labels.job }} {{ $labels.exception }} is slow"));
    expect(f).toMatchObject([{ alert: "LogLatencyHigh", message: expect.stringContaining("uses $labels.exception, but the expression's series only carry job") }]);
    expect(findings(RULE, lokiRule(expr, "{{ $labels.job }} is slow"))).toEqual([]);
  });

  it("a Loki rule keeps what its vector aggregation lists, through topk and comparisons", () => {
    const expr = 'topk(3, sum by (job, exception) (count_over_time({job="docker"} | json [5m]))) > 0';
    expect(findings(RULE, lokiRule(expr, "{{ $labels.job }} raised {{ $labels.exception }}"))).toEqual([]);
    expect(findings(RULE, lokiRule(expr, "{{ $labels.level }}"))).toMatchObject([{ message: expect.stringContaining("only carry exception, job") }]);
  });

  it("a Loki rule whose series carry the stream's labels is not judged", () => {
    expect(findings(RULE, lokiRule('count_over_time({job="docker"} |= "error" [5m]) > 10', "{{ $labels.anything }}"))).toEqual([]);
  });
});
