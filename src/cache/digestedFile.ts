// One file of the cache as the dashboards' entries and the stages' entries are kept: a checksum of
// the rest on the first line (src/checksum.mjs: a CRC-32, eight hex digits; a truncated or
// damaged file, or one of another layout, reads as corrupt and is rebuilt),
// written to a temporary renamed over (a reader never sees half of one), failures to write
// ignored (a cache that cannot be written only makes builds slower); and a folder of them bounded.
import { isAscii, isUtf8 } from "node:buffer";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checksum } from "../checksum.mjs";
import { compareText } from "../emit/textOrder.js";

/** The layout's name, which seeds the checksum: a file written under another layout never passes. */
const LAYOUT = "grafana-as-code digested file 2\0";
/** The first line's length: eight hex digits and the newline. */
export const HEAD = 9;
const sumOf = (data: string | Uint8Array) => checksum(data, LAYOUT).toString(16).padStart(8, "0");

/** What the file at `path` holds after its checksum line: "missing" when there is none, "corrupt" when it does not read back whole. */
export function readDigested(path: string): string | "missing" | "corrupt" {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return "missing";
  }
  // The checksum is of the bytes as written (UTF-8): checked on them, not on text encoded again, and
  // the rest decoded once (ASCII, as entries mostly are, the fastest way Node has).
  if (bytes.length < HEAD || bytes[HEAD - 1] !== 0x0a) return "corrupt";
  const rest = bytes.subarray(HEAD);
  if (bytes.toString("latin1", 0, HEAD - 1) !== sumOf(rest)) return "corrupt";
  return isAscii(rest) ? rest.toString("latin1") : isUtf8(rest) ? rest.toString("utf8") : "corrupt";
}

/** Writes `body` under its checksum through a temporary beside `path` (`tmp` names it per writer); whether it was written. */
export function writeDigested(path: string, body: string, tmp: string): boolean {
  try {
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(tmp, `${sumOf(body)}\n${body}`);
    renameSync(tmp, path);
    return true;
  } catch {
    rmSync(tmp, { force: true });
    return false;
  }
}

/**
 * Bounds a folder of `suffix` files: when it holds more than `max`, removes those whose name
 * (without the suffix) is not in `keep` (the current build's), least recently written first, down
 * to `max / 2`. Temporary files of writers that died go too, once an hour old. Failures are
 * ignored (another build may prune at once). Returns the names removed.
 */
export function pruneDigested(dir: string, suffix: string, keep: ReadonlySet<string>, max: number, now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  const mtime = (name: string) => {
    try {
      return statSync(join(dir, name)).mtimeMs;
    } catch {
      return undefined;
    }
  };
  for (const name of names.filter((n) => n.endsWith(".tmp"))) {
    const m = mtime(name);
    if (m !== undefined && now - m > 3600_000) rmSync(join(dir, name), { force: true }), removed.push(name);
  }
  const entries = names.filter((n) => n.endsWith(suffix));
  if (entries.length <= max) return removed;
  const candidates = entries
    .filter((n) => !keep.has(n.slice(0, -suffix.length)))
    .map((name) => ({ name, mtime: mtime(name) ?? 0 }))
    .sort((a, b) => a.mtime - b.mtime || compareText(a.name, b.name));
  for (const { name } of candidates.slice(0, entries.length - Math.floor(max / 2))) {
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}
