// One file replaced atomically, the same way writeTree replaces each file of a tree: the new content
// into a temporary file beside it, fsync'd, renamed over the old one, the directory fsync'd. A reader
// sees the old file or the new one, never half; a failure leaves the old file and no temporary file.
import { renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { UserError } from "../errors.js";
import { ioError } from "./ioError.js";
import { createSynced, fsyncDir } from "./syncFile.js";
import { shown, tempName } from "./treeState.js";

let n = 0;

/** Throws a UserError (exit 3) naming the file when it cannot be written. */
export function writeFileAtomic(path: string, content: string): void {
  const tmp = join(dirname(path), tempName(basename(path), `w${n++}`));
  try {
    createSynced(tmp, content);
    renameSync(tmp, path);
    fsyncDir(dirname(path));
  } catch (e) {
    rmSync(tmp, { force: true });
    throw ioError(e, "write", shown(path)) as UserError;
  }
}
