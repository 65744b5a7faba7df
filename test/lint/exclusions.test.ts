// lint-exclusions.yaml: validated with zod (a bad file is one clear error naming the line), matched by
// rule and scope, expiring, and reported when it matches nothing.
import { describe, expect, it } from "vitest";
import { ExclusionsError, parseExclusions } from "../../src/lint/exclusions.js";
import { RULE_IDS } from "../../src/lint/registry.js";
import { findings, tree, withExpr } from "./fixtures.js";

const parse = (text: string) => parseExclusions(text, "lint-exclusions.yaml", RULE_IDS);
function issues(text: string): string[] {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ExclusionsError);
    return (e as ExclusionsError).message.split("\n");
  }
  throw new Error("expected the file to be rejected");
}

const badDashboard = () => tree({ dashboards: [withExpr("Resident memory", 'sum(rate(http_requests_total{job=~"$job", instance=~"$instance"}[5m]))')] });
const lint = (text: string, today = "2026-01-01") =>
  findings("target-rate-interval", badDashboard(), { exclusions: parse(text), today, only: ["target-rate-interval"] });

describe("the exclusions file", () => {
  it("accepts exclusions with a rule, a scope and a reason, and settings", () => {
    const f = parse(`
settings:
  maxRulesPerGroup: 10
exclusions:
  - rule: contract-duration-seconds
    metric: model_inference_latency_ms
    reason: The model service exports milliseconds; renaming needs its release.
    expires: 2027-01-31
`);
    expect(f.settings.maxRulesPerGroup).toBe(10);
    expect(f.settings.alertSeverities).toEqual(["critical", "warning"]);
    expect(f.exclusions).toEqual([
      { rule: "contract-duration-seconds", scope: { metric: "model_inference_latency_ms" }, reason: "The model service exports milliseconds; renaming needs its release.", expires: "2027-01-31", line: 5 },
    ]);
    expect(parse("").exclusions).toEqual([]);
  });

  it("rejects a missing reason, an unknown rule, no scope, a bad date and unknown keys, naming the line", () => {
    expect(issues("exclusions:\n  - rule: alert-for\n    alert: X\n")).toEqual(["lint-exclusions.yaml:2: exclusions.0.reason: is required: say why the finding is accepted"]);
    expect(issues("exclusions:\n  - rule: no-such-rule\n    alert: X\n    reason: because it is fine here, really\n")[0]).toMatch(/^lint-exclusions.yaml:2: exclusions.0.rule: unknown rule "no-such-rule"/);
    expect(issues("exclusions:\n  - rule: alert-for\n    reason: because it is fine here, really\n")[0]).toContain("needs a scope");
    expect(issues("exclusions:\n  - rule: alert-for\n    alert: X\n    reason: because it is fine here, really\n    expires: 2026-02-30\n")[0]).toMatch(/:5: exclusions.0.expires: is not a calendar date/);
    expect(issues("exclusion:\n  - rule: alert-for\n")[0]).toContain("Unrecognized key(s) in object: 'exclusion'");
    expect(issues("exclusions: [\n")[0]).toMatch(/not valid YAML/);
  });
});

describe("applying exclusions", () => {
  const base = "exclusions:\n  - rule: target-rate-interval\n    dashboard: lint-fixture\n    panel: Resident memory\n    reason: The panel compares with a fixed five-minute SLO window.\n";

  it("excludes the matching finding and nothing else", () => {
    expect(lint(base)).toEqual([]);
    expect(lint(base.replace("Resident memory", "Resident *"))).toEqual([]);
    const other = lint(base.replace("Resident memory", "Other panel"));
    expect(other.map((f) => f.rule)).toEqual(["target-rate-interval", "lint-exclusion-unused"]);
    expect(other[1]).toMatchObject({ file: "lint-exclusions.yaml", line: 2, severity: "warning" });
  });

  it("stops applying after its expiry date and says so", () => {
    const expiring = base + "    expires: 2026-06-30\n";
    expect(lint(expiring, "2026-06-30")).toEqual([]);
    const after = lint(expiring, "2026-07-01");
    expect(after.map((f) => f.rule)).toEqual(["target-rate-interval", "lint-exclusion-expired"]);
    expect(after[0].message).toContain("(the exclusion at lint-exclusions.yaml:2 expired on 2026-06-30)");
    expect(after[1].message).toContain("expired on 2026-06-30 and no longer applies");
  });

  it("says nothing about exclusions of rules that did not run", () => {
    const f = findings("target-rate-interval", tree(), { exclusions: parse("exclusions:\n  - rule: alert-for\n    alert: X\n    reason: because it is fine here, really\n"), only: ["target-rate-interval"] });
    expect(f).toEqual([]);
  });
});
