import { describe, expect, it } from "vitest";
import { variableQueryIssues } from "../../../src/lint/rules/template-query-syntax.js";
import { dashboardWith, findings, tree } from "../fixtures.js";

const RULE = "template-query-syntax";

describe(RULE, () => {
  it("passes Grafana's Prometheus variable query forms", () => {
    expect(findings(RULE)).toEqual([]);
    for (const q of ["label_names()", "label_values(job)", 'label_values(up{job=~"$job"}, instance)', "metrics(http_.*)", "query_result(topk(5, up))"]) {
      expect(variableQueryIssues(q), q).toEqual([]);
    }
  });

  it("reports an unknown form, a broken selector and a bad label", () => {
    expect(variableQueryIssues("values(job)")[0]).toMatch(/not a Grafana Prometheus variable query/);
    expect(variableQueryIssues("label_values(up{job=~$job}, instance)")[0]).toMatch(/syntax error at column 22/);
    expect(variableQueryIssues("label_values(up{job=~$job}, instance)")[0]).toContain("label_values(up{job=~$job}, instance)\n  " + " ".repeat(21) + "^");
    expect(variableQueryIssues("label_values(up, 1abc)")[0]).toMatch(/not a label name/);
    const d = dashboardWith((d) => {
      d.templating!.list!.find((x) => x.name === "job")!.query = "label_values(http_requests_total{, job)";
    });
    expect(findings(RULE, tree({ dashboards: [d] }))).toMatchObject([{ panelTitle: "variable $job", rule: RULE }]);
  });
});
