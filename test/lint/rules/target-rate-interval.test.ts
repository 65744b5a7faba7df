import { describe, expect, it } from "vitest";
import { findings, tree, withExpr } from "../fixtures.js";

const RULE = "target-rate-interval";

describe(RULE, () => {
  it("passes rate over $__rate_interval and increase over $__range", () => {
    const d = withExpr("Resident memory", 'sum(increase(http_requests_total{job=~"$job", instance=~"$instance"}[$__range]))');
    expect(findings(RULE, tree({ dashboards: [d] }))).toEqual([]);
  });

  it("reports a fixed range, pointing at the call", () => {
    const d = withExpr("Requests/s by method", 'sum by (method) (irate(http_requests_total{job=~"$job", instance=~"$instance"}[1m]))');
    const f = findings(RULE, tree({ dashboards: [d] }));
    expect(f).toMatchObject([{ panelTitle: "Requests/s by method", refId: "A" }]);
    expect(f[0].message).toContain("irate() ranges over [1m], not [$__rate_interval]");
    expect(f[0].message).toContain("                  ^");
    expect(f[0].fix).toContain("irate(x[$__rate_interval])");
  });
});
