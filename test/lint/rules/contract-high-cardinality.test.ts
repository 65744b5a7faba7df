import { describe, expect, it } from "vitest";
import { CATALOG } from "../../../catalog/index.js";
import { dashboardWith, findings, goodAlert, panel, ruleFile, tree, withExpr } from "../fixtures.js";

const RULE = "contract-high-cardinality";

describe(RULE, () => {
  it("passes grouping and legends by bounded labels, and the catalog", () => {
    expect(findings(RULE)).toEqual([]);
  });

  it("reports by (trace_id), a user_id legend, a LogQL by (request_id) and alert labels by id or raw path", () => {
    const d = dashboardWith((d) => {
      panel(d, "Resident memory").targets[0].expr = 'sum by (trace_id) (process_resident_memory_bytes{job=~"$job", instance=~"$instance"})';
      panel(d, "Requests/s by method").targets[0].legendFormat = "{{method}} {{user_id}}";
      panel(d, "Log lines by level").targets[0].expr = 'sum by (log_request_id) (count_over_time({service="app"} | json [$__auto]))';
    });
    const alert = goodAlert({ labels: { severity: "critical", session_id: "{{ $labels.job }}", path: "/api/users/12345" } });
    const f = findings(RULE, tree({ dashboards: [d], rules: [ruleFile([{ name: "fixture", rules: [alert] }])] }));
    expect(f.map((x) => x.message.split("\n")[0])).toEqual(
      expect.arrayContaining([
        "grouping by trace_id, a per-request/user/event id",
        expect.stringContaining("shows user_id"),
        "grouping by log_request_id, a per-request/user/event id",
        expect.stringContaining("label session_id is a per-request/user/event id"),
        expect.stringContaining('label path="/api/users/12345" holds a raw path with an id'),
      ]),
    );
    expect(f).toHaveLength(5);
  });

  it("reports a catalog metric labelled by a per-request id", () => {
    const withUser = CATALOG.map((m) => (m.name === "llm_calls_total" ? { ...m, labels: [...m.labels, "user_id"] } : m));
    expect(findings(RULE, tree(), { catalog: withUser })).toMatchObject([{ file: "catalog/llm.ts", metric: "llm_calls_total" }]);
    expect(findings(RULE, tree({ dashboards: [withExpr("Resident memory", 'sum by (id) (container_memory_working_set_bytes{job=~"$job", instance=~"$instance"})')] }))[0].message).toContain("raw path");
  });
});
