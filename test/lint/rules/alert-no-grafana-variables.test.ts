import { describe, expect, it } from "vitest";
import { grafanaVariables } from "../../../src/lint/rules/alert-no-grafana-variables.js";
import { findings, goodAlert, ruleFile, tree } from "../fixtures.js";

const RULE = "alert-no-grafana-variables";
const withExpr = (expr: string) => tree({ rules: [ruleFile([{ name: "fixture", rules: [goodAlert({ expr })] }])] });

describe(RULE, () => {
  it("passes plain PromQL, with $ inside strings (label_replace's $1, regex anchors)", () => {
    expect(findings(RULE)).toEqual([]);
    expect(grafanaVariables('label_replace(up{path=~"/health$"}, "x", "$1", "job", "(.*)") # $not_a_variable')).toEqual([]);
  });

  it("reports $job and [$__rate_interval] copied from a dashboard", () => {
    const f = findings(RULE, withExpr('sum by (job) (rate(http_requests_total{job=~"$job"}[$__rate_interval])) > ${threshold}'));
    expect(f.map((x) => x.message.split("\n")[0])).toEqual([
      "$job is a Grafana variable; rule expressions are evaluated as written",
      "$__rate_interval is a Grafana variable; rule expressions are evaluated as written",
      "${threshold} is a Grafana variable; rule expressions are evaluated as written",
    ]);
    expect(f[1]).toMatchObject({ alert: "FastAPIHighErrorRate", fix: expect.stringContaining("[5m]") });
    expect(f[0].fix).toContain('job="fastapi"');
  });
});
