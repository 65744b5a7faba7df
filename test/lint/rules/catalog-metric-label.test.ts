import { describe, expect, it } from "vitest";
import { findings, goodAlert, ruleFile, tree, withExpr } from "../fixtures.js";

const RULE = "catalog-metric-label";

describe(RULE, () => {
  it("passes catalog metrics with their labels, and series recorded by the tree's rules", () => {
    expect(findings(RULE)).toEqual([]);
    const rules = ruleFile([{ name: "fixture", rules: [{ record: "job:http_requests:rate5m", expr: "sum by (job) (rate(http_requests_total[5m]))" }, goodAlert({ expr: "job:http_requests:rate5m > 10" })] }]);
    expect(findings(RULE, tree({ rules: [rules] }))).toEqual([]);
  });

  it("reports an unknown metric with a suggestion, and a label the metric does not have", () => {
    const f = findings(RULE, tree({ dashboards: [withExpr("Resident memory", 'sum by (instance) (process_resident_memory_byte{job=~"$job", instance=~"$instance"})')] }));
    expect(f).toMatchObject([{ panelTitle: "Resident memory", refId: "A", message: expect.stringContaining('did you mean "process_resident_memory_bytes"') }]);
    const rule = ruleFile([{ name: "fixture", rules: [goodAlert({ expr: 'sum by (job) (rate(http_requests_total{job="fastapi", code="500"}[5m])) > 1' })] }]);
    expect(findings(RULE, tree({ rules: [rule] }))).toMatchObject([{ alert: "FastAPIHighErrorRate", message: expect.stringContaining('label "code" is not a label of http_requests_total') }]);
  });
});
