// How every command ends on a failure: one message, a stable exit code, a stack only with --debug
// (or GRAFANA_AS_CODE_DEBUG=1). Plain JavaScript so the build's launcher uses it before anything is
// compiled; the TypeScript commands import it too (types in report.d.mts). Errors are recognised by
// shape, not class, because the launcher cannot load src/errors.ts.

/** Exit codes, as EXIT in src/errors.ts: 1 invalid input, 2 usage, 3 remote or I/O. */
const INVALID = 1;
const IO = 3;

const SYSTEM_ERRORS = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EISDIR: "is a directory",
  ENOTDIR: "not a directory",
  EROFS: "read-only file system",
  EEXIST: "already exists",
  ENOTEMPTY: "directory not empty",
  EMFILE: "too many open files",
  EBUSY: "resource busy",
  EXDEV: "cannot move across file systems",
  ENAMETOOLONG: "file name too long",
  ELOOP: "too many symbolic links",
  EIO: "input/output error",
};

export function debugRequested(argv = process.argv, env = process.env) {
  return argv.includes("--debug") || env.GRAFANA_AS_CODE_DEBUG === "1";
}

/** A Node.js system error (a failed read, write, rename …): it has a code such as ENOENT and a syscall. */
export function isSystemError(e) {
  return typeof e === "object" && e !== null && typeof e.code === "string" && /^E[A-Z0-9]+$/.test(e.code) && typeof e.syscall === "string";
}

/** One line for a system error: the path, what went wrong, and the operation. */
export function systemErrorLine(e) {
  const what = SYSTEM_ERRORS[e.code] ?? e.code;
  const paths = [e.path, e.dest].filter(Boolean).join(" → ");
  return `${paths || "(no path)"}: ${what} (${e.code}, ${e.syscall})`;
}

/** The text and exit code a failure is reported with. */
export function describeFailure(e, { debug = false } = {}) {
  let text;
  let exitCode;
  if (e?.name === "BuildError" && Array.isArray(e.problems)) {
    text = e.message;
    exitCode = INVALID;
  } else if (e?.name === "UserError" && typeof e.exitCode === "number") {
    text = e.file && !e.message.includes(e.file) ? `${e.file}: ${e.message}` : e.message;
    exitCode = e.exitCode;
  } else if (isSystemError(e)) {
    text = systemErrorLine(e);
    exitCode = IO;
  } else {
    const message = e instanceof Error ? e.message : String(e);
    text = `internal error: ${message}${debug ? "" : "\n(re-run with --debug, or GRAFANA_AS_CODE_DEBUG=1, to see where)"}`;
    exitCode = INVALID;
  }
  if (debug && e instanceof Error && e.stack) text += `\n\n${e.stack}`;
  return { text, exitCode };
}

/**
 * Runs a command's main function and sets the exit code: its return value, or the failure's code
 * after printing one message to stderr. Uncaught errors from callbacks and timers end the same way.
 */
export async function runCommand(main, { debug = debugRequested() } = {}) {
  const fail = (e) => {
    const { text, exitCode } = describeFailure(e, { debug });
    console.error(text);
    process.exitCode = exitCode;
    return exitCode;
  };
  const onUncaught = (e) => process.exit(fail(e));
  process.on("uncaughtException", onUncaught);
  process.on("unhandledRejection", onUncaught);
  try {
    const code = await main();
    process.exitCode = code;
    return code;
  } catch (e) {
    return fail(e);
  }
}
