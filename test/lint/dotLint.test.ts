// dashboard-linter's .lint file, honoured as it honours it: exclusions and warnings, rule → entries of
// dashboard (title) / panel (title) / targetIdx, a rule with no entries matching all its findings.
import { describe, expect, it } from "vitest";
import { applyDotLint, DotLintError, parseDotLint } from "../../src/lint/dotLint.js";
import { dashboard, lintJson, panel, SEL, target } from "./externalFixtures.js";

// Two panels with fixed rate ranges (target-rate-interval-rule), one of them on its second target.
const d = dashboard([
  panel("Alpha", "timeseries", [target(`sum(rate(http_requests_total{${SEL}}[5m]))`)]),
  panel("Beta", "timeseries", [target(`sum(up{${SEL}})`), target(`sum(rate(http_requests_total{${SEL}}[1m]))`)]),
]);
const report = lintJson(d);
const FILE = "dashboards/ext-0.json";
const apply = (yaml: string) => applyDotLint(report, new Map([[FILE, parseDotLint(yaml, "dashboards/.lint")]]));
const rateFindings = (r: typeof report) => r.findings.filter((f) => f.peerRule === "target-rate-interval-rule").map((f) => [f.panelTitle, f.severity]);

describe(".lint", () => {
  it("the report has the findings the .lint cases act on", () => {
    expect(rateFindings(report)).toEqual([["Alpha", "error"], ["Beta", "error"]]);
  });

  it("exclusions: a rule with no entries (or no value) excludes all its findings", () => {
    expect(rateFindings(apply("exclusions:\n  target-rate-interval-rule:\n"))).toEqual([]);
    expect(rateFindings(apply("exclusions:\n  target-rate-interval-rule:\n    reason: legacy ranges\n"))).toEqual([]);
    const r = apply("exclusions:\n  target-rate-interval-rule:\n    reason: legacy ranges\n");
    expect(r.excluded.filter((x) => x.finding.peerRule === "target-rate-interval-rule")).toHaveLength(2);
    expect(r.errors).toBe(report.errors - 2);
  });

  it("entries match on dashboard title, panel title and targetIdx; a set field that differs does not match", () => {
    const entry = (e: string) => apply(`exclusions:\n  target-rate-interval-rule:\n    entries:\n      - ${e}\n`);
    expect(rateFindings(entry('panel: "Alpha"'))).toEqual([["Beta", "error"]]);
    expect(rateFindings(entry('dashboard: "External fixture"'))).toEqual([]);
    expect(rateFindings(entry('dashboard: "Another dashboard"'))).toEqual([["Alpha", "error"], ["Beta", "error"]]);
    expect(rateFindings(entry('panel: "Beta"\n        targetIdx: 1'))).toEqual([["Alpha", "error"]]);
    expect(rateFindings(entry('panel: "Beta"\n        targetIdx: 0'))).toEqual([["Alpha", "error"], ["Beta", "error"]]);
  });

  it("warnings downgrade; a finding both excluded and warned about is a warning (warnings apply last)", () => {
    expect(rateFindings(apply("warnings:\n  target-rate-interval-rule:\n    entries:\n      - panel: Beta\n"))).toEqual([["Alpha", "error"], ["Beta", "warning"]]);
    expect(rateFindings(apply("exclusions:\n  target-rate-interval-rule:\nwarnings:\n  target-rate-interval-rule:\n"))).toEqual([["Alpha", "warning"], ["Beta", "warning"]]);
  });

  it("our rule ids work too; a name neither knows matches nothing", () => {
    expect(rateFindings(apply("exclusions:\n  target-rate-interval:\n"))).toEqual([]);
    expect(rateFindings(apply("exclusions:\n  no-such-rule:\n"))).toEqual([["Alpha", "error"], ["Beta", "error"]]);
  });

  it("a malformed .lint is one error naming the file and field", () => {
    expect(() => parseDotLint("exclusions: [1]", "x/.lint")).toThrow(new DotLintError("x/.lint: exclusions must be a map of rule name → { reason, entries }"));
    expect(() => parseDotLint("exclusions:\n  r:\n    entries: 3\n", "x/.lint")).toThrow("x/.lint: exclusions.r.entries must be a list");
    expect(() => parseDotLint("exclusions:\n  r:\n    entries:\n      - panel: [a]\n", "x/.lint")).toThrow("x/.lint: exclusions.r.entries[0].panel must be a string");
    expect(() => parseDotLint("a: [", "x/.lint")).toThrow(/^x\/\.lint: not valid YAML/);
  });
});
