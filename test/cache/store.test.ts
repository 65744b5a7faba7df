// Cache entries: what is written reads back whole; anything else (another key's entry, bytes cut
// off or changed, an unwritable folder) reads as absent or is skipped, never thrown.
import { createHash } from "node:crypto";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { utimesSync } from "node:fs";
import { CacheStore, ENTRY_FORMAT, pruneEntries, type CacheEntry } from "../../src/cache/store.js";
import { HEAD } from "../../src/cache/digestedFile.js";

const tmp = mkdtempSync(join(tmpdir(), "cache-store-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const entry = (key: string): CacheEntry => ({
  format: ENTRY_FORMAT,
  key,
  definitions: [{ kind: "dashboard", uid: "a", folder: "services" }],
  built: { dashboards: [{ uid: "a", folderUid: "services", index: null, json: '{"uid":"a","title":"é\\n"}', text: '{\n  "title": "é\\n",\n  "uid": "a"\n}\n' }] },
  verdict: { key: "v", lint: { a: [{ rule: "panel-units", message: "line\nbreak" }] } },
});

describe("CacheStore", () => {
  it("reads back what it wrote, non-ASCII and newlines included", () => {
    const store = new CacheStore(join(tmp, "a"));
    store.write(entry("k1"));
    expect(store.read("k1")).toEqual(entry("k1"));
    expect(store.read("k2")).toBeUndefined();
    expect(store.counts).toEqual({ read: 1, written: 1, corrupt: 0 });
    expect(readdirSync(join(tmp, "a"))).toEqual(["k1.entry"]);
  });

  it("takes an entry cut short at any length, or with any byte of its body changed, for absent", () => {
    const store = new CacheStore(join(tmp, "b"));
    store.write(entry("k"));
    const path = join(tmp, "b", "k.entry");
    const whole = readFileSync(path, "utf8");
    for (let cut = 0; cut < whole.length; cut += 7) {
      writeFileSync(path, whole.slice(0, cut));
      expect(store.read("k"), `cut at ${cut}`).toBeUndefined();
    }
    for (let i = HEAD; i < whole.length; i += 11) {
      writeFileSync(path, whole.slice(0, i) + (whole[i] === "x" ? "y" : "x") + whole.slice(i + 1));
      expect(store.read("k"), `byte ${i}`).toBeUndefined();
    }
    writeFileSync(path, whole);
    expect(store.read("k")).toEqual(entry("k"));
  });

  it("takes an entry of the earlier layout (a SHA-256 line) for corrupt, and writes it again", () => {
    const store = new CacheStore(join(tmp, "layout"));
    store.write(entry("k"));
    const path = join(tmp, "layout", "k.entry");
    const body = readFileSync(path, "utf8").slice(HEAD);
    writeFileSync(path, `${createHash("sha256").update(body).digest("hex")}\n${body}`);
    expect(store.read("k")).toBeUndefined();
    expect(store.counts.corrupt).toBe(1);
    store.write(entry("k"));
    expect(new CacheStore(join(tmp, "layout")).read("k")).toEqual(entry("k"));
  });

  it("does not take an entry filed under another key", () => {
    const store = new CacheStore(join(tmp, "c"));
    store.write(entry("k1"));
    writeFileSync(join(tmp, "c", "k2.entry"), readFileSync(join(tmp, "c", "k1.entry")));
    expect(store.read("k2")).toBeUndefined();
  });

  it("skips writing where the folder cannot be written, leaving no temporary file", () => {
    if (process.getuid?.() === 0) return console.log("skipped: root writes into a read-only folder");
    const dir = join(tmp, "ro");
    new CacheStore(dir).write(entry("k0"));
    chmodSync(dir, 0o500);
    try {
      const store = new CacheStore(dir);
      expect(() => store.write(entry("k1"))).not.toThrow();
      expect(store.counts.written).toBe(0);
      expect(readdirSync(dir)).toEqual(["k0.entry"]);
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it("prunes beyond the bound: never the current build's entries, the least recently written first", () => {
    const dir = join(tmp, "prune");
    const store = new CacheStore(dir);
    for (let i = 0; i < 10; i++) {
      store.write(entry(`k${i}`));
      utimesSync(join(dir, `k${i}.entry`), 1000 + i, 1000 + i); // k0 oldest
    }
    writeFileSync(join(dir, "k9.entry.1-0.tmp"), "half");
    utimesSync(join(dir, "k9.entry.1-0.tmp"), 1, 1);
    expect(pruneEntries(dir, new Set(["k0", "k1"]), 20)).toEqual(["k9.entry.1-0.tmp"]);
    expect(pruneEntries(dir, new Set(["k0", "k1"]), 8).sort()).toEqual(["k2.entry", "k3.entry", "k4.entry", "k5.entry", "k6.entry", "k7.entry"]);
    expect(readdirSync(dir).sort()).toEqual(["k0.entry", "k1.entry", "k8.entry", "k9.entry"]);
  });
});
