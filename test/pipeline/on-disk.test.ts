// Comparing an emitted file with the one on disk (src/pipeline/onDisk.ts): SAME only for the same
// bytes, the old bytes otherwise (kept intact across later comparisons), errors as reading throws them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readUnlessSame, SAME } from "../../src/pipeline/onDisk.js";

const tmp = mkdtempSync(join(tmpdir(), "on-disk-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const file = (content: string | Buffer) => {
  const p = join(tmp, `f${n++}`);
  writeFileSync(p, content);
  return p;
};

describe("readUnlessSame", () => {
  it("answers SAME for the same text, multi-byte characters included", () => {
    const text = '{"title": "Latenz – p99 ⏱ 数据"}\n';
    expect(readUnlessSame(file(text), text)).toBe(SAME);
    expect(readUnlessSame(file(""), "")).toBe(SAME);
  });

  it("gives the old bytes when the size or a byte differs, and they stay intact after later comparisons", () => {
    const a = readUnlessSame(file("abcd"), "abcde");
    const b = readUnlessSame(file("abcd"), "abce");
    expect(Buffer.isBuffer(a) && a.toString()).toBe("abcd");
    expect(Buffer.isBuffer(b) && b.toString()).toBe("abcd");
    // Same length in characters, not in bytes.
    const c = readUnlessSame(file("é"), "ab");
    expect(Buffer.isBuffer(c) && c.toString()).toBe("é");
    readUnlessSame(file("zzzz"), "yyyy");
    expect((b as Buffer).toString()).toBe("abcd");
  });

  it("compares only this file's bytes after a longer one, and files larger than the kept buffers", () => {
    const long = "x".repeat(200_000);
    expect(readUnlessSame(file(long), long)).toBe(SAME);
    expect(readUnlessSame(file("xy"), "xy")).toBe(SAME);
    const huge = "y".repeat(3 << 20);
    expect(readUnlessSame(file(huge), huge)).toBe(SAME);
    const changed = readUnlessSame(file(huge), huge.slice(0, -1) + "z");
    expect(Buffer.isBuffer(changed) && changed.length).toBe(3 << 20);
  });

  it("throws as reading would: ENOENT for a missing file, EISDIR for a folder", () => {
    expect(() => readUnlessSame(join(tmp, "absent"), "x")).toThrow(expect.objectContaining({ code: "ENOENT" }));
    const dir = join(tmp, "dir");
    mkdirSync(dir);
    expect(() => readUnlessSame(dir, "x")).toThrow(expect.objectContaining({ code: "EISDIR" }));
  });
});
