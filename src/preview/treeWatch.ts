// Follows the dashboards of an emitted tree for `--serve`: calls `onChange` with every dashboard's
// JSON whenever their content changes, one call at a time, the last one always on the latest content.
// Three ways to notice, because file events alone get lost (renames over a watched file, folders made
// after the watch started, a busy machine): a watcher on every folder (re-listed on each event), a
// content hash of the whole set compared on each event, and a timer that compares it anyway.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, watch as fsWatch, type FSWatcher } from "node:fs";
import { join } from "node:path";

export interface TreeFileText {
  /** Relative to the watched folder, "/"-separated, sorted. */
  path: string;
  text: string;
}

export interface TreeWatcher {
  /** Resolves when the latest content has been handed to onChange and onChange has finished. */
  settled(): Promise<void>;
  close(): void;
}

export interface TreeWatchOptions {
  /** Safety-net comparison period (ms). Default 400. */
  pollMs?: number;
  /** false: no folder watchers, only the timer (tests of the safety net). */
  events?: boolean;
  /** A failure of onChange (called again on the next change, not for the same content). */
  onError?: (e: unknown) => void;
}

/** The JSON files below `dir` (temporary and hidden files left out); files that vanish while read are skipped. */
export function readJsonFiles(dir: string): TreeFileText[] {
  const out: TreeFileText[] = [];
  const walk = (d: string, rel: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return; // removed meanwhile
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith(".") || e.name.includes(".tmp-")) continue;
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), path);
      else if (e.name.endsWith(".json")) {
        try {
          out.push({ path, text: readFileSync(join(d, e.name), "utf8") });
        } catch {
          // replaced or removed between listing and reading: the next comparison sees the new one
        }
      }
    }
  };
  walk(dir, "");
  return out;
}

export function watchTree(
  dir: string,
  onChange: (files: TreeFileText[]) => Promise<void>,
  opts: TreeWatchOptions = {},
): TreeWatcher {
  const watchers = new Map<string, FSWatcher>();
  let last = "";
  let closed = false;
  let running: Promise<void> | undefined;
  let again = false;
  let waiters: (() => void)[] = [];

  const digest = (files: TreeFileText[]) => {
    const h = createHash("sha256");
    for (const f of files) h.update(f.path).update("\0").update(f.text).update("\0");
    return h.digest("hex");
  };

  /** A watcher on every folder of the tree (new folders are picked up on the next event or tick). */
  const watchFolders = () => {
    const folders = new Set<string>();
    const walk = (d: string) => {
      folders.add(d);
      try {
        for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name));
      } catch {
        // removed meanwhile
      }
    };
    walk(dir);
    for (const [d, w] of watchers) if (!folders.has(d)) (w.close(), watchers.delete(d));
    for (const d of folders) {
      if (watchers.has(d) || opts.events === false) continue;
      try {
        const w = fsWatch(d, () => check());
        w.on("error", () => (w.close(), watchers.delete(d)));
        watchers.set(d, w);
      } catch {
        // gone again; the timer still compares
      }
    }
  };

  // One onChange at a time; a change noticed during one runs another after it, on what is there then.
  const check = (): void => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        watchFolders();
        const files = readJsonFiles(dir);
        const d = digest(files);
        if (d === last) continue;
        last = d; // also when onChange fails: it is tried again on the next change, not on every tick
        try {
          await onChange(files);
        } catch (e) {
          opts.onError?.(e);
        }
      } while (again && !closed);
    })().finally(() => {
      running = undefined;
      const w = waiters;
      waiters = [];
      for (const r of w) r();
    });
  };

  const timer = setInterval(check, opts.pollMs ?? 400);
  timer.unref();
  check();
  return {
    settled: () =>
      new Promise<void>((r) => {
        check();
        if (!running) r();
        else waiters.push(r);
      }),
    close: () => {
      closed = true;
      clearInterval(timer);
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
