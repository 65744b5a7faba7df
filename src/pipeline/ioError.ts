// A file-system failure the user can act on (read-only mount, full disk, permissions) becomes one
// message naming the path, with the I/O exit code; anything else is a defect and keeps its stack.
import { EXIT, UserError } from "../errors.js";

const REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted (immutable or protected file?)",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EIO: "input/output error",
  EBUSY: "resource busy",
  EMFILE: "too many open files",
  ENFILE: "too many open files",
  ENOTDIR: "a path component is not a directory",
  EISDIR: "is a directory",
  EEXIST: "already exists",
  ENOENT: "no such file or directory",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "name too long",
  EXDEV: "cross-device link",
};

export function isIoFailure(e: unknown): e is NodeJS.ErrnoException {
  return typeof (e as NodeJS.ErrnoException)?.code === "string" && (e as NodeJS.ErrnoException).code! in REASONS;
}

/** `cannot <action> <path>: <reason> (<CODE>)<tail>` as a UserError with exit 3; rethrows defects. */
export function ioError(e: unknown, action: string, path: string, tail = ""): UserError {
  if (!isIoFailure(e)) throw e;
  return new UserError(`cannot ${action} ${path}: ${REASONS[e.code!]} (${e.code})${tail}`, EXIT.io, path);
}
