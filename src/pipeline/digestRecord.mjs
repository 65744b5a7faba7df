// Digests of source files, reused between runs while a file's stat is unchanged, as git's index
// does: the launcher digests a few hundred files before every build (the bundle's name, the
// engine's digest, the whole-build no-op), and reading and hashing them all cost more than a stat
// of each. A record under node_modules/.cache keeps, per path, size, mtime and ctime (ns), inode and
// the digest. Any doubt means reading the file: a missing, corrupt or foreign record is ignored (and
// rewritten), and so is an entry whose mtime is not clearly older than the record itself ("racily
// clean": the file may have changed again within the same timestamp tick after it was read).
// Plain JavaScript, for the launcher.
import { createHash } from "node:crypto";
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, sep } from "node:path";
import { CACHE_DIR } from "../repoRoot.mjs";

export const DIGEST_RECORD_DIR = join(CACHE_DIR, "file-digests");
/** Bumped whenever an entry's layout or its digest's meaning changes. */
const FORMAT = 1;
/**
 * How much older than the record a file's mtime must be to be trusted: the coarsest timestamps in
 * common use (FAT's 2 s; ext3 and HFS+ have 1 s). An edit within one tick of the read that keeps
 * the size leaves mtime as it was, so a file that recent is always read again.
 */
export const RACY_MARGIN_NS = 2_000_000_000n;
/** Records kept (one per set of inputs, e.g. per --dashboards folder), most recently written first. */
const KEEP = 16;

/** A file's digest as the build cache computes it (src/cache/hash.ts): sha256(path \0 bytes \0); a file that cannot be read as "\0missing". */
export function fileDigest(path, bytes) {
  return createHash("sha256").update(path).update("\0").update(bytes).update("\0").digest("hex");
}

/** Where the record of the inputs named by `key` (e.g. the root and the definitions' folder) is kept. */
export function digestRecordPath(key, dir = DIGEST_RECORD_DIR) {
  return join(dir, `${createHash("sha256").update(key).digest("hex").slice(0, 24)}.json`);
}

/**
 * File digests for one run. `of(path)` answers from the record when the file's stat matches the
 * entry's and the entry is not racy, and reads the file otherwise; `save()` writes the entries of
 * the files asked about in this run (and only them), when any differs from what was read.
 * Without a record file (`file` undefined) every file is read: the same digests, nothing kept.
 */
export class DigestRecord {
  constructor(file, { key = "", racyMarginNs = RACY_MARGIN_NS } = {}) {
    this.file = file;
    this.key = key;
    this.racyMarginNs = racyMarginNs;
    this.held = new Map(); // path → entry, from the record
    this.now = new Map(); // path → entry, this run's
    this.dirty = true;
    this.reads = 0;
    if (file) this.load();
  }

  load() {
    let text, writtenNs;
    try {
      const fd = openSync(this.file, "r");
      try {
        writtenNs = fstatSync(fd, { bigint: true }).mtimeNs;
        text = readFileSync(fd, "utf8");
      } finally {
        closeSync(fd);
      }
    } catch {
      return; // none yet, or unreadable: every file is read
    }
    let record;
    try {
      record = JSON.parse(text);
    } catch {
      return;
    }
    if (
      record?.format !== FORMAT ||
      record.key !== this.key ||
      typeof record.entries !== "object" ||
      record.entries === null
    )
      return;
    // Compared as doubles: ns since 1970 lose some hundred ns that way, nothing next to the margin.
    const trustedBefore = Number(writtenNs - this.racyMarginNs);
    for (const path in record.entries) {
      // [size, mtimeNs, ctimeNs, ino, digest], the numbers as decimal strings (ns and inodes exceed 2^53).
      const e = record.entries[path];
      if (
        !Array.isArray(e) ||
        e.length !== 5 ||
        typeof e[1] !== "string" ||
        typeof e[4] !== "string" ||
        e[4].length !== 64
      )
        continue;
      if (!(Number(e[1]) < trustedBefore)) continue; // racily clean (or no number): read again
      this.held.set(path, e);
    }
    this.dirty = false;
  }

  /** The digest of `path` (fileDigest); a file that is missing or cannot be read digests as "\0missing". */
  of(path, st = statOrUndefined(path)) {
    if (!st) return fileDigest(path, "\0missing");
    const entry = [String(st.size), String(st.mtimeNs), String(st.ctimeNs), String(st.ino)];
    const held = this.held.get(path);
    if (held && held[0] === entry[0] && held[1] === entry[1] && held[2] === entry[2] && held[3] === entry[3]) {
      this.now.set(path, held);
      return held[4];
    }
    let bytes;
    try {
      bytes = readFileSync(path);
    } catch {
      return fileDigest(path, "\0missing");
    }
    this.reads++;
    const digest = fileDigest(path, bytes);
    entry.push(digest);
    this.now.set(path, entry);
    this.dirty = true;
    return digest;
  }

  /**
   * Writes this run's entries atomically (a private temporary name renamed into place), when they
   * differ from the record's: a file read again, one no longer asked about. Never throws: without
   * a record the next run reads every file, nothing worse.
   */
  save() {
    if (!this.file || (!this.dirty && this.now.size === this.held.size)) return false;
    const entries = Object.fromEntries([...this.now].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(join(this.file, ".."), { recursive: true });
      writeFileSync(tmp, JSON.stringify({ format: FORMAT, key: this.key, entries }));
      renameSync(tmp, this.file);
      pruneRecords(join(this.file, ".."));
      return true;
    } catch {
      return false;
    } finally {
      rmSync(tmp, { force: true });
    }
  }
}

/** A path's stat (size, mtime and ctime in ns, inode), links followed; undefined when there is nothing there. */
export function statOrUndefined(path) {
  try {
    return statSync(path, { bigint: true });
  } catch {
    return undefined;
  }
}

/**
 * The entries of `dir` but dot-files, in name order, each with its stat (links followed; an entry
 * gone meanwhile, or a dangling link, left out); none when `dir` is missing or not a folder.
 * Plain names and one stat each: cheaper at start-up than readdir's file types plus a stat of each file.
 */
export function filesIn(dir) {
  let names;
  try {
    names = readdirSync(dir);
  } catch (e) {
    if (e?.code === "ENOENT" || e?.code === "ENOTDIR") return [];
    throw e;
  }
  const prefix = dir.endsWith(sep) ? dir : dir + sep;
  const out = [];
  for (const name of names.sort()) {
    if (name.startsWith(".")) continue;
    const full = prefix + name;
    const st = statOrUndefined(full);
    if (st) out.push([full, st]);
  }
  return out;
}

/** Keeps the KEEP most recently written records (and no leftover temporary files older than a minute). */
function pruneRecords(dir) {
  const now = Date.now();
  const entries = readdirSync(dir).flatMap((name) => {
    try {
      return [{ name, mtime: statSync(join(dir, name)).mtimeMs }];
    } catch {
      return [];
    }
  });
  const records = entries.filter((e) => e.name.endsWith(".json")).sort((a, b) => b.mtime - a.mtime);
  const stale = [...records.slice(KEEP), ...entries.filter((e) => e.name.endsWith(".tmp") && now - e.mtime > 60_000)];
  for (const e of stale) rmSync(join(dir, e.name), { force: true });
}
