// Durable file creation for the output tree writer and its lock.
import { close, closeSync, fsync, fsyncSync, openSync, unlinkSync, writeSync, writevSync } from "node:fs";
import { open } from "node:fs/promises";
import type { Content } from "./content.js";

/**
 * Creates `path` (never an existing file) holding `content`, flushed to disk. A write can be short
 * when the disk fills, so it loops until every byte is down; on any failure the file is removed.
 */
export function createSynced(path: string, content: Content): void {
  const fd = createOpen(path, content);
  try {
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(path);
    throw e;
  }
  closeSync(fd);
}

/**
 * Creates `path` (never an existing file) holding `content`, not yet flushed: the tree writer writes
 * every temporary file first, then flushes them together (flushAll) before the first rename.
 */
export function createUnsynced(path: string, content: Content): void {
  closeSync(createOpen(path, content));
}

/**
 * createUnsynced, but the descriptor that wrote the file is returned open: the caller flushes through
 * it (syncAndClose) instead of opening the file a second time only to flush it.
 */
export function createOpen(path: string, content: Content): number {
  const fd = openSync(path, "wx");
  try {
    if (typeof content === "string") {
      // A string is written as it is (Node encodes it for the one call): a build writes a thousand
      // files, and a Buffer of each kept tens of megabytes alive until the next collection.
      const first = writeSync(fd, content, null, "utf8");
      if (first < Buffer.byteLength(content, "utf8")) writeAll(fd, Buffer.from(content, "utf8"), first);
    } else if (content instanceof Uint8Array) writeAll(fd, content);
    else writeParts(fd, content);
  } catch (e) {
    closeSync(fd);
    unlinkSync(path);
    throw e;
  }
  return fd;
}

/** Flushes an open file to disk on libuv's thread pool, then closes it (closed even when the flush fails). */
export function syncAndClose(fd: number): Promise<void> {
  return new Promise((resolve, reject) =>
    fsync(fd, (failed) =>
      close(fd, (closeFailed) => {
        if (failed ?? closeFailed) reject(failed ?? closeFailed);
        else resolve();
      }),
    ),
  );
}

/** Writes `bytes` from `from` on, looping over short writes. */
function writeAll(fd: number, bytes: Uint8Array, from = 0): void {
  for (let off = from; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
}

/** Writes the parts in order: gathered (one writev), then part by part from wherever a short write stopped. */
function writeParts(fd: number, parts: readonly Uint8Array[]): void {
  let done = parts.length ? writevSync(fd, parts as Uint8Array[]) : 0;
  for (const p of parts) {
    if (done >= p.byteLength) {
      done -= p.byteLength;
      continue;
    }
    writeAll(fd, p, done);
    done = 0;
  }
}

/** A flush that failed, naming its file. */
export class FlushError extends Error {
  constructor(
    readonly path: string,
    readonly cause: unknown,
  ) {
    super((cause as Error)?.message ?? String(cause));
  }
}

/** Opens a file (or folder) only to flush it to disk on libuv's thread pool, then closes it. */
export async function flushFile(path: string): Promise<void> {
  const fh = await open(path, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * fsyncs every file, `concurrency` at a time on libuv's thread pool: one after another, each flush
 * waits for its own journal commit; in flight together, the file system commits them in batches.
 * Resolves once all are down; when one fails, waits for the others to settle (so none is still
 * open) and rejects with the first failure.
 */
export async function flushAll(paths: string[], concurrency = 8): Promise<void> {
  let next = 0;
  let failed: FlushError | undefined;
  const worker = async (): Promise<void> => {
    while (next < paths.length && !failed) {
      const path = paths[next++];
      try {
        await flushFile(path);
      } catch (e) {
        failed ??= new FlushError(path, e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
  if (failed) throw failed;
}

/** Flushes a directory's entries (renames, removals) to disk where the file system allows it. */
export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some file systems refuse fsync on a directory; the renames are still atomic
  }
}

/**
 * fsyncDir for several folders, all in flight at once on libuv's thread pool: one after another,
 * each waits for its own journal commit; together, the file system commits them in one or two.
 */
export async function fsyncDirs(dirs: Iterable<string>): Promise<void> {
  await Promise.all(
    [...dirs].map((dir) =>
      flushFile(dir).catch(() => {
        // as fsyncDir: gone since, or a file system that refuses it
      }),
    ),
  );
}

/** Blocks this thread (the writer's test seam: a build paused here is killed from outside). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
