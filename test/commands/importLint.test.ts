// How lint's findings on an imported dashboard become its waivers: one per rule, the panels it
// concerns, the whole dashboard when a finding names no panel (the uid, a variable); rules a
// definition may not waive (the catalog) are left as findings.
import { describe, expect, it } from "vitest";
import { waiversOf } from "../../src/commands/importLint.js";
import type { Finding } from "../../src/lint/index.js";

const finding = (rule: string, panelTitle?: string): Finding => ({
  rule,
  severity: "error",
  file: "dashboards/x/index.ts",
  dashboardUid: "x",
  ...(panelTitle !== undefined ? { panelTitle } : {}),
  message: "m",
  fix: "f",
});

describe("waiversOf", () => {
  it("one waiver per rule with its panels once each, counting the findings", () => {
    const w = waiversOf([
      finding("target-job-instance-matchers", "CPU"),
      finding("target-job-instance-matchers", "CPU"),
      finding("target-job-instance-matchers", "Memory"),
      finding("target-rate-interval", "CPU"),
    ]);
    expect(w).toEqual([
      { rule: "target-job-instance-matchers", reason: "imported queries have no job/instance matchers; adding them changes what they select", panels: ["CPU", "Memory"], findings: 3 },
      { rule: "target-rate-interval", reason: "imported queries use fixed rate windows, not $__rate_interval", panels: ["CPU"], findings: 1 },
    ]);
  });

  it("the whole dashboard when a finding names no panel or a variable", () => {
    const w = waiversOf([finding("dashboard-uid"), finding("template-refresh", "variable $node"), finding("template-refresh", "variable $job")]);
    expect(w.map((x) => [x.rule, x.panels, x.findings])).toEqual([
      ["dashboard-uid", undefined, 1],
      ["template-refresh", undefined, 2],
    ]);
    expect(w.every((x) => x.reason.length >= 15)).toBe(true);
  });

  it("leaves catalog, syntax and secret findings and rules about other things alone", () => {
    expect(waiversOf([finding("catalog-metric-label", "CPU"), finding("query-syntax", "CPU"), finding("datasource-literal-secret"), finding("alert-for")])).toEqual([]);
  });
});
