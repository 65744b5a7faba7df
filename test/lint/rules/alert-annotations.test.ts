import { describe, expect, it } from "vitest";
import { findings, goodAlert, ruleFile, tree } from "../fixtures.js";

const RULE = "alert-annotations";
const withAnnotations = (a: Record<string, string>) => tree({ rules: [ruleFile([{ name: "fixture", rules: [goodAlert({ annotations: { ...goodAlert().annotations, ...a } })] }])] });

describe(RULE, () => {
  it("passes templated summary and description", () => {
    expect(findings(RULE)).toEqual([]);
  });

  it("reports a missing description, a plain summary and unbalanced braces", () => {
    expect(findings(RULE, withAnnotations({ description: "" }))[0].message).toBe("alert has no description annotation");
    expect(findings(RULE, withAnnotations({ summary: "Error rate is high" }))[0].message).toContain("is not templated");
    expect(findings(RULE, withAnnotations({ summary: "{{ $labels.job } is failing" }))[0].message).toContain("unbalanced");
  });
});

describe(`${RULE}: templates`, () => {
  it("a function Prometheus does not have is reported in a Prometheus rule file", () => {
    const f = findings(RULE, withAnnotations({ summary: "{{ $labels.job }}: {{ $value | humanizeFoo }}" }));
    expect(f.map((x) => x.message)).toEqual([expect.stringMatching(/^summary: function "humanizeFoo" not defined/)]);
  });
});
