import { describe, expect, it } from "vitest";
import { CATALOG, type MetricDef } from "../../../catalog/index.js";
import { findings, tree, withExpr } from "../fixtures.js";

const RULE = "contract-counter-total";
const counter = (name: string): MetricDef => ({ name, type: "counter", unit: "short", help: "", labels: [], stack: "all", jobs: ["fastapi"] });

describe(RULE, () => {
  it("passes the catalog (every counter ends in _total) and rated _total series", () => {
    expect(CATALOG.filter((m) => m.type === "counter").every((m) => m.name.endsWith("_total"))).toBe(true);
    expect(findings(RULE)).toEqual([]);
  });

  it("reports a catalog counter without _total, pointing at its definition, and a rated series without it", () => {
    const f = findings(RULE, tree(), { catalog: [...CATALOG, counter("model_inference")] });
    expect(f).toMatchObject([{ file: "catalog/index.ts", metric: "model_inference", message: expect.stringContaining("does not end in _total") }]);
    const rated = findings(RULE, tree({ dashboards: [withExpr("Resident memory", 'rate(my_requests{job=~"$job", instance=~"$instance"}[$__rate_interval])')] }));
    expect(rated).toMatchObject([{ panelTitle: "Resident memory", metric: "my_requests", fix: expect.stringContaining("my_requests_total") }]);
  });
});
