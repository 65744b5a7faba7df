import { describe, expect, it } from "vitest";
import { CATALOG } from "../../../catalog/index.js";
import { findings, tree, withExpr } from "../fixtures.js";

const RULE = "contract-duration-seconds";

describe(RULE, () => {
  it("passes durations in seconds", () => {
    const seconds = CATALOG.filter((m) => m.name !== "model_inference_latency_ms");
    expect(findings(RULE, tree(), { catalog: seconds })).toEqual([]);
  });

  it("reports the model service's millisecond histogram (the model service stack) at its catalog line, and _ms series in queries", () => {
    const f = findings(RULE);
    expect(f).toMatchObject([{ file: "catalog/modelService.ts", metric: "model_inference_latency_ms", line: expect.any(Number), message: expect.stringContaining("in ms, not seconds") }]);
    expect(f[0].fix).toContain("model_inference_latency_seconds");
    const q = findings(RULE, tree({ dashboards: [withExpr("Resident memory", 'max(request_time_milliseconds{job=~"$job", instance=~"$instance"})')] }), { catalog: [] });
    expect(q).toMatchObject([{ panelTitle: "Resident memory", metric: "request_time_milliseconds" }]);
  });
});
