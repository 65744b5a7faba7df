// The copy out of the SDK (plainCopy, src/pipeline/dashboards.ts) is what JSON.parse(JSON.stringify())
// gives, with the keys in the emitted file's order and non-finite numbers kept for the value check.
import { describe, expect, it } from "vitest";
import { sortKeysDeep } from "../../src/emit/stable.js";
import { plainCopy } from "../../src/pipeline/dashboards.js";

const viaJson = (v: unknown) => JSON.stringify(sortKeysDeep(JSON.parse(JSON.stringify(v))));

describe("plainCopy", () => {
  const when = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
  const cases: Record<string, unknown> = {
    "nested objects, keys out of order": { z: 1, a: { y: [3, { q: true, b: null }], c: "x" }, m: [] },
    "undefined members dropped, undefined items null": { a: undefined, b: [undefined, 1], c: { d: undefined } },
    "functions and symbols": { f: () => 1, s: Symbol("s"), list: [() => 2, Symbol("t"), "kept"] },
    "toJSON, once, at any depth": { when, list: [when], custom: { toJSON: () => ({ b: 2, a: 1, toJSON: () => "not called again" }) } },
    "toJSON giving a string or a number": { s: { toJSON: () => "text" }, n: { toJSON: () => 42 }, u: { toJSON: () => undefined } },
    "strings, numbers, booleans, null at the top": "top",
    "deep arrays": [[[[1, [2, [3]]]]], { k: [[{ b: 1, a: 2 }]] }],
  };
  for (const [name, v] of Object.entries(cases)) {
    it(`copies as JSON does: ${name}`, () => {
      expect(JSON.stringify(plainCopy(v))).toBe(viaJson(v));
    });
  }

  it("keeps an array's holes and length, and non-finite numbers", () => {
    // eslint-disable-next-line no-sparse-arrays
    const copy = plainCopy({ list: [1, , 3, , ], n: NaN, inf: [-Infinity] }) as { list: unknown[]; n: number; inf: number[] };
    expect(copy.list).toHaveLength(4);
    expect(1 in copy.list).toBe(false);
    expect(3 in copy.list).toBe(false);
    expect(copy.list[2]).toBe(3);
    expect(copy.n).toBeNaN();
    expect(copy.inf).toEqual([-Infinity]);
  });

  it("makes new objects and arrays, sharing none with the original", () => {
    const inner = { b: 1, a: 2 };
    const v = { x: inner, y: [inner] };
    const copy = plainCopy(v) as { x: object; y: object[] };
    expect(copy.x).not.toBe(inner);
    expect(copy.y[0]).not.toBe(inner);
    expect(copy.y).not.toBe(v.y);
    expect(Object.keys(copy.x)).toEqual(["a", "b"]);
  });

  it("refuses a BigInt and a value that contains itself, by what they are", () => {
    expect(() => plainCopy({ n: 1n })).toThrow(/BigInt \(1\)/);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => plainCopy(loop)).toThrow(/nested more than 1000 levels deep \(or contains itself\)/);
  });
});
