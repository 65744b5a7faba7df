// What --watch listens to, made reliable. Recursive fs.watch on Linux can miss an edit (a directory
// created just before a file in it, a burst of saves while a rebuild runs), and a missed edit
// leaves the tree built from an older save. So: one non-recursive watcher per directory, armed on
// every directory that appears; a low-frequency poll of the files' sizes and modification times as
// a safety net; and the decision to rebuild taken on the files' contents (a digest of each), not on
// the events: a burst that changes nothing rebuilds nothing, and the contents are compared again
// after every rebuild, so the last save is always the one built.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, watch as fsWatch, type FSWatcher } from "node:fs";
import { join } from "node:path";

/** Files that are never inputs: hidden ones, editor backups, the writer's temporary files. */
const IGNORED = /(^|\/)\.|~$|\.tmp-\d+$|\.tmp$/;

/** Every input file below `dirs` (sorted), skipping hidden names and node_modules. */
export function inputFiles(dirs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return; // removed meanwhile
    }
    for (const name of names) {
      if (IGNORED.test(name) || name === "node_modules") continue;
      const full = join(d, name);
      let isDir: boolean;
      try {
        isDir = statSync(full).isDirectory();
      } catch {
        continue;
      }
      if (isDir) walk(full);
      else out.push(full);
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

/** Path → digest of its content, for every input file. */
export function snapshot(dirs: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of inputFiles(dirs)) {
    try {
      out.set(f, createHash("sha1").update(readFileSync(f)).digest("hex"));
    } catch {
      // removed between listing and reading: absent
    }
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

/** Sizes and modification times of the input files: cheap, for the poll. */
function statSignature(dirs: readonly string[]): string {
  return inputFiles(dirs)
    .map((f) => {
      try {
        const s = statSync(f);
        return `${f}\0${s.size}\0${s.mtimeMs}`;
      } catch {
        return "";
      }
    })
    .join("\n");
}

export interface InputWatcher {
  close(): void;
}

/**
 * Calls `onEvent` (debounced by the caller) whenever something below `dirs` may have changed: an
 * event of a directory watcher, or the poll seeing another size or modification time.
 */
export function watchInputs(dirs: readonly string[], onEvent: () => void, opts: { pollMs?: number } = {}): InputWatcher {
  const watchers = new Map<string, FSWatcher>();
  const arm = (dir: string) => {
    if (watchers.has(dir)) return;
    let w: FSWatcher;
    try {
      w = fsWatch(dir, (_event, name) => {
        if (name && IGNORED.test(String(name))) return;
        // A directory that appeared gets its own watcher (and its subdirectories theirs).
        if (name) armTree(join(dir, String(name)));
        onEvent();
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

  let last = statSignature(dirs);
  const poll = setInterval(() => {
    const now = statSignature(dirs);
    if (now !== last) {
      last = now;
      for (const d of dirs) armTree(d);
      onEvent();
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
