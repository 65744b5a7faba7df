// The JSON every dashboard is written as: keys sorted at every depth whatever order the value holds
// them in, so two values equal as data give the same bytes.
import { describe, expect, it } from "vitest";
import { markInStableOrder, sortKeys, stableStringifyChecked, stableStringifyJson } from "../../src/emit/stable.js";

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

describe("sortKeys", () => {
  // A small deterministic generator, so a failure names a case that can be run again.
  let s = 11;
  const next = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const alphabet = ["a", "b", "Z", "_", "0", "9", "10", "é", "\u{1F600}", "\uD800", "\uFFFF", "-", ""];
  const key = () => Array.from({ length: 1 + Math.floor(next() * 4) }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");

  it("orders keys as Array.prototype.sort does (UTF-16 code units), short lists and long ones", () => {
    for (let c = 0; c < 400; c++) {
      const keys = [...new Set(Array.from({ length: Math.floor(next() * (c % 10 === 0 ? 60 : 14)) }, key))];
      const expected = [...keys].sort();
      const given = [...keys];
      expect(sortKeys(given), `case ${c}: ${JSON.stringify(keys)}`).toEqual(expected);
      expect(given, "sorted in place").toEqual(expected);
    }
  });
});
