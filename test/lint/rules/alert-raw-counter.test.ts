import { describe, expect, it } from "vitest";
import { findings, goodAlert, ruleFile, tree } from "../fixtures.js";

const RULE = "alert-raw-counter";
const rules = (...r: unknown[]) => tree({ rules: [ruleFile([{ name: "fixture", rules: r }])] });

describe(RULE, () => {
  it("passes rated counters, and recording rules over them", () => {
    expect(findings(RULE)).toEqual([]);
    expect(findings(RULE, rules({ record: "job:http_requests:rate5m", expr: "sum by (job) (rate(http_requests_total[5m]))" }, goodAlert()))).toEqual([]);
  });

  it("reports an alert comparing a raw counter", () => {
    const f = findings(RULE, rules(goodAlert({ expr: 'llm_errors_total{job="fastapi"} > 100' })));
    expect(f).toMatchObject([{ alert: "FastAPIHighErrorRate", metric: "llm_errors_total", fix: expect.stringContaining("rate(llm_errors_total") }]);
  });
});
