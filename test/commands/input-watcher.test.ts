// The watcher's view of its inputs: a digest per file, with files whose size, times and inode are
// unchanged answered from the digests of the snapshot before (not read), and a file saved twice
// within the clock's resolution still seen.
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { changedPaths, snapshot, type DigestMemo } from "../../src/commands/inputWatcher.js";

const dir = mkdtempSync(join(tmpdir(), "input-watcher-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const old = new Date(Date.now() - 3600_000);
const file = (name: string, content: string) => {
  writeFileSync(join(dir, name), content);
  utimesSync(join(dir, name), old, old); // an hour old: past the racy window
};

describe("snapshot with a digest memo", () => {
  it("reads only the files whose identity changed, and gives the digests a full read gives", async () => {
    for (let i = 0; i < 20; i++) file(`f${i}.ts`, `export const n = ${i};\n`);
    await sleep(1100); // past the racy window of their change times (which no call can set back)
    const memo: DigestMemo = new Map();
    const first = snapshot([dir], memo);
    expect(first).toEqual(snapshot([dir]));
    // A memo entry that lies about its content is believed while the file's identity holds:
    // that is how we know the file was not read again.
    const f3 = join(dir, "f3.ts");
    memo.set(f3, { ...memo.get(f3)!, digest: "believed" });
    expect(snapshot([dir], memo).get(f3)).toBe("believed");
    // Saved (same size, other content): read again.
    file("f3.ts", "export const n = 9;\n");
    const second = snapshot([dir], memo);
    expect(second).toEqual(snapshot([dir]));
    expect(changedPaths(first, second)).toEqual([f3]);
  });

  it("a file saved just now is read again next time, even with the same size and times", () => {
    const memo: DigestMemo = new Map();
    const f = join(dir, "racy.ts");
    writeFileSync(f, "export const a = 1;\n");
    snapshot([dir], memo);
    const { mtime } = statSync(f);
    writeFileSync(f, "export const a = 2;\n");
    utimesSync(f, mtime, mtime); // as a coarse clock would leave it
    expect(snapshot([dir], memo).get(f)).toBe(snapshot([dir]).get(f));
  });

  it("forgets removed files", () => {
    const memo: DigestMemo = new Map();
    file("gone.ts", "x\n");
    snapshot([dir], memo);
    rmSync(join(dir, "gone.ts"));
    expect(snapshot([dir], memo).has(join(dir, "gone.ts"))).toBe(false);
    expect(memo.has(join(dir, "gone.ts"))).toBe(false);
  });
});

describe("refresh", () => {
  it("gives what a full snapshot gives, looking only at the paths named: a saved file, a new folder, a removed one", async () => {
    const { mkdirSync } = await import("node:fs");
    const { refresh } = await import("../../src/commands/inputWatcher.js");
    const root = mkdtempSync(join(tmpdir(), "refresh-"));
    try {
      for (let i = 0; i < 5; i++) writeFileSync(join(root, `f${i}.ts`), `export const n = ${i};\n`);
      mkdirSync(join(root, "old"));
      writeFileSync(join(root, "old", "x.ts"), "x\n");
      const memo: DigestMemo = new Map();
      const before = snapshot([root], memo);
      writeFileSync(join(root, "f1.ts"), "export const n = 'saved';\n");
      mkdirSync(join(root, "new", "deep"), { recursive: true });
      writeFileSync(join(root, "new", "deep", "y.ts"), "y\n");
      rmSync(join(root, "old"), { recursive: true });
      writeFileSync(join(root, "f2.ts"), "not named: not looked at\n");
      const after = refresh(before, [join(root, "f1.ts"), join(root, "new"), join(root, "old")], memo);
      const full = snapshot([root]);
      expect(after.get(join(root, "f1.ts"))).toBe(full.get(join(root, "f1.ts")));
      expect(after.get(join(root, "new", "deep", "y.ts"))).toBe(full.get(join(root, "new", "deep", "y.ts")));
      expect(after.has(join(root, "old", "x.ts"))).toBe(false);
      expect(after.get(join(root, "f2.ts"))).toBe(before.get(join(root, "f2.ts")));
      expect(changedPaths(before, after)).toEqual([join(root, "f1.ts"), join(root, "new", "deep", "y.ts"), join(root, "old", "x.ts")]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("watchInputs' poll", () => {
  it("names the files it finds changed, added or removed (never 'anything may have'), and arms a folder an event missed", async () => {
    const { mkdirSync } = await import("node:fs");
    const { watchInputs } = await import("../../src/commands/inputWatcher.js");
    const root = mkdtempSync(join(tmpdir(), "poll-"));
    try {
      writeFileSync(join(root, "a.ts"), "a\n");
      writeFileSync(join(root, "gone.ts"), "g\n");
      const seen: (string | undefined)[] = [];
      const w = watchInputs([root], (p) => seen.push(p), { pollMs: 50 });
      try {
        writeFileSync(join(root, "a.ts"), "a, saved\n");
        rmSync(join(root, "gone.ts"));
        mkdirSync(join(root, "new", "deep"), { recursive: true });
        writeFileSync(join(root, "new", "deep", "b.ts"), "b\n");
        const deadline = Date.now() + 5000;
        const want = [join(root, "a.ts"), join(root, "gone.ts"), join(root, "new", "deep", "b.ts")];
        while (!want.every((p) => seen.includes(p)) && Date.now() < deadline) await sleep(20);
        expect(seen).toEqual(expect.arrayContaining(want));
        expect(seen).not.toContain(undefined);
        // The new folder is watched now: a save in it is named by its event or by the poll, as the file.
        seen.length = 0;
        await sleep(100);
        writeFileSync(join(root, "new", "deep", "b.ts"), "b, saved\n");
        while (!seen.includes(join(root, "new", "deep", "b.ts")) && Date.now() < deadline + 5000) await sleep(20);
        expect(seen).toContain(join(root, "new", "deep", "b.ts"));
        expect(seen).not.toContain(undefined);
      } finally {
        w.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
