import { describe, expect, it } from "vitest";
import { findings, tree, withExpr } from "../fixtures.js";

const RULE = "promql-histogram-le";
const bucket = 'rate(http_request_duration_seconds_bucket{job=~"$job", instance=~"$instance"}[$__rate_interval])';

describe(RULE, () => {
  it("passes sum by (le, …) and without (…) keeping le", () => {
    expect(findings(RULE)).toEqual([]);
    const d = withExpr("p95 latency", `histogram_quantile(0.9, sum without (instance) (${bucket}))`);
    expect(findings(RULE, tree({ dashboards: [d] }))).toEqual([]);
  });

  it("reports no aggregation, an aggregation without le, and without (le)", () => {
    for (const [expr, text] of [
      [`histogram_quantile(0.9, ${bucket})`, "without an aggregation"],
      [`histogram_quantile(0.9, sum by (path) (${bucket}))`, "sum by (path): the aggregation drops le"],
      [`histogram_quantile(0.9, sum without (le) (${bucket}))`, "without (le): the aggregation drops le"],
    ]) {
      const f = findings(RULE, tree({ dashboards: [withExpr("p95 latency", expr)] }));
      expect(f, expr).toMatchObject([{ panelTitle: "p95 latency", metric: "http_request_duration_seconds_bucket", message: expect.stringContaining(text) }]);
    }
  });
});
