// Alert templates are checked as Prometheus parses them; promtool is the judge. For every template
// below, and for generated ones, the build's checker and `promtool check rules` agree.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { PROMETHEUS_TEMPLATE_FUNCTIONS, templateSyntaxError } from "../../src/alerting/templates.js";
import { checkRuleGroups } from "../../src/alerting/validate.js";
import { catalog } from "../../catalog/index.js";
import type { RuleGroup } from "../../src/alerting/model.js";
import { budget, FUZZ_TIMEOUT } from "./budget.js";

const tmp = mkdtempSync(join(tmpdir(), "templates-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const hasPromtool = spawnSync("promtool", ["--version"]).status === 0;
if (!hasPromtool) console.warn("promtool not found: the agreement with promtool is not checked");

/** promtool's verdict per template (one rule file each, one promtool run for all). */
function promtoolAccepts(templates: string[]): boolean[] {
  const files = templates.map((t, i) => {
    const f = join(tmp, `t${i}-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(f, stringify({ groups: [{ name: "g", rules: [{ alert: "A", expr: "up == 0", annotations: { summary: t } }] }] }));
    return f;
  });
  const r = spawnSync("promtool", ["check", "rules", ...files], { encoding: "utf8" });
  const out = r.stdout + r.stderr;
  return files.map((f) => {
    const at = out.indexOf(`Checking ${f}`);
    expect(at, out).toBeGreaterThanOrEqual(0);
    const next = out.indexOf("Checking ", at + 1);
    const section = out.slice(at, next < 0 ? undefined : next);
    return /SUCCESS/.test(section) && !out.includes(`${f}: `);
  });
}

const VALID = [
  "plain text",
  "{{ $labels.job }} answers {{ $value | humanizePercentage }} with 5xx",
  "{{ $value | humanize1024 }}B on {{ $labels.instance }}",
  "{{- if gt $value 0.5 -}}high{{- else if gt $value 0.1 }}mid{{ else }}low{{ end -}}",
  '{{ with query "up" }}{{ . | first | value | humanize }}{{ end }}',
  '{{ range $i, $s := query "up" }}{{ $i }} {{ $s.Labels.job }}{{ end }}',
  "{{/* a comment */}}text",
  '{{ printf "%.2f" $value }}',
  '{{ reReplaceAll "(.*):.*" "$1" $labels.instance }}',
  "{{ $x := 1 }}{{ $x }}",
  '{{ nil }}{{ true }}{{ printf "%v" nil }}',
  "{{ $labels.job | toUpper | title }} {{ humanizeDuration 3600 }} {{ 1.5e3 }} {{ -3 }}",
  '{{ if eq $labels.job "fastapi" }}http://localhost:3000/d/x?viewPanel=2{{ end }}',
  "}} stray closing braces are text",
  // Go's parser ends a pipeline at a trailing "|" (found by comparing with promtool).
  "{{ $value | }}",
  "{{ stripPort $labels.instance }} {{ (parseDuration \"5m\") }} {{ toTime $value }}",
];

const INVALID: [string, RegExp][] = [
  ["{{ $value | humanizeFoo }}", /function "humanizeFoo" not defined/],
  ["{{ toDuration $value }}", /function "toDuration" not defined/],
  ["{{ $labels.job } is failing", /unbalanced/],
  ['{{ "unterminated }}', /unterminated quoted string/],
  ["{{ if true }}open", /unexpected EOF/],
  ["{{ end }}", /unexpected \{\{end\}\}/],
  ["{{ $nope }}", /undefined variable "\$nope"/],
  ["{{ }}", /missing value/],
  ["{{ | $value }}", /missing command/],
  ["{{ $value | | humanize }}", /missing command/],
  ['{{ $value | "text" }}', /non executable command/],
  ["{{ $value | nil }}", /non executable command/],
  ["{{ (humanize $value }}", /unclosed left paren/],
  ["{{/* never closed }}", /unclosed comment/],
  ["{{ else }}", /unexpected \{\{else\}\}/],
  ["{{ break }}", /outside \{\{range\}\}/],
];

describe("alert templates are parsed as Prometheus parses them", () => {
  it("accepts valid templates", () => {
    for (const t of VALID) expect(templateSyntaxError(t), t).toBeNull();
  });

  it("rejects invalid templates with Go's reason", () => {
    for (const [t, reason] of INVALID) expect(templateSyntaxError(t), t).toMatch(reason);
  });

  it.skipIf(!hasPromtool)("promtool agrees on every listed template", () => {
    const all = [...VALID, ...INVALID.map(([t]) => t)];
    const verdicts = promtoolAccepts(all);
    all.forEach((t, i) => expect(verdicts[i], `promtool on ${JSON.stringify(t)}`).toBe(i < VALID.length));
  });

  it.skipIf(!hasPromtool)("the function set is Prometheus' own: promtool knows each one", () => {
    const names = [...PROMETHEUS_TEMPLATE_FUNCTIONS];
    const verdicts = promtoolAccepts(names.map((n) => `{{ if false }}{{ ${n} }}{{ end }}`));
    names.forEach((n, i) => expect(verdicts[i], n).toBe(true));
  });

  it("an unknown function fails the build naming the alert, the annotation and the file", () => {
    const group: RuleGroup = {
      name: "g",
      file: "alerts/api.ts",
      rules: [
        {
          kind: "alert",
          name: "ApiDown",
          expr: "up == 0",
          for: "5m",
          labels: { severity: "critical", team: "{{ $labels.job | nope }}" },
          annotations: { summary: "x", description: "{{ $value | humanizeFoo }}" },
          dashboard: { dashboard: "d", panel: "p" },
        },
      ],
    };
    const problems = checkRuleGroups([group], catalog).filter((p) => p.code === "bad-template");
    expect(problems).toEqual([
      expect.objectContaining({ file: "alerts/api.ts", rule: "ApiDown", message: expect.stringMatching(/^annotation description: function "humanizeFoo" not defined/) }),
      expect.objectContaining({ file: "alerts/api.ts", rule: "ApiDown", message: expect.stringMatching(/^label team: function "nope" not defined/) }),
    ]);
  });
});

// Pieces templates are made of, valid and not: the generated template is accepted by the checker
// exactly when promtool accepts it.
const fnName = fc.oneof(fc.constantFrom(...PROMETHEUS_TEMPLATE_FUNCTIONS), fc.constantFrom("humanizeFoo", "toDuration", "now", "tmpl", "Humanize"));
const operand = fc.oneof(fc.constant("$value"), fc.constant("$labels.job"), fc.constant("."), fc.constant('"s"'), fc.constant("1"), fc.constant("$undefined"));
const action = fc.oneof(
  fc.tuple(operand, fnName).map(([o, f]) => `{{ ${o} | ${f} }}`),
  fc.tuple(fnName, operand).map(([f, o]) => `{{ ${f} ${o} }}`),
  operand.map((o) => `{{ ${o} }}`),
  fc.tuple(operand, fc.constantFrom("nil", "true", '"s"', "1", "$value", "(humanize 1)", "$labels.job")).map(([o, x]) => `{{ ${o} | ${x} }}`),
  fc.tuple(fnName, operand).map(([f, o]) => `{{ (${f} ${o}) }}{{ ${f} (${o}) }}`),
  fc.tuple(operand, operand).map(([a, b]) => `{{ $v := ${a} }}{{ $v }}{{ range $i, $e := ${b} }}{{ $i }}{{ end }}`),
  fc.constantFrom("{{ if true }}", "{{ else }}", "{{ end }}", "{{ range $labels }}", "{{ with $value }}", "{{", "}}", "{{ ( }}", "{{/* c */}}", "{{- $value -}}", '{{ "x }}'),
);
const template = fc.array(fc.oneof(action, fc.constantFrom("text ", " ", "é", "\n")), { maxLength: 6 }).map((parts) => parts.join(""));

describe.skipIf(!hasPromtool)("generated templates", () => {
  test.prop([fc.array(template, { minLength: 20, maxLength: 20 })], budget(5, 10))(
    "the checker accepts a template exactly when promtool does",
    (templates) => {
      const verdicts = promtoolAccepts(templates);
      templates.forEach((t, i) => expect(templateSyntaxError(t) === null, `${JSON.stringify(t)}: ${templateSyntaxError(t)}`).toBe(verdicts[i]));
    },
    FUZZ_TIMEOUT,
  );
});
