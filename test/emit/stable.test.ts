// The one-pass serialiser against the definition it replaces: JSON.stringify of the key-sorted copy.
import { fc, it as fcIt } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { sortKeysDeep, stableStringifyJson } from "../../src/emit/stable.js";

const reference = (v: unknown) => JSON.stringify(sortKeysDeep(v), null, 2) + "\n";

// Keys that order differently as array indexes, lone surrogates, and the one key a copy cannot hold.
const key = fc.oneof(fc.string(), fc.constantFrom("0", "1", "10", "9", "01", "-1", "4294967294", "4294967295", "__proto__", "toJSON", "a", "B", "\ud800", "é"));
const leaf = fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.constant(-0));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("value")), fc.dictionary(key, tie("value"))),
}));

describe("stableStringifyJson", () => {
  fcIt.prop([value], { numRuns: 500 })("writes what JSON.stringify writes of the key-sorted copy", (v) => {
    expect(stableStringifyJson(v)).toBe(reference(v));
  });

  it("sorts keys at every depth, array indexes first as an object lists them", () => {
    expect(stableStringifyJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null }, "10": 0, "9": 0 })).toBe(reference({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null }, "10": 0, "9": 0 }));
    expect(stableStringifyJson({ b: 1, a: 2 })).toBe('{\n  "a": 2,\n  "b": 1\n}\n');
  });

  it("treats what is not plain data as JSON.stringify does, indented where it sits", () => {
    const v = { when: new Date(0), list: [() => 1, undefined, Symbol("s")], fn: () => 1, nested: { toJSON: () => ({ y: 1, x: 2 }) }, gone: { toJSON: () => undefined } };
    expect(stableStringifyJson(v)).toBe(reference(v));
    const bare = Object.assign(Object.create(null), { b: 1, a: [1] });
    expect(stableStringifyJson({ bare })).toBe(reference({ bare }));
  });

  it("refuses a number JSON cannot hold, as the sorted copy did", () => {
    expect(() => stableStringifyJson({ a: [1, { b: Infinity }] })).toThrow("refusing to serialise Infinity: only finite numbers can be written");
    expect(() => stableStringifyJson({ a: NaN })).toThrow("refusing to serialise NaN");
  });
});
