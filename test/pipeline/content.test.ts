// A file's content in parts (src/pipeline/content.ts): two contents cut at different places are the
// same exactly when their bytes are, whatever the cuts (the Ops index in parts against its file read whole).
import { describe, expect, it } from "vitest";
import { sameBytes } from "../../src/pipeline/content.js";

/** `bytes` cut at random places (empty parts too), deterministic per seed. */
function cut(bytes: Buffer, seed: number): Buffer[] {
  const parts: Buffer[] = [];
  let s = seed;
  let at = 0;
  while (at < bytes.length) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const n = s % 7; // 0 makes an empty part
    parts.push(bytes.subarray(at, Math.min(bytes.length, at + n)));
    at += n;
  }
  return parts;
}

describe("sameBytes over contents cut at different places", () => {
  const text = Buffer.from('{"dashboards":[{"uid":"a","title":"Über → latency"},{"uid":"b"}]}\n', "utf8");

  it("is true for the same bytes, whatever the cuts and whether one side is text", () => {
    for (let seed = 1; seed < 40; seed++) {
      expect(sameBytes(cut(text, seed), cut(text, seed + 100))).toBe(true);
      expect(sameBytes(text, cut(text, seed))).toBe(true);
      expect(sameBytes(cut(text, seed), text.toString("utf8"))).toBe(true);
    }
  });

  it("is false when one byte differs, wherever it is and however the contents are cut", () => {
    for (let at = 0; at < text.length; at += 3) {
      const other = Buffer.from(text);
      other[at] ^= 1;
      for (let seed = 1; seed < 6; seed++) expect(sameBytes(cut(other, seed), cut(text, seed + 7))).toBe(false);
      expect(sameBytes(text, cut(other, at + 1))).toBe(false);
    }
  });

  it("is false for another length", () => {
    expect(sameBytes(cut(text, 3), cut(text.subarray(0, text.length - 1), 4))).toBe(false);
  });
});
