// A checksum for the files the build writes and reads back (code caches, the build cache's
// entries): a CRC-32, zlib's, with the CPU's carry-less multiply, about 1/20 of a SHA-256's cost
// (it tells a file cut short or damaged, not a forged one: the files are written whole and renamed,
// so damage is what it is for). Seeded with the name of the file's layout, so that a file of
// another layout never passes for one. zlib is loaded at first use (~8 M instructions); it has
// crc32 from Node 20.15, before which the first four bytes of a SHA-256 stand in. Plain
// JavaScript, for the launcher.
import { createHash } from "node:crypto";
import { createRequire } from "node:module";

let crc32;

/** The checksum of `data` (bytes, or text as UTF-8) for files of `layout`, as an unsigned 32-bit integer. */
export function checksum(data, layout) {
  crc32 ??= createRequire(import.meta.url)("node:zlib").crc32 ?? ((d, seed) => createHash("sha256").update(String(seed)).update(d).digest().readUInt32LE(0));
  return crc32(data, crc32(layout));
}
