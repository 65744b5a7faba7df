// The UTF-8 check the build runs on every source before loading it: it accepts exactly what a
// strict decoder accepts, and the offset it reports is where valid UTF-8 stops.
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { invalidUtf8Offset } from "../../src/pipeline/sources.mjs";

const strict = new TextDecoder("utf-8", { fatal: true });
const decodes = (b: Uint8Array) => {
  try {
    strict.decode(b);
    return true;
  } catch {
    return false;
  }
};

describe("invalidUtf8Offset", () => {
  test.prop([fc.string({ unit: "binary" })], { seed: 4242, numRuns: 300 })("the UTF-8 encoding of any string is valid (lone surrogates are encoded as U+FFFD)", (s) => {
    expect(invalidUtf8Offset(Buffer.from(s, "utf8"))).toBe(-1);
  });

  test.prop([fc.uint8Array({ maxLength: 64 })], { seed: 4242, numRuns: 2000 })("agrees with a strict decoder; the bytes before the offset decode", (bytes) => {
    const offset = invalidUtf8Offset(bytes);
    expect(offset === -1).toBe(decodes(bytes));
    if (offset >= 0) expect(decodes(bytes.subarray(0, offset))).toBe(true);
  });

  it("names the first bad byte of overlong forms, surrogates, truncated sequences and stray continuations", () => {
    expect(invalidUtf8Offset(Buffer.from([0x61, 0xc0, 0xaf]))).toBe(1); // overlong "/"
    expect(invalidUtf8Offset(Buffer.from([0x61, 0x62, 0xed, 0xa0, 0x80]))).toBe(2); // U+D800
    expect(invalidUtf8Offset(Buffer.from([0xe2, 0x82]))).toBe(0); // "€" cut short
    expect(invalidUtf8Offset(Buffer.from([0x41, 0x80]))).toBe(1);
    expect(invalidUtf8Offset(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // beyond U+10FFFF
    expect(invalidUtf8Offset(Buffer.from("héllo €𝄞", "utf8"))).toBe(-1);
  });
});
