// A YAML text the build has just written is read back (by lint, in the same process) from the value
// it was written from, not parsed again: that is only sound if parsing the text gives exactly that
// value. These tests parse the text for real and compare, keys' order included.
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { stableStringifyYaml, writtenYaml } from "../../src/emit/stable.js";
import { parseTreeText } from "../../src/tree/read.js";
import { runBuild } from "../../src/commands/build.js";
import { REPO_CONTENT } from "../../scripts/content.js";

/** Strings YAML could read as something else, or that need quoting, escaping or a block scalar. */
const TRICKY = [
  "", " ", "yes", "no", "on", "off", "y", "true", "False", "null", "Null", "~", "0x1F", "0o17", "017", "1e3", "1_000", ".inf", "-.inf", ".nan",
  "2001-12-14", "12:30:45", "1.0", "-0", "+1", "<<", "=", "? x", "- x", "a: b", "key: value # c", "#c", " lead", "trail ", "\ttab", "'q", '"dq',
  "@at", "`bt", "%pct", "*star", "&amp", "!bang", "|pipe", ">gt", "{x}", "[y]", "multi\nline\n", "two\n\n", "\n", "\r\n", "cr\r", "\u2028", "\u0085",
  "é ü 中文 😀", "$VAR", "$${VAR}", "{{ $labels.job }}", "a\\b", "\u0000nul", "\u007f",
];
const string = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit: "binary" }), fc.string());
const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)), fc.constantFrom(1e21, 1e-7, 2 ** 53 + 2, 0.1));
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  leaf: fc.oneof(string, number, fc.boolean(), fc.constant(null)),
  node: fc.oneof({ depthSize: "small", withCrossShrink: true }, tie("leaf"), fc.array(tie("node"), { maxLength: 4 }), fc.dictionary(string.filter((k) => k !== "__proto__"), tie("node"), { maxKeys: 4, noNullPrototype: true })),
})).node;

/** Equal, with every object's keys in the same order. */
function sameAsParsed(text: string): void {
  const written = writtenYaml(text);
  expect(written, "the text was remembered").toBeDefined();
  const parsed = parse(text, { uniqueKeys: false, prettyErrors: false }) ?? null;
  expect(JSON.stringify(written!.value)).toBe(JSON.stringify(parsed));
  expect(written!.value).toStrictEqual(parsed);
}

describe("a YAML text read back from the value it was written from", () => {
  test.prop([value, fc.option(string, { nil: undefined })], { numRuns: 300 })("is what parsing the text gives", (v, header) => {
    sameAsParsed(stableStringifyYaml(v, header));
  });

  it("holds for the strings YAML reads as other types and the ones that need quoting", () => {
    sameAsParsed(stableStringifyYaml({ strings: TRICKY, keys: Object.fromEntries(TRICKY.map((s, i) => [s, i])) }, "header\nwith two lines"));
  });

  it("is a copy: changing one does not change the next", () => {
    const text = stableStringifyYaml({ groups: [{ name: "a", rules: [{ alert: "X" }] }] });
    (writtenYaml(text)!.value as { groups: unknown[] }).groups.length = 0;
    expect(writtenYaml(text)!.value).toEqual({ groups: [{ name: "a", rules: [{ alert: "X" }] }] });
  });

  it("is not kept for values YAML would not give back (a lone surrogate, a byte order mark, -0, a class instance, undefined in a list)", () => {
    for (const v of [{ s: "a\ud800b" }, { "\ufeffbom": "" }, { n: -0 }, { d: new Date(0) }, [1, undefined]]) expect(writtenYaml(stableStringifyYaml(v))).toBeUndefined();
  });

  it("answers only the exact text: an edited or unknown one is parsed", () => {
    const text = stableStringifyYaml({ a: 1 });
    expect(writtenYaml(`${text}b: 2\n`)).toBeUndefined();
    expect(parseTreeText({ path: "x/rules.yml", content: `${text}b: 2\n` })).toEqual({ a: 1, b: 2 });
    expect(parseTreeText({ path: "x/rules.yml", content: text })).toEqual({ a: 1 });
  });

  it("holds for every YAML file of this repository's build, in each environment", async () => {
    for (const env of REPO_CONTENT.environmentNames()) {
      const r = await runBuild({ content: REPO_CONTENT, env, write: false, lint: false });
      const yaml = r.files.filter((f) => /\.ya?ml$/.test(f.path));
      expect(yaml.length).toBeGreaterThan(3);
      for (const f of yaml) sameAsParsed(String(f.content));
    }
  });
});
