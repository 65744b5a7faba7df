// compareText orders names as String.prototype.localeCompare does (ICU's collator, the reference
// here), without ICU for printable ASCII: every string of up to two printable characters and
// random longer ones over the characters names and paths use sort the same way under both, and a
// string with any other character is handed to ICU.
import { afterEach, describe, expect, it } from "vitest";
import { compareText, resetTextOrderForTests } from "../../src/emit/textOrder.js";

const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));

/** A small deterministic generator (tests must not depend on the run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

function randomStrings(alphabet: string[], count: number, maxLength: number, seed: number): string[] {
  const next = random(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = Math.floor(next() * (maxLength + 1));
    let s = "";
    for (let j = 0; j < length; j++) s += alphabet[Math.floor(next() * alphabet.length)];
    out.push(s);
  }
  return out;
}

const sign = (n: number) => Math.sign(n);

/** Both comparators on neighbours of the reference order, and the two orders themselves. */
function expectSameOrder(strings: string[]) {
  const byIcu = [...strings].sort((a, b) => a.localeCompare(b));
  const ours = [...strings].sort(compareText);
  expect(ours).toEqual(byIcu);
  for (let i = 1; i < byIcu.length; i++) {
    const [a, b] = [byIcu[i - 1], byIcu[i]];
    if (sign(compareText(a, b)) !== sign(a.localeCompare(b)) || sign(compareText(b, a)) !== sign(b.localeCompare(a))) {
      throw new Error(
        `${JSON.stringify(a)} vs ${JSON.stringify(b)}: ${compareText(a, b)} against ICU's ${a.localeCompare(b)}`,
      );
    }
  }
}

describe("compareText", () => {
  afterEach(() => resetTextOrderForTests());

  it("orders every string of up to two printable ASCII characters as localeCompare does", () => {
    const strings = [""];
    for (const a of printable) {
      strings.push(a);
      for (const b of printable) strings.push(a + b);
    }
    expectSameOrder(strings);
  });

  it("orders longer names, paths and mixed-case words as localeCompare does", () => {
    const names = [..."abAB-_./ 0Z9zy:"];
    expectSameOrder(randomStrings(names, 4000, 8, 1));
    expectSameOrder(randomStrings(printable, 4000, 12, 2));
    expectSameOrder([
      "aB",
      "Ab",
      "ab",
      "AB",
      "a",
      "A",
      "abc",
      "aBc",
      "a-b",
      "A-b",
      "a_b",
      "a b",
      "a.b",
      "a/b",
      "grafana/access.json",
      "grafana/provisioning",
      "HighErrorRate",
      "high_error_rate",
    ]);
  });

  it("hands strings with other characters to localeCompare", () => {
    const others = ["é", "e\u0301", "\u0000", "\t", "\u007f", "ß", "Å", "aa", "z"];
    const strings = [
      ...others,
      ...others.map((s) => `a${s}b`),
      ...randomStrings(["a", "b", "é", "E", "\t", "-"], 2000, 6, 3),
    ];
    expectSameOrder(strings);
  });

  it("keeps ICU for a locale whose collation may order ASCII otherwise", () => {
    const saved = { LC_ALL: process.env.LC_ALL };
    /** How many times compareText("a", "b") calls localeCompare under LC_ALL=`locale`. */
    const icuCalls = (locale: string) => {
      process.env.LC_ALL = locale;
      resetTextOrderForTests();
      let calls = 0;
      const original = String.prototype.localeCompare;
      String.prototype.localeCompare = function (this: string, ...args: Parameters<typeof original>) {
        calls++;
        return original.apply(this, args);
      };
      try {
        compareText("a", "b");
      } finally {
        String.prototype.localeCompare = original;
      }
      return calls;
    };
    try {
      expect(icuCalls("da_DK.UTF-8")).toBe(1);
      expect(icuCalls("en_US.UTF-8")).toBe(0);
    } finally {
      if (saved.LC_ALL === undefined) delete process.env.LC_ALL;
      else process.env.LC_ALL = saved.LC_ALL;
    }
  });
});
