// One build writes a tree at a time. The lock is a file created with O_EXCL in the tree's root; it
// holds the writer's pid and host, and the files the writer may create, so that if it is killed the
// next build still knows those files are its own. A lock whose process is gone is stale and taken over.
import { linkSync, readFileSync, renameSync, statSync, unlinkSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { EXIT, UserError } from "../errors.js";
import { ioError } from "./ioError.js";
import { createSynced, createUnsynced, sleepSync } from "./syncFile.js";
import { GENERATOR, LOCK, parseOwnedList, shown, tempName } from "./treeState.js";

export interface TreeLock {
  /** Files a killed build had announced (now owned by this build). */
  inherited: string[];
  /** Announces the files this build may write before it writes any. */
  announce(files: string[]): void;
  release(): void;
}

interface Holder {
  pid?: number;
  host?: string;
  pending: string[] | null;
  ageMs: number;
}

/** A lock file nobody could have finished writing in this long is stale even if unreadable. */
const UNREADABLE_STALE_MS = 10_000;

function content(pending: string[]): string {
  return JSON.stringify({ generator: GENERATOR, pid: process.pid, host: hostname(), pending: [...pending].sort() }) + "\n";
}

function readHolder(path: string): Holder | null {
  let text: string;
  let ageMs: number;
  try {
    text = readFileSync(path, "utf8");
    ageMs = Date.now() - statSync(path).mtimeMs;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw ioError(e, "read lock file", shown(path));
  }
  let doc: { pid?: unknown; host?: unknown } = {};
  try {
    doc = JSON.parse(text);
  } catch {
    // written by a process killed between creating and filling it: judged by age below
  }
  return {
    pid: typeof doc?.pid === "number" ? doc.pid : undefined,
    host: typeof doc?.host === "string" ? doc.host : undefined,
    pending: parseOwnedList(text, "pending"),
    ageMs,
  };
}

export function alive(pid: number): boolean {
  if (pid === process.pid) return false; // this process holds no lock while it asks (writes are synchronous)
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function isStale(h: Holder): boolean {
  if (h.pid === undefined) return h.ageMs > UNREADABLE_STALE_MS;
  return h.host === hostname() && !alive(h.pid);
}

/**
 * Takes a stale lock away by renaming it (atomic: of two builds doing this, one wins). If what was
 * renamed turns out to be a live lock that replaced the stale one in between, it is put back.
 */
function takeOver(path: string, judged: Holder): string[] | undefined {
  const aside = join(path, "..", tempName(LOCK, "stale"));
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw ioError(e, "take over stale lock file", shown(path));
  }
  const taken = readHolder(aside);
  try {
    if (taken && taken.pid !== judged.pid) {
      try {
        linkSync(aside, path);
      } catch {
        // another build holds a new lock by now; the one put aside is its predecessor's
      }
      return undefined;
    }
    return taken?.pending ?? [];
  } finally {
    try {
      unlinkSync(aside);
    } catch {
      // litter: removed by the next build
    }
  }
}

export interface LockOptions {
  /** How long to wait for another build to finish writing. */
  waitMs: number;
  onWait?: (message: string) => void;
}

export function acquireTreeLock(root: string, opts: LockOptions): TreeLock {
  const path = join(root, LOCK);
  const inherited: string[] = [];
  const deadline = Date.now() + opts.waitMs;
  let told = false;
  for (;;) {
    try {
      // Not flushed: it announces no file (announce() flushes the list before any is written), and
      // one a crash left empty is stale after UNREADABLE_STALE_MS. A flush here cost every rebuild.
      createUnsynced(path, content([]));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw ioError(e, "create lock file", shown(path), `; ${shown(root)} is unchanged`);
    }
    const holder = readHolder(path);
    if (!holder) continue;
    if (isStale(holder)) {
      inherited.push(...(takeOver(path, holder) ?? []));
      continue;
    }
    const who = holder.pid === undefined ? "another build" : `another build (pid ${holder.pid}${holder.host ? ` on ${holder.host}` : ""})`;
    if (Date.now() >= deadline) {
      throw new UserError(
        `${shown(root)}: ${who} is writing this tree; gave up after ${Math.round(opts.waitMs / 1000)} s. If no build is running, delete ${shown(path)}`,
        EXIT.io,
        path,
      );
    }
    if (!told) opts.onWait?.(`waiting for ${who} to finish writing ${shown(root)}`);
    told = true;
    sleepSync(50);
  }
  return {
    inherited,
    announce(files) {
      const tmp = join(root, tempName(LOCK, "announce"));
      try {
        createSynced(tmp, content(files));
        renameSync(tmp, path);
      } catch (e) {
        try {
          unlinkSync(tmp);
        } catch {
          // not created
        }
        throw ioError(e, "write lock file", shown(path), `; ${shown(root)} is unchanged`);
      }
    },
    release() {
      try {
        unlinkSync(path);
      } catch {
        // already gone; nothing to release
      }
    },
  };
}
