// Durable file creation for the output tree writer and its lock.
import { closeSync, fsyncSync, openSync, unlinkSync, writeSync } from "node:fs";

/**
 * Creates `path` (never an existing file) holding `content`, flushed to disk. A write can be short
 * when the disk fills, so it loops until every byte is down; on any failure the file is removed.
 */
export function createSynced(path: string, content: string | Uint8Array): void {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  const fd = openSync(path, "wx");
  try {
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(path);
    throw e;
  }
  closeSync(fd);
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

/** Blocks this thread (the writer is synchronous, so no other work can interleave with it). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
