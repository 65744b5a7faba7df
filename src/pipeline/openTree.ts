// Opening a tree for writing (its lock, the files earlier builds wrote, what a killed build left)
// and releasing it: shared by the tree writer (write.ts) and the build's stage (stage.ts), which
// opens the tree before the first dashboard is emitted.
import { mkdirSync, readdirSync, rmdirSync, rmSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { EXIT, UserError } from "../errors.js";
import { ioError } from "./ioError.js";
import { acquireTreeLock, alive } from "./treeLock.js";
import { listTree, MANIFEST, ownedFiles, resolveOutDir, shown, swapLeftovers } from "./treeState.js";

export interface OpenOptions {
  /** How long to wait while another build writes the same tree (default 60 s). */
  lockWaitMs?: number;
  /** Where notices go (waiting for another build). */
  log?: (line: string) => void;
}

/** A tree opened for writing: its folder, lock, the files earlier builds wrote, and what is on disk. */
export interface OpenTree {
  root: string;
  shownRoot: string;
  /** The first folder this writer created for the root (removed again when the write fails). */
  created?: string;
  lock: ReturnType<typeof acquireTreeLock>;
  owned: Set<string>;
  listing: ReturnType<typeof listTree>;
  onDisk: Set<string>;
  /** Folders on disk (the listing's): a folder standing where a new file goes is known without a stat. */
  dirsOnDisk: Set<string>;
}

/**
 * Opens `outDir` for writing: refuses a folder another tool owns, creates it, takes the tree's lock
 * (waiting for another build), removes what a killed build left. Release with closeTree.
 */
export function openTree(outDir: string, opts: OpenOptions = {}): OpenTree {
  const shownRoot = shown(outDir);
  const root = resolveOutDir(outDir);
  ownedFiles(root, shownRoot); // refuse a foreign directory before writing anything into it
  let created: string | undefined;
  try {
    created = mkdirSync(root, { recursive: true });
  } catch (e) {
    throw ioError(e, "create", shownRoot);
  }
  let lock: ReturnType<typeof acquireTreeLock>;
  try {
    lock = acquireTreeLock(root, { waitMs: opts.lockWaitMs ?? 60_000, onWait: opts.log ?? ((l) => console.error(l)) });
  } catch (e) {
    if (created) removeEmptyUpTo(root, created);
    throw e;
  }
  try {
    const owned = ownedFiles(root, shownRoot, lock.inherited);
    const listing = listTree(root);
    for (const f of listing.litter) unlinkOrFail(f);
    for (const d of swapLeftovers(root, alive)) {
      try {
        rmSync(d, { recursive: true, force: true });
      } catch {
        // outside the tree and harmless: a failure to tidy it must not fail the build
      }
    }
    return { root, shownRoot, created, lock, owned, listing, onDisk: new Set(listing.files), dirsOnDisk: new Set(listing.dirs) };
  } catch (e) {
    closeTree({ root, created, lock }, false);
    throw e;
  }
}

/** Releases the tree's lock; after a failed first write, removes the folders it created. */
export function closeTree(tree: Pick<OpenTree, "root" | "created" | "lock">, ok: boolean): void {
  tree.lock.release();
  // A first build that failed leaves no empty folders behind.
  if (!ok && tree.created) removeEmptyUpTo(tree.root, tree.created);
}

/** The refusal to replace a file of the tree that no build wrote. */
export function notOwnedError(outDir: string, path: string): UserError {
  return new UserError(
    `${shown(join(outDir, path))}: exists but this build did not write it (not in ${MANIFEST}); refusing to overwrite it: move or delete it`,
    EXIT.usage,
    join(outDir, path),
  );
}

/** A file already compared with the tree and, when it differs, written to a flushed temporary beside it (src/pipeline/stage.ts). */
export interface StagedFile {
  /** The temporary holding its new content; null when the file on disk already holds it. */
  tmp: string | null;
  /** Its content on disk before (put back when a later rename fails); null when absent. */
  old: Buffer | null;
  /** Set when the file on disk is not this build's to replace. */
  refusal?: UserError;
}

/** Files staged before writeTree, in a tree the stage has already opened. */
export interface Staged {
  tree: OpenTree;
  files: ReadonlyMap<string, StagedFile>;
  /** Folders the stage created for its temporaries (removed again when the write fails). */
  createdDirs: string[];
}

/** Removes the empty folders under and including `dir`, then its parents up to `top` while they are empty. */
function removeEmptyUpTo(dir: string, top: string): void {
  const pruneBelow = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const child = join(d, n);
      pruneBelow(child);
      try {
        rmdirSync(child);
      } catch {
        // a file, or a folder that is not empty: keep it
      }
    }
  };
  pruneBelow(dir);
  pruneEmptyDirs(dirname(top), dir);
}

/** Removes `dir` and then its parents while they are empty, stopping below `root`. */
export function pruneEmptyDirs(root: string, dir: string): void {
  while (dir !== root && dir.startsWith(root)) {
    try {
      if (readdirSync(dir).length > 0) return;
      rmdirSync(dir);
    } catch {
      return; // busy (a mount point) or already gone: leave it
    }
    dir = dirname(dir);
  }
}

function unlinkOrFail(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw ioError(e, "remove", shown(path));
  }
}
