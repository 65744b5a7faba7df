// Digests for the build cache's keys: of bytes, of files (memoised per build, since many
// definitions share the same helpers), and of values (stable JSON: sorted keys, functions by their
// source text, so a config or catalog holding a function still changes its key when it changes).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

export function digest(...parts: (string | Uint8Array)[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex");
}

/**
 * digest() of short text parts, answered from the last call with the same parts (--watch keys a
 * thousand files on every save, nearly all with the inputs of the save before). Holds one digest
 * per `slot` (a file): the text compared is the parts joined, far cheaper than hashing again.
 */
export class DigestMemo {
  private readonly held = new Map<string, { parts: string; digest: string }>();
  of(slot: string, ...parts: string[]): string {
    const joined = parts.join("\0");
    const h = this.held.get(slot);
    if (h?.parts === joined) return h.digest;
    const d = digest(...parts);
    this.held.set(slot, { parts: joined, digest: d });
    return d;
  }
}

/** JSON with sorted keys; functions as their source; undefined dropped; cycles named instead of looping. */
export function stableValue(v: unknown): string {
  const seen = new Set<object>();
  const walk = (x: unknown): unknown => {
    if (typeof x === "function") return `[function ${x.toString()}]`;
    if (typeof x === "bigint") return `[bigint ${x}]`;
    if (typeof x === "number" && !Number.isFinite(x)) return `[number ${x}]`;
    if (x === null || typeof x !== "object") return x;
    if (seen.has(x)) return "[cycle]";
    seen.add(x);
    let out: unknown;
    if (x instanceof Map) out = { "[map]": [...x.entries()].map(([k, y]) => [walk(k), walk(y)]) };
    else if (x instanceof Set) out = { "[set]": [...x].map(walk) };
    else if (Array.isArray(x)) out = x.map(walk);
    else {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) {
        const y = (x as Record<string, unknown>)[k];
        if (y !== undefined) o[k] = walk(y);
      }
      out = o;
    }
    seen.delete(x);
    return out;
  };
  return JSON.stringify(walk(v)) ?? "undefined";
}

/** Reads and digests files, each once per instance; a file that cannot be read digests as "missing". */
export class FileDigests {
  /** `known`: digests kept from earlier (--watch's memory, whose owner forgets the files that change). */
  constructor(private readonly known = new Map<string, string>()) {}
  of(path: string): string {
    let d = this.known.get(path);
    if (d === undefined) {
      let bytes: Uint8Array | string;
      try {
        bytes = readFileSync(path);
      } catch {
        bytes = "\0missing";
      }
      d = digest(path, bytes);
      this.known.set(path, d);
    }
    return d;
  }
}
