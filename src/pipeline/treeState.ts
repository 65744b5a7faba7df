// What the output tree holds and who owns it. The build owns exactly the files its manifest lists
// (plus those a killed build had announced in its lock file); everything else in the tree is
// foreign and is never overwritten or deleted.
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative } from "node:path";
import { EXIT, UserError } from "../errors.js";
import { ioError } from "./ioError.js";

export const GENERATOR = "grafana-as-code";
/** Lists the files this build owns, so a later build knows what it may replace or delete. */
export const MANIFEST = ".manifest.json";
/** Held while a build writes the tree; names the files it may have written if it is killed. */
export const LOCK = ".grafana-as-code.lock";
/** Temporary files the writer creates (`.<name>.tmp-<pid>-<n>`); any left over is litter of a killed build. */
export const TEMP_FILE = /^\..*\.tmp-\d+-\w+$/;

export const tempName = (name: string, tag: string | number) => `.${name}.tmp-${process.pid}-${tag}`;

/** A path for messages: relative to the working directory when below it. */
export function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

/** A relative, normalised path inside the tree: what a manifest may list (never `..`, never absolute). */
export function isTreePath(p: unknown): p is string {
  if (typeof p !== "string" || p === "" || p.includes("\\") || p.includes("\0") || p.startsWith("/")) return false;
  return p.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

/** Parses a manifest or lock file's JSON; null when it is not this tool's (wrong shape or generator). */
export function parseOwnedList(text: string, key: "files" | "pending"): string[] | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return null;
  const o = doc as Record<string, unknown>;
  const list = o[key];
  if (o.generator !== GENERATOR || !Array.isArray(list) || !list.every(isTreePath)) return null;
  return list as string[];
}

/**
 * The output directory to write into. A symbolic link is followed (the link stays, the directory it
 * points to keeps its identity); a dangling link or a path that is not a directory is refused.
 */
export function resolveOutDir(out: string): string {
  let st;
  try {
    st = lstatSync(out);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return out;
    throw ioError(e, "read", shown(out));
  }
  if (st.isSymbolicLink() && !existsSync(out)) {
    throw new UserError(`${shown(out)}: output path is a symbolic link to a path that does not exist; create the target directory or point --out elsewhere`, EXIT.usage, out);
  }
  let real: string;
  try {
    real = realpathSync(out);
    if (!statSync(real).isDirectory()) throw new UserError(`${shown(out)}: output path exists and is not a directory`, EXIT.usage, out);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw ioError(e, "read", shown(out));
  }
  return real;
}

export interface TreeListing {
  /** Files below the root, relative, excluding the manifest, the lock and litter. */
  files: string[];
  /** Temporary files a killed build left behind (absolute paths). */
  litter: string[];
  /** Folders below the root, relative (not symbolic links to them). */
  dirs: string[];
}

/** Every file below `root`; directories are descended (not symbolic links to them). */
export function listTree(root: string): TreeListing {
  const files: string[] = [];
  const litter: string[] = [];
  const dirs: string[] = [];
  // `rel`: the folder's path in the tree, "/"-separated (built as it goes: a thousand relative() calls showed in --watch's profile).
  const walk = (dir: string, rel: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      throw ioError(e, "read", shown(dir));
    }
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        dirs.push(rel + e.name);
        walk(full, rel + e.name + "/");
      }
      else if (TEMP_FILE.test(e.name)) litter.push(full);
      else if (rel !== "" || (e.name !== MANIFEST && e.name !== LOCK)) files.push(rel + e.name);
    }
  };
  if (existsSync(root)) walk(root, "");
  return { files: files.sort(), litter: litter.sort(), dirs };
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw ioError(e, "read", shown(path));
  }
}

/**
 * The files a previous build wrote into `root` (its manifest, plus what a killed build announced in
 * `inherited`). Refuses a directory another tool owns: a manifest of another shape or generator,
 * or a non-empty directory with neither manifest nor lock of this tool.
 */
export function ownedFiles(root: string, shownRoot: string, inherited: string[] = []): Set<string> {
  const owned = new Set(inherited);
  if (!existsSync(root)) return owned;
  const manifestPath = join(root, MANIFEST);
  const text = readText(manifestPath);
  if (text !== null) {
    const files = parseOwnedList(text, "files");
    if (!files) {
      throw new UserError(
        `${shown(join(shownRoot, MANIFEST))}: not a manifest of this build (expected {"generator": "${GENERATOR}", "files": [relative paths]}); refusing to write into a directory another tool owns; choose an empty or new --out directory`,
        EXIT.usage,
        manifestPath,
      );
    }
    for (const f of files) owned.add(f);
    return owned;
  }
  const lockText = readText(join(root, LOCK));
  const pending = lockText === null ? null : parseOwnedList(lockText, "pending");
  if (pending) return new Set([...owned, ...pending]);
  if (owned.size === 0 && listTree(root).files.length > 0) {
    throw new UserError(
      `${shownRoot}: refusing to write into a non-empty directory this build did not write (no ${MANIFEST}); choose an empty or new --out directory`,
      EXIT.usage,
      root,
    );
  }
  return owned;
}

/**
 * Sibling directories `<out>.tmp-<pid>` / `<out>.old-<pid>` that the earlier whole-directory swap
 * left when it was killed: those of a process that is gone and holding this tool's manifest.
 */
export function swapLeftovers(root: string, alive: (pid: number) => boolean): string[] {
  const parent = dirname(root);
  const pattern = new RegExp(`^${basename(root).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(tmp|old)-(\\d+)$`);
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  return names
    .filter((n) => {
      const m = pattern.exec(n);
      if (!m || alive(Number(m[2]))) return false;
      try {
        return parseOwnedList(readFileSync(join(parent, n, MANIFEST), "utf8"), "files") !== null;
      } catch {
        return false; // unreadable or no manifest: not known to be this tool's
      }
    })
    .map((n) => join(parent, n))
    .sort();
}
