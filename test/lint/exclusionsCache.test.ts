// Under the launcher, lint-exclusions.yaml parsed once is answered from what the parse gave: the
// same value (undefined fields included), never a bad file's errors, and a damaged entry is parsed again.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { EXCLUSIONS_FILE, ExclusionsError, parseExclusions } from "../../src/lint/exclusions.js";
import { cachedExclusions } from "../../src/lint/exclusionsCache.js";
import { RULE_IDS } from "../../src/lint/registry.js";
import { REPO_ROOT } from "../../src/repoRoot.mjs";

const tmp = mkdtempSync(join(tmpdir(), "exclusions-cache-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const FROM_LAUNCHER = Symbol.for("grafana-as-code.toolDigest");
const launcher = (digest: string | undefined) => ((globalThis as Record<symbol, unknown>)[FROM_LAUNCHER] = digest && { root: REPO_ROOT, digest });
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmp, "c-"));
  launcher("engine-1");
});
afterEach(() => void delete (globalThis as Record<symbol, unknown>)[FROM_LAUNCHER]);

const TEXT = readFileSync(join(REPO_ROOT, EXCLUSIONS_FILE), "utf8");

function counted(text: string) {
  let parses = 0;
  const read = () => cachedExclusions(text, EXCLUSIONS_FILE, RULE_IDS, () => (parses++, parseExclusions(text, EXCLUSIONS_FILE, RULE_IDS)), dir);
  return { read, parses: () => parses };
}

describe("the lint exclusions cache", () => {
  it("answers the same text, rules and engine from the first parse, with the value the parse gives", () => {
    const c = counted(TEXT);
    const first = c.read();
    const again = c.read();
    expect(c.parses()).toBe(1);
    expect(again).toStrictEqual(parseExclusions(TEXT, EXCLUSIONS_FILE, RULE_IDS));
    expect(again).toStrictEqual(first);
    expect(again).not.toBe(first); // a copy: a caller may change it
  });

  it("parses again when the text or the engine changes, and without the launcher keeps nothing", () => {
    counted(TEXT).read();
    const edited = counted(TEXT.replace("expires: 2027-03-31", "expires: 2027-04-30"));
    expect(edited.read().exclusions.map((e) => e.expires)).toContain("2027-04-30");
    expect(edited.parses()).toBe(1);
    launcher("engine-2");
    const c = counted(TEXT);
    c.read();
    expect(c.parses()).toBe(1);
    launcher(undefined);
    const without = mkdtempSync(join(tmp, "none-"));
    dir = without;
    const d = counted(TEXT);
    d.read();
    d.read();
    expect(d.parses()).toBe(2);
    expect(readdirSync(without)).toEqual([]);
  });

  it("never keeps a bad file: its errors come from the parser every time", () => {
    const bad = "exclusions:\n  - rule: no-such-rule\n    reason: x\n";
    for (let i = 0; i < 2; i++) expect(() => counted(bad).read()).toThrow(ExclusionsError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("parses again over a damaged entry, and replaces it", () => {
    counted(TEXT).read();
    const [entry] = readdirSync(dir);
    const bytes = readFileSync(join(dir, entry));
    writeFileSync(join(dir, entry), bytes.subarray(0, bytes.length - 5));
    const c = counted(TEXT);
    expect(c.read()).toStrictEqual(parseExclusions(TEXT, EXCLUSIONS_FILE, RULE_IDS));
    expect(c.parses()).toBe(1);
    expect(c.read()).toStrictEqual(parseExclusions(TEXT, EXCLUSIONS_FILE, RULE_IDS));
    expect(c.parses()).toBe(1);
  });
});
