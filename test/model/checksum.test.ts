// The checksum of the files the build writes and reads back (src/checksum.mjs): zlib's CRC-32,
// seeded with the file's layout, the same for bytes and for their text.
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { checksum } from "../../src/checksum.mjs";

describe("checksum", () => {
  it("is zlib's CRC-32 seeded with the layout's name, the same over text and its UTF-8 bytes", () => {
    const text = "{\"title\":\"Überblick ✓\"}\n";
    expect(checksum(text, "layout a")).toBe(crc32(text, crc32("layout a")));
    expect(checksum(Buffer.from(text, "utf8"), "layout a")).toBe(checksum(text, "layout a"));
    expect(checksum(text, "layout b")).not.toBe(checksum(text, "layout a"));
  });

  it("changes with any one byte changed", () => {
    const bytes = Buffer.from("x".repeat(300));
    const sum = checksum(bytes, "l");
    for (let i = 0; i < bytes.length; i += 7) {
      const changed = Buffer.from(bytes);
      changed[i] ^= 1 << i % 8;
      expect(checksum(changed, "l"), `byte ${i}`).not.toBe(sum);
    }
  });
});
