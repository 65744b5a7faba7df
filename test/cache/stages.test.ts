// Stage entries (src/cache/stages.ts): what is written reads back whole, under its kind and key only;
// bytes cut off or changed read as absent; nothing is written before the build commits; the folder
// stays bounded, keeping the current build's entries; --watch's memory answers without the folder.
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_STAGE_ENTRIES, StageCache, StageStore } from "../../src/cache/stages.js";

const tmp = mkdtempSync(join(tmpdir(), "cache-stages-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const dir = () => join(tmp, `d${n++}`);

const value = { files: [{ path: "prometheus/rules/a.yaml", content: "groups:\n  - name: é\n" }], problems: [] };

describe("StageStore", () => {
  it("reads back what it wrote, under its kind and key only", () => {
    const store = new StageStore(dir());
    store.write("alerting", "k1", value);
    expect(store.read("alerting", "k1")).toEqual(value);
    expect(store.read("alerting", "k2")).toBeUndefined();
    expect(store.read("lint-files", "k1")).toBeUndefined();
    expect(store.counts).toEqual({ read: 1, written: 1, corrupt: 0 });
  });

  it("takes an entry cut short, with a byte changed, or renamed to another key, for absent", () => {
    const d = dir();
    const store = new StageStore(d);
    store.write("alerting", "k", value);
    const path = join(d, "alerting-k.stage");
    const whole = readFileSync(path, "utf8");
    for (let cut = 0; cut < whole.length; cut += 5) {
      writeFileSync(path, whole.slice(0, cut));
      expect(store.read("alerting", "k"), `cut at ${cut}`).toBeUndefined();
    }
    for (let i = 65; i < whole.length; i += 3) {
      writeFileSync(path, whole.slice(0, i) + (whole[i] === "x" ? "y" : "x") + whole.slice(i + 1));
      expect(store.read("alerting", "k"), `byte ${i}`).toBeUndefined();
    }
    writeFileSync(join(d, "alerting-other.stage"), whole);
    expect(store.read("alerting", "other")).toBeUndefined();
    writeFileSync(path, whole);
    expect(store.read("alerting", "k")).toEqual(value);
  });

  it("prunes the least recently written beyond its bound, never this build's", () => {
    const d = dir();
    const store = new StageStore(d);
    const total = MAX_STAGE_ENTRIES + 6;
    for (let i = 0; i < total; i++) {
      store.write("alerting", `k${i}`, i);
      utimesSync(join(d, `alerting-k${i}.stage`), 1000 + i, 1000 + i);
    }
    store.prune(new Set(["alerting-k0"]));
    const left = readdirSync(d).sort();
    expect(left).toHaveLength(MAX_STAGE_ENTRIES / 2);
    expect(left).toContain("alerting-k0.stage");
    expect(left).toContain(`alerting-k${total - 1}.stage`);
    expect(left).not.toContain("alerting-k1.stage");
  });
});

describe("StageCache", () => {
  it("writes what a build recorded only when it commits, under keys that differ with the build's base and the stage's inputs", () => {
    const d = dir();
    const cache = new StageCache(new StageStore(d), "base-1");
    const key = cache.key("alerting", "inputs");
    expect(key).not.toBe(cache.key("alerting", "other inputs"));
    expect(key).not.toBe(cache.key("lint-files", "inputs"));
    expect(key).not.toBe(new StageCache(new StageStore(d), "base-2").key("alerting", "inputs"));
    cache.record("alerting", key, value);
    expect(cache.read("alerting", key)).toBeUndefined();
    cache.commit(true);
    const next = new StageCache(new StageStore(d), "base-1");
    expect(next.read("alerting", key)).toEqual(value);
    next.reused("alerting", key, value);
    expect([...next.taken]).toEqual(["alerting"]);
  });

  it("with a memory, answers from it without the folder", () => {
    const d = dir();
    const memory = new Map<string, unknown>();
    const cache = new StageCache(new StageStore(d), "b", memory);
    const key = cache.key("alerting", "x");
    cache.record("alerting", key, value);
    cache.commit(false);
    rmSync(d, { recursive: true, force: true });
    expect(new StageCache(new StageStore(d), "b", memory).read("alerting", key)).toEqual(value);
  });
});
