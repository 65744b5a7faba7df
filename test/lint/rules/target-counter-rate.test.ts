import { describe, expect, it } from "vitest";
import { findings, tree, withExpr } from "../fixtures.js";

const RULE = "target-counter-rate";

describe(RULE, () => {
  it("passes counters inside rate() and counted series", () => {
    const d = withExpr("Resident memory", 'count(http_requests_total{job=~"$job", instance=~"$instance"})');
    expect(findings(RULE, tree({ dashboards: [d] }))).toEqual([]);
  });

  it("reports a raw catalog counter and a raw _total outside the catalog", () => {
    const d = withExpr("Resident memory", 'sum(http_requests_total{job=~"$job", instance=~"$instance"}) + sum(my_jobs_total{job=~"$job", instance=~"$instance"})');
    const f = findings(RULE, tree({ dashboards: [d] }));
    expect(f.map((x) => x.metric)).toEqual(["http_requests_total", "my_jobs_total"]);
    expect(f[1].message).toContain("my_jobs_total is a counter (_total)");
    expect(f[0].fix).toContain("rate(http_requests_total");
  });
});
