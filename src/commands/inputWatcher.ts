// What --watch listens to, made reliable. Recursive fs.watch on Linux can miss an edit (a directory
// created just before a file in it, a burst of saves while a rebuild runs), and a missed edit
// leaves the tree built from an older save. So: one non-recursive watcher per directory, armed on
// every directory that appears; a low-frequency poll of the files' sizes and modification times as
// a safety net; and the decision to rebuild taken on the files' contents (a digest of each), not on
// the events: a burst that changes nothing rebuilds nothing, and the files a rebuild was about are
// compared again after it, so the last save is always the one built. The poll names the files it
// found changed, so a save it sees after its event costs a look at that file, not at every input.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, watch as fsWatch, type Dirent, type FSWatcher, type Stats } from "node:fs";
import { dirname, join } from "node:path";

/** Files that are never inputs: hidden ones, editor backups, the writer's temporary files. */
const IGNORED = /(^|\/)\.|~$|\.tmp-\d+$|\.tmp$/;

/** Every input file below `dirs` (sorted), skipping hidden names and node_modules. */
export function inputFiles(dirs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      return; // removed meanwhile
    }
    for (const entry of entries) {
      const name = entry.name;
      if (IGNORED.test(name) || name === "node_modules") continue;
      const full = join(d, name);
      let isDir = entry.isDirectory();
      // A link is followed, as the watchers follow it; only links cost a stat.
      if (entry.isSymbolicLink()) {
        try {
          isDir = statSync(full).isDirectory();
        } catch {
          continue;
        }
      }
      if (isDir) walk(full);
      else out.push(full);
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

/**
 * Digests kept between snapshots, by path, with the file's identity when it was read (size,
 * modification and change times, inode): a file whose identity is unchanged is not read again. A
 * file changed within RACY_MS of being read may be changed again without its times moving (the
 * kernel's clock is coarse), so its digest is not trusted later: it is read again next time.
 */
export type DigestMemo = Map<string, { stat: string; digest: string; racy: boolean }>;

const RACY_MS = 1000;

const identity = (s: Stats) => `${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}`;

/** Path → digest of its content, for every input file; with `memo`, only files whose identity changed are read. */
export function snapshot(dirs: readonly string[], memo?: DigestMemo, files?: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const seen = memo && new Set<string>();
  for (const f of files ?? inputFiles(dirs)) {
    try {
      if (!memo) {
        out.set(f, createHash("sha1").update(readFileSync(f)).digest("hex"));
        continue;
      }
      seen!.add(f);
      const s = statSync(f);
      const id = identity(s);
      const known = memo.get(f);
      if (known && known.stat === id && !known.racy) {
        out.set(f, known.digest);
        continue;
      }
      const digest = createHash("sha1").update(readFileSync(f)).digest("hex");
      memo.set(f, { stat: id, digest, racy: Date.now() - Math.max(s.mtimeMs, s.ctimeMs) < RACY_MS });
      out.set(f, digest);
    } catch {
      // removed between listing and reading: absent
    }
  }
  // A full snapshot forgets the digests of files gone (a partial one cannot tell).
  if (memo && !files && dirs.length) {
    const under = dirs.map((d) => d + "/");
    for (const f of memo.keys()) if (!seen!.has(f) && under.some((d) => f.startsWith(d))) memo.delete(f);
  }
  return out;
}

/**
 * `previous` with the paths events named looked at again (a file read when its identity changed, a
 * directory walked again, a path gone dropped with what was below it): what snapshot() would give
 * when nothing else changed, without a stat of every input file on each save.
 */
export function refresh(previous: ReadonlyMap<string, string>, dirty: Iterable<string>, memo: DigestMemo): Map<string, string> {
  const out = new Map(previous);
  for (const path of new Set(dirty)) {
    const below = path + "/";
    for (const k of [...out.keys()]) if (k.startsWith(below)) out.delete(k);
    out.delete(path);
    if (path.split("/").some((seg) => seg === "node_modules" || IGNORED.test(seg))) continue; // never an input
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      continue; // gone
    }
    for (const [f, d] of snapshot(isDir ? [path] : [], memo, isDir ? undefined : [path])) out.set(f, d);
  }
  return out;
}

/** Paths added, removed or changed from `a` to `b`, sorted. */
export function changedPaths(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): string[] {
  const out = new Set<string>();
  for (const [p, d] of b) if (a.get(p) !== d) out.add(p);
  for (const p of a.keys()) if (!b.has(p)) out.add(p);
  return [...out].sort();
}

/** Size and modification time of each input file, by path: cheap, for the poll. */
export function statSignatures(dirs: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of inputFiles(dirs)) {
    try {
      const s = statSync(f);
      out.set(f, `${s.size}:${s.mtimeMs}`);
    } catch {
      // removed between listing and stat: absent
    }
  }
  return out;
}

export interface InputWatcher {
  close(): void;
}

/**
 * Calls `onEvent` (debounced by the caller) whenever something below `dirs` may have changed, with
 * the path that may have changed: one an event of a directory watcher named, or a file the poll
 * found with another size or modification time (or added, or gone); with none when anything may
 * have (a watcher lost).
 */
export function watchInputs(dirs: readonly string[], onEvent: (path?: string) => void, opts: { pollMs?: number } = {}): InputWatcher {
  const watchers = new Map<string, FSWatcher>();
  const arm = (dir: string) => {
    if (watchers.has(dir)) return;
    let w: FSWatcher;
    try {
      w = fsWatch(dir, (_event, name) => {
        if (name && IGNORED.test(String(name))) return;
        // A directory that appeared gets its own watcher (and its subdirectories theirs).
        if (name) armTree(join(dir, String(name)));
        onEvent(name ? join(dir, String(name)) : dir);
      });
    } catch {
      return; // gone already
    }
    w.on("error", () => {
      // The directory was removed: forget it (armed again if it comes back).
      w.close();
      watchers.delete(dir);
      onEvent();
    });
    watchers.set(dir, w);
  };
  const armTree = (dir: string) => {
    try {
      if (!statSync(dir).isDirectory()) return;
    } catch {
      return;
    }
    arm(dir);
    for (const name of readdirSync(dir)) if (!IGNORED.test(name) && name !== "node_modules") armTree(join(dir, name));
  };
  for (const d of dirs) armTree(d);

  // The folders of a path the poll found, up to the watched one: armed if an event was missed for one.
  const armAbove = (path: string) => {
    for (let d = dirname(path); dirs.some((top) => d === top || d.startsWith(top + "/")); d = dirname(d)) {
      if (!watchers.has(d)) armTree(d);
    }
  };
  let last = statSignatures(dirs);
  const poll = setInterval(() => {
    const now = statSignatures(dirs);
    const changed = changedPaths(last, now);
    last = now;
    for (const path of changed) {
      armAbove(path);
      onEvent(path);
    }
  }, opts.pollMs ?? 1000);
  poll.unref();
  return {
    close: () => {
      clearInterval(poll);
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
