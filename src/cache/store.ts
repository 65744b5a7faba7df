// Entries of the build cache: one file per definition file and content key, under
// node_modules/.cache/grafana-as-code/dashboards/. Each entry starts with a digest of the rest, so a
// truncated or corrupt entry (a crash mid-write on a file system without ordered writes, a stray
// edit) reads as absent and is rebuilt; entries are replaced by rename, so a reader never sees half
// of one. Deleting the folder only makes the next build a cold one.
// Layout: "<checksum of the rest>\n<header JSON>\n<strings>" (digestedFile.ts), the dashboards' JSON and emitted text
// appended raw after the header (their lengths in it), so reading one parses no large JSON string.
import { join } from "node:path";
import { pruneDigested, readDigested, writeDigested } from "./digestedFile.js";

export const ENTRY_FORMAT = 3;

/** What a definition file exports, without the builder: what other definitions see (ctx.dashboards). */
export interface DefinitionMeta {
  kind: "dashboard";
  uid: string;
  title?: string;
  folder: string;
  nav?: { order: number; title?: string };
  layout?: "flow" | "manual";
}

export interface CachedDashboard {
  uid: string;
  folderUid: string;
  /** Digest of every definition's uid, title, folder and nav when its builder read them (ctx.dashboards); null when it did not. */
  index: string | null;
  /** JSON.stringify of the built dashboard (its keys in build order, which later steps see). */
  json: string;
  /** The emitted file's content. */
  text: string;
  /**
   * JSON.stringify of what the checks across dashboards read of it (src/pipeline/summary.ts): a
   * dashboard whose verdict holds is held as this alone, its JSON never parsed. Absent in entries
   * written before summaries were kept (their JSON is parsed then).
   */
  summary?: string;
}

export interface CacheEntry {
  format: number;
  /** The content key: the definition file, everything it imports, config, tool version. */
  key: string;
  definitions: DefinitionMeta[];
  /** Set once built: the dashboards the file's definitions build. */
  built?: { dashboards: CachedDashboard[] };
  /** Set once validated and linted: per-dashboard checks passed under `key`; lint findings by uid. */
  verdict?: { key: string; lint: Record<string, unknown[]> };
}

export class CacheStore {
  readonly dir: string;
  /** Entries read, written, and found corrupt, for the build's summary and tests. */
  readonly counts = { read: 0, written: 0, corrupt: 0 };
  private tmp = 0;
  constructor(dir: string) {
    this.dir = dir;
  }

  private path(key: string): string {
    return join(this.dir, `${key}.entry`);
  }

  /** The entry for `key`, or undefined when there is none or it does not read back whole. */
  read(key: string): CacheEntry | undefined {
    const rest = readDigested(this.path(key));
    if (rest === "missing") return undefined;
    let e: CacheEntry;
    try {
      if (rest === "corrupt") throw new Error("digest");
      e = decode(rest);
    } catch {
      this.counts.corrupt++;
      return undefined;
    }
    if (e.format !== ENTRY_FORMAT || e.key !== key || !Array.isArray(e.definitions)) {
      this.counts.corrupt++;
      return undefined;
    }
    this.counts.read++;
    return e;
  }

  /**
   * Writes an entry: a temporary file beside it, renamed over. Not flushed to disk (an entry lost
   * in a crash is rebuilt; its digest catches one left half-written). A cache that cannot be
   * written (read-only node_modules, a full disk) only makes builds slower: failures are ignored.
   */
  write(entry: CacheEntry): void {
    const path = this.path(entry.key);
    if (writeDigested(path, encode(entry), `${path}.${process.pid}-${this.tmp++}.tmp`)) this.counts.written++;
  }
}

/** Bounds the folder of entries: beyond `max`, the least recently written not in `keep` (the current build's keys) go (digestedFile.ts). */
export function pruneEntries(dir: string, keep: ReadonlySet<string>, max: number, now = Date.now()): string[] {
  return pruneDigested(dir, ".entry", keep, max, now);
}

type Header = Omit<CacheEntry, "built"> & { built?: { dashboards: { uid: string; folderUid: string; index: string | null; json: number; text: number; summary?: number }[] } };

function encode(entry: CacheEntry): string {
  const strings: string[] = [];
  const header: Header = {
    ...entry,
    built: entry.built && {
      dashboards: entry.built.dashboards.map((d) => {
        strings.push(d.json, d.text, d.summary ?? "");
        return { uid: d.uid, folderUid: d.folderUid, index: d.index, json: d.json.length, text: d.text.length, ...(d.summary !== undefined ? { summary: d.summary.length } : {}) };
      }),
    },
  };
  return `${JSON.stringify(header)}\n${strings.join("")}`;
}

/** Throws on anything that is not an entry as encode() writes it. */
function decode(rest: string): CacheEntry {
  const nl = rest.indexOf("\n");
  const header = JSON.parse(rest.slice(0, nl)) as Header;
  if (typeof header !== "object" || header === null) throw new Error("not an entry");
  let at = nl + 1;
  const take = (n: number) => {
    if (!Number.isInteger(n) || n < 0 || at + n > rest.length) throw new Error("truncated");
    return rest.slice(at, (at += n));
  };
  const built = header.built && {
    dashboards: header.built.dashboards.map((d) => ({ uid: d.uid, folderUid: d.folderUid, index: d.index, json: take(d.json), text: take(d.text), ...(d.summary !== undefined ? { summary: take(d.summary) } : {}) })),
  };
  if (at !== rest.length) throw new Error("trailing bytes");
  return { ...header, built };
}
