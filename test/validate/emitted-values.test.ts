// The value walk every emitted document goes through: each problem with the path to it, in document
// order; a subtree the caller walks apart is skipped.
import { describe, expect, it } from "vitest";
import { formatPath, MAX_VALUE_DEPTH, valueIssues } from "../../src/validate/emittedValues.js";

const shown = (v: unknown, skip?: Parameters<typeof valueIssues>[1]) => valueIssues(v, skip).map((i) => `${formatPath(i.segments)} ${i.message}`);

describe("valueIssues", () => {
  it("names every non-finite number, lone surrogate (value or key) by its path, in document order", () => {
    const v = { a: [1, Number.NaN, { b: Number.POSITIVE_INFINITY }], "odd key": "x\uDC00y", c: { "k\uD800": 1, d: -Infinity }, ok: "\uD83D\uDE00" };
    expect(shown(v)).toEqual([
      "a[1] is NaN; only finite numbers can be written",
      "a[2].b is Infinity; only finite numbers can be written",
      '["odd key"] has a lone surrogate U+DC00 at character 1, which is not valid UTF-8',
      'c["k\\ud800"] key has a lone surrogate U+D800 at character 1, which is not valid UTF-8',
      "c.d is -Infinity; only finite numbers can be written",
    ]);
  });

  it("stops at the depth limit and says where", () => {
    let deep: unknown = { x: 1 };
    for (let i = 0; i < MAX_VALUE_DEPTH + 5; i++) deep = { n: deep };
    const issues = valueIssues(deep);
    expect(issues).toHaveLength(1);
    expect(issues[0].segments).toEqual(Array(MAX_VALUE_DEPTH).fill("n"));
    expect(issues[0].message).toBe(`is nested more than ${MAX_VALUE_DEPTH} levels deep`);
  });

  it("skips what the caller walks apart, and the paths it reports are not changed by later steps", () => {
    const v = { panels: [{ x: Number.NaN }], z: { panels: [Number.NaN] } };
    const issues = valueIssues(v, (s, x) => s.length === 1 && s[0] === "panels" && Array.isArray(x));
    expect(issues.map((i) => i.segments)).toEqual([["z", "panels", 0]]);
  });

  it("finds nothing in a clean value, holes and inherited keys included", () => {
    const holes = [1, , 3]; // eslint-disable-line no-sparse-arrays
    const inherited = Object.create({ bad: Number.NaN }) as Record<string, unknown>;
    inherited.own = "fine";
    expect(valueIssues({ holes, inherited, s: "text", n: null, b: true })).toEqual([]);
  });
});
