import { describe, expect, it } from "vitest";
import { findings, tree, withExpr } from "../fixtures.js";

const RULE = "target-job-instance-matchers";

describe(RULE, () => {
  it("passes selectors matching $job and $instance", () => {
    expect(findings(RULE)).toEqual([]);
  });

  it("reports a selector without instance and one with a fixed job", () => {
    const d = withExpr("Resident memory", 'sum by (instance) (process_resident_memory_bytes{job="fastapi"})');
    const f = findings(RULE, tree({ dashboards: [d] }));
    expect(f.map((x) => x.message.split("\n")[0])).toEqual([
      'process_resident_memory_bytes matches job="fastapi" instead of the $job variable',
      "process_resident_memory_bytes has no instance matcher",
    ]);
    expect(f[1]).toMatchObject({ panelTitle: "Resident memory", refId: "A", metric: "process_resident_memory_bytes", fix: 'add instance=~"$instance" to the selector' });
  });
});
