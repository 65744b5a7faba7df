// Entries of the build cache: one file per definition file and content key, under
// node_modules/.cache/grafana-as-code/dashboards/. Each entry starts with a digest of the rest, so a
// truncated or corrupt entry (a crash mid-write on a file system without ordered writes, a stray
// edit) reads as absent and is rebuilt; entries are replaced by rename, so a reader never sees half
// of one. Deleting the folder only makes the next build a cold one.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { digest } from "./hash.js";

export const ENTRY_FORMAT = 1;

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
  /** JSON.stringify of the built dashboard (its keys in build order, which later steps see). */
  json: string;
  /** The emitted file's content. */
  text: string;
}

export interface CacheEntry {
  format: number;
  /** The content key: the definition file, everything it imports, config, tool version. */
  key: string;
  definitions: DefinitionMeta[];
  /** Set once built: the dashboards, valid while every definition's metadata digests to `index`. */
  built?: { index: string; dashboards: CachedDashboard[] };
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
    return join(this.dir, `${key}.json`);
  }

  /** The entry for `key`, or undefined when there is none or it does not read back whole. */
  read(key: string): CacheEntry | undefined {
    let text: string;
    try {
      text = readFileSync(this.path(key), "utf8");
    } catch {
      return undefined;
    }
    const nl = text.indexOf("\n");
    const body = text.slice(nl + 1);
    let entry: unknown;
    try {
      if (nl !== 64 || text.slice(0, 64) !== digest(body)) throw new Error("digest");
      entry = JSON.parse(body);
    } catch {
      this.counts.corrupt++;
      return undefined;
    }
    const e = entry as CacheEntry;
    if (e?.format !== ENTRY_FORMAT || e.key !== key || !Array.isArray(e.definitions)) {
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
    const body = JSON.stringify(entry);
    const path = this.path(entry.key);
    const tmp = `${path}.${process.pid}-${this.tmp++}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(tmp, `${digest(body)}\n${body}`);
      renameSync(tmp, path);
      this.counts.written++;
    } catch {
      rmSync(tmp, { force: true });
    }
  }
}
