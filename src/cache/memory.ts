// The build cache held in memory across the rebuilds of one process (--watch): entries as the last
// successful build left them, with each dashboard as the object that build held (not its JSON, so a
// reused dashboard is neither read back nor parsed, and stays the same object from build to build,
// which the memos of the checks across dashboards key on), and file digests, forgotten by the
// caller for the files it saw change. Plain data: the engine that reads it may be a newer copy
// than the one that filled it (watch re-imports src/ when it changes), and the keys, which cover
// the tool's sources, keep a newer engine from taking an older one's results.
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { DigestMemo } from "./hash.js";
import type { CacheEntry } from "./store.js";

/** An entry as held: `built.dashboards[].json` is not kept (empty); `objects` holds the dashboards by uid. */
export interface HeldEntry {
  entry: CacheEntry;
  objects: Map<string, Dashboard>;
}

export interface CacheMemory {
  /** Entries by key: the last build's, then up to SPARE_ENTRIES earlier ones (a file saved back to what it was). */
  entries: Map<string, HeldEntry>;
  /** File digests by path (FileDigests), valid until the caller forgets the path. */
  digests: Map<string, string>;
  /** Each definition file's closure digest and key, by the parts they were computed from (see DigestMemo). */
  closures: DigestMemo;
  keys: DigestMemo;
  /** The loaded engine's digest (package files and src/): cleared by the caller when it loads another. */
  tool?: string;
  /** Entries read from disk, taken from memory, for tests and the summary. */
  counts: { fromDisk: number; fromMemory: number };
  /** Values of the stages run once per build (src/cache/stages.ts), by kind and key. */
  stages: Map<string, unknown>;
  /** Builds since the cache folder was last pruned (a rebuild writes an entry or two; pruning lists thousands). */
  sincePrune: number;
}

/** Builds of one process between two prunings of the cache folder. */
export const PRUNE_EVERY = 50;

/** Entries kept beyond the current build's. */
export const SPARE_ENTRIES = 200;

export function createCacheMemory(): CacheMemory {
  return { entries: new Map(), digests: new Map(), closures: new DigestMemo(), keys: new DigestMemo(), counts: { fromDisk: 0, fromMemory: 0 }, stages: new Map(), sincePrune: 0 };
}

/** After a change of `paths`: their digests are read again. */
export function forgetFiles(memory: CacheMemory, paths: Iterable<string>): void {
  for (const p of paths) memory.digests.delete(p);
}

/** Holds `held` (by its key) as the most recent; drops the oldest beyond `current + SPARE_ENTRIES`. */
export function holdEntries(memory: CacheMemory, held: HeldEntry[], drop: Iterable<string>): void {
  for (const k of drop) memory.entries.delete(k);
  for (const h of held) {
    memory.entries.delete(h.entry.key);
    memory.entries.set(h.entry.key, h);
  }
  const excess = memory.entries.size - held.length - SPARE_ENTRIES;
  if (excess > 0) for (const k of [...memory.entries.keys()].slice(0, excess)) memory.entries.delete(k);
}
