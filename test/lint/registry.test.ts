import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RULES, rulesTable, selectRules } from "../../src/lint/registry.js";
import { DASHBOARD_LINT_RULES, OTHER_LINT_RULES } from "../../src/model/lintRules.js";
import { REPO } from "./fixtures.js";

describe("the rule registry", () => {
  it("lists every rule file once, each with an id, a severity, a purpose and its own test", () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^[a-z]+(-[a-z0-9]+)+$/);
      expect(["error", "warning"]).toContain(r.severity);
      expect(r.purpose.length).toBeGreaterThan(20);
      expect(existsSync(join(REPO, "src/lint/rules", `${r.id}.ts`)), `src/lint/rules/${r.id}.ts`).toBe(true);
      expect(existsSync(join(REPO, "test/lint/rules", `${r.id}.test.ts`)), `test/lint/rules/${r.id}.test.ts`).toBe(true);
    }
  });

  it("the rule ids the build checks lintWaivers against (src/model/lintRules.ts) are the registry's", () => {
    expect([...DASHBOARD_LINT_RULES, ...OTHER_LINT_RULES].sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  it("prints the --rules table", () => {
    const table = rulesTable().split("\n");
    expect(table[0]).toMatch(/^rule\s+dashboard-linter\s+severity\s+purpose$/);
    expect(table.some((l) => /^alert-for\s+-\s+error\s+Every alert has a non-zero for: duration$/.test(l))).toBe(true);
    // dashboard-linter's names beside ours, and the stack-specific rules marked.
    expect(table.some((l) => /^template-job-instance\s+template-job-rule, template-instance-rule\s+error\s/.test(l))).toBe(true);
    expect(table.some((l) => /^dashboard-editable\s+uneditable-dashboard\s+error\s/.test(l))).toBe(true);
    expect(table.some((l) => /^catalog-metric-label\s.*\[stack\]/.test(l))).toBe(true);
    expect(table.some((l) => l.startsWith("lint-exclusion-unused"))).toBe(true);
  });
});

describe("rule names on the command line", () => {
  it("our ids, dashboard-linter's names (filtered to what that rule reports), unknown names", () => {
    expect(selectRules(["alert-for"])).toEqual({ ids: ["alert-for"], peerOnly: new Map(), unknown: [] });
    expect(selectRules(["target-job-rule"])).toEqual({ ids: ["target-job-instance-matchers"], peerOnly: new Map([["target-job-instance-matchers", new Set(["target-job-rule"])]]), unknown: [] });
    // Naming our id too keeps every finding of the rule.
    expect(selectRules(["target-job-rule", "target-job-instance-matchers"]).peerOnly.size).toBe(0);
    expect(selectRules(["no-such-rule"]).unknown).toEqual(["no-such-rule"]);
  });
});
