// The JSON every dashboard is written as: keys sorted at every depth whatever order the value holds
// them in, so two values equal as data give the same bytes.
import { describe, expect, it } from "vitest";
import { markInStableOrder, stableStringifyChecked, stableStringifyJson } from "../../src/emit/stable.js";

/**
 * What the file must say, written out by hand: two-space indentation, keys sorted (keys that are
 * array indices first, in numeric order, as every JavaScript object lists them), trailing newline.
 */
const EXPECTED = `{
  "2": "two",
  "10": "ten",
  "a": [
    {
      "x": 1,
      "y": 2
    },
    null,
    "s"
  ],
  "b": {
    "c": {
      "d": true,
      "e": null
    }
  },
  "z": 0
}
`;

describe("stableStringifyJson", () => {
  const shapes: Record<string, () => unknown> = {
    "keys already in order": () => ({ 2: "two", 10: "ten", a: [{ x: 1, y: 2 }, null, "s"], b: { c: { d: true, e: null } }, z: 0 }),
    "keys in reverse order": () => ({ z: 0, b: { c: { e: null, d: true } }, a: [{ y: 2, x: 1 }, null, "s"], 10: "ten", 2: "two" }),
    "only a deep level out of order": () => ({ 2: "two", 10: "ten", a: [{ x: 1, y: 2 }, null, "s"], b: { c: { e: null, d: true } }, z: 0 }),
    "only an array element out of order": () => ({ 2: "two", 10: "ten", a: [{ y: 2, x: 1 }, null, "s"], b: { c: { d: true, e: null } }, z: 0 }),
    "a key added last, as the build adds panel ids": () => {
      const v: Record<string, unknown> = { 2: "two", 10: "ten", a: [{ x: 1, y: 2 }, null, "s"], b: { c: { d: true, e: null } } };
      v.z = 0;
      (v.a as Record<string, unknown>[])[0] = { y: 2 };
      (v.a as Record<string, unknown>[])[0].x = 1;
      return v;
    },
    "undefined values, dropped": () => ({ 2: "two", 10: "ten", a: [{ x: 1, y: 2, yy: undefined }, null, "s"], b: { c: { d: true, e: null } }, u: undefined, z: 0 }),
  };
  for (const [name, make] of Object.entries(shapes)) {
    it(`writes the keys sorted at every depth: ${name}`, () => {
      const v = make();
      const before = JSON.stringify(v);
      expect(stableStringifyJson(v)).toBe(EXPECTED);
      // The value itself is left as it was (same keys, same order).
      expect(JSON.stringify(v)).toBe(before);
    });
  }

  it("refuses a number JSON cannot hold, at any depth, sorted or not", () => {
    expect(() => stableStringifyJson({ a: { b: [1, Number.NaN] } })).toThrow(/NaN/);
    expect(() => stableStringifyJson({ b: { a: Number.POSITIVE_INFINITY }, a: 1 })).toThrow(/Infinity/);
  });
});

describe("stableStringifyChecked", () => {
  it("sorts a value nobody marked, as stableStringifyJson does", () => {
    expect(stableStringifyChecked({ z: 0, b: { c: { e: null, d: true } }, a: [{ y: 2, x: 1 }, null, "s"], 10: "ten", 2: "two" })).toBe(EXPECTED);
  });

  it("writes a marked value as it holds it: the mark is the maker's word that it is in order", () => {
    const v = { b: 1, a: 2 };
    markInStableOrder(v);
    expect(stableStringifyChecked(v)).toBe('{\n  "b": 1,\n  "a": 2\n}\n');
    expect(stableStringifyJson(v)).toBe('{\n  "a": 2,\n  "b": 1\n}\n');
  });
});
