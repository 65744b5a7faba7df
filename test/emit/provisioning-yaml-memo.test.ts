// provisioningYaml keeps the text of the last documents it wrote (--watch writes the same ones on
// every rebuild): a document written again gives the text a first serialisation gives, and values
// JSON would confuse (undefined and null, a number and its string) are not taken for one another.
import { describe, expect, it } from "vitest";
import { envRef, provisioningYaml } from "../../src/emit/provisioningYaml.js";
import { stableStringifyYaml } from "../../src/emit/stable.js";

describe("provisioningYaml, written again", () => {
  it("gives the same text as serialising afresh, and tells apart what JSON would not", () => {
    const doc = { apiVersion: 1, list: [{ name: "a $x", secret: envRef("TOKEN"), n: 1 }] };
    const first = provisioningYaml(doc, "header");
    expect(provisioningYaml(doc, "header")).toBe(first);
    expect(first).toBe(stableStringifyYaml({ apiVersion: 1, list: [{ name: "a $$x", secret: "${TOKEN}", n: 1 }] }, "header"));
    expect(provisioningYaml(doc, "other")).not.toBe(first);
    const pairs: [unknown, unknown][] = [
      [{ v: [null] }, { v: [undefined] }],
      [{ v: 1 }, { v: "1" }],
      [{ v: "x" }, { v: ["x"] }],
    ];
    for (const [a, b] of pairs) {
      provisioningYaml(a);
      expect(provisioningYaml(b)).toBe(stableStringifyYaml(b));
      expect(provisioningYaml(a)).toBe(stableStringifyYaml(a));
    }
  });
});
