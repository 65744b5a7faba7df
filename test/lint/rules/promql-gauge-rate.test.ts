import { describe, expect, it } from "vitest";
import { findings, goodAlert, ruleFile, tree, withExpr } from "../fixtures.js";

const RULE = "promql-gauge-rate";

describe(RULE, () => {
  it("passes gauges used as they are, and deriv() of them", () => {
    const d = withExpr("Resident memory", 'deriv(process_resident_memory_bytes{job=~"$job", instance=~"$instance"}[$__rate_interval])');
    expect(findings(RULE, tree({ dashboards: [d] }))).toEqual([]);
  });

  it("reports rate() of a gauge in a dashboard and in a rule", () => {
    const d = withExpr("Resident memory", 'rate(process_resident_memory_bytes{job=~"$job", instance=~"$instance"}[$__rate_interval])');
    const rule = ruleFile([{ name: "fixture", rules: [goodAlert({ expr: 'increase(up{job="fastapi"}[10m]) > 0' })] }]);
    const f = findings(RULE, tree({ dashboards: [d], rules: [rule] }));
    expect(f.map((x) => [x.metric, x.panelTitle ?? x.alert])).toEqual([
      ["process_resident_memory_bytes", "Resident memory"],
      ["up", "FastAPIHighErrorRate"],
    ]);
    expect(f[0].message).toContain("is a gauge; rate()");
  });
});
