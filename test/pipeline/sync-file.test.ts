// The writer's flush of its temporary files: all of them, concurrently, and a failure names its file.
import { fstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createOpen, createUnsynced, FlushError, flushAll, fsyncDirs, syncAndClose } from "../../src/pipeline/syncFile.js";

const tmp = mkdtempSync(join(tmpdir(), "sync-file-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("flushAll", () => {
  it("flushes every file, more of them than run at once", async () => {
    const paths = Array.from({ length: 20 }, (_, i) => join(tmp, `f${i}`));
    paths.forEach((p, i) => createUnsynced(p, `content ${i}`));
    await expect(flushAll(paths, 3)).resolves.toBeUndefined();
    expect(paths.map((p) => readFileSync(p, "utf8"))).toEqual(paths.map((_, i) => `content ${i}`));
  });

  it("rejects with the first file that cannot be flushed, by name, after the others settle", async () => {
    const ok = join(tmp, "ok");
    createUnsynced(ok, "x");
    const missing = join(tmp, "missing");
    const e = await flushAll([ok, missing, ok], 2).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FlushError);
    expect((e as FlushError).path).toBe(missing);
    expect(((e as FlushError).cause as NodeJS.ErrnoException).code).toBe("ENOENT");
  });

  it("refuses to create over an existing file", () => {
    const p = join(tmp, "exists");
    createUnsynced(p, "first");
    expect(() => createUnsynced(p, "second")).toThrow(/EEXIST/);
    expect(readFileSync(p, "utf8")).toBe("first");
  });

  it("createOpen hands back the descriptor that wrote the file; syncAndClose flushes and closes it", async () => {
    const p = join(tmp, "open");
    const fd = createOpen(p, "kept open");
    expect(fstatSync(fd).size).toBe("kept open".length);
    await expect(syncAndClose(fd)).resolves.toBeUndefined();
    expect(() => fstatSync(fd)).toThrow(/EBADF/);
    expect(readFileSync(p, "utf8")).toBe("kept open");
    expect(() => createOpen(p, "again")).toThrow(/EEXIST/);
  });
});

describe("fsyncDirs", () => {
  it("flushes folders on the thread pool, the event loop turning meanwhile, and passes over one that is gone", async () => {
    const dirs = Array.from({ length: 12 }, (_, i) => join(tmp, `dir${i}`));
    for (const d of dirs) mkdirSync(d);
    let turned = false;
    setImmediate(() => (turned = true));
    const flushed = fsyncDirs([...dirs, join(tmp, "gone")]);
    expect(turned).toBe(false);
    await expect(flushed).resolves.toBeUndefined();
    expect(turned).toBe(true); // not blocked until every folder was down
  });
});
