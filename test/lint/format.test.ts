import { describe, expect, it } from "vitest";
import type { LintReport } from "../../src/lint/engine.js";
import { formatGithub, formatHuman, formatJson } from "../../src/lint/format.js";

const report: LintReport = {
  findings: [
    { rule: "target-rate-interval", severity: "error", file: "dashboards/a.ts", dashboardUid: "a", panelTitle: "CPU", refId: "A", message: "rate() ranges over [5m]\n  rate(x[5m])\n  ^", fix: "use [$__rate_interval]" },
    { rule: "alert-for", severity: "error", file: "alerts/b.ts", output: "prometheus/rules/b.yaml", group: "b", alert: "BDown", message: "alert has no for", fix: 'set for: "5m"' },
    { rule: "lint-exclusion-unused", severity: "warning", file: "lint-exclusions.yaml", line: 4, message: "matches no finding, 100%", fix: "delete it" },
  ],
  excluded: [],
  rules: ["target-rate-interval", "alert-for"],
  errors: 2,
  warnings: 1,
  ms: 3,
};

describe("lint output", () => {
  it("human: grouped by file, with where, message and fix", () => {
    const text = formatHuman(report);
    expect(text).toContain('dashboards/a.ts\n  error   target-rate-interval  dashboard "a" › panel "CPU" › query A\n          rate() ranges over [5m]\n            rate(x[5m])\n            ^\n          fix: use [$__rate_interval]');
    expect(text).toContain('alerts/b.ts\n  error   alert-for  group "b" › alert "BDown"');
    expect(text).toContain("lint-exclusions.yaml\n  warning lint-exclusion-unused  line 4");
    expect(text.trim().split("\n").at(-1)).toBe("lint: 2 errors, 1 warning (2 rules, 3 ms)");
  });

  it("json: summary and findings with every location field", () => {
    const json = JSON.parse(formatJson(report));
    expect(json.summary).toEqual({ errors: 2, warnings: 1, excluded: 0, rules: 2, ms: 3 });
    expect(json.findings[1]).toMatchObject({ rule: "alert-for", file: "alerts/b.ts", output: "prometheus/rules/b.yaml", group: "b", alert: "BDown", fix: 'set for: "5m"' });
  });

  it("github: one workflow command per finding, escaped", () => {
    const lines = formatGithub(report).split("\n");
    expect(lines[0]).toBe('::error file=dashboards/a.ts,title=target-rate-interval::dashboard "a" › panel "CPU" › query A: rate() ranges over [5m]%0A  rate(x[5m])%0A  ^%0Afix: use [$__rate_interval]');
    expect(lines[2]).toBe("::warning file=lint-exclusions.yaml,line=4,title=lint-exclusion-unused::matches no finding, 100%25%0Afix: delete it");
  });
});

describe("dashboard-linter's name in the output", () => {
  it("human and github name the peer rule beside ours", () => {
    const withPeer: LintReport = { ...report, findings: [{ ...report.findings[0], peerRule: "target-rate-interval-rule" }], errors: 1, warnings: 0 };
    expect(formatHuman(withPeer)).toContain("error   target-rate-interval (dashboard-linter: target-rate-interval-rule)  dashboard \"a\"");
    expect(formatGithub(withPeer).split("\n")[0]).toContain("title=target-rate-interval (target-rate-interval-rule)::");
  });
});
