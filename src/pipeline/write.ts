// Step 4: write the tree, one file at a time, atomically. Directories keep their identity (bind
// mounts, Grafana's file provider and Prometheus' rule reload watch files inside the directories they
// were given): each changed file is written to a temporary file beside it, fsync'd, and renamed over
// the old one; unchanged files are not touched; files the build no longer produces are removed last.
// All temporary files are written and flushed (concurrently: one by one, the flushes were a fifth of
// a large build) before the first rename, so a full disk or a read-only folder fails with the old
// tree intact; a failure after that puts the old files back.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { EXIT, UserError } from "../errors.js";
import type { OutputFile } from "../model/tree.js";
import { byteLength, sameBytes, type Content } from "./content.js";
import { readUnlessSame, SAME } from "./onDisk.js";
import { ioError } from "./ioError.js";
import { closeTree, notOwnedError, openTree, pruneEmptyDirs, type OpenTree, type Staged } from "./openTree.js";
import { createSynced, createUnsynced, FlushError, flushAll, fsyncDirs, sleepSync } from "./syncFile.js";
import { GENERATOR, listTree, MANIFEST, resolveOutDir, shown, tempName } from "./treeState.js";
import { compareText } from "../emit/textOrder.js";

export { MANIFEST } from "./treeState.js";
export { closeTree, openTree, type OpenTree, type Staged, type StagedFile } from "./openTree.js";

export type { OutputFile } from "../model/tree.js";

/** What the writer accepts: the build's text files, or bytes (the preview's images). */
export interface WritableFile {
  path: string;
  content: string | Uint8Array;
  /** The content already encoded (UTF-8): written as it is, `content` not read. */
  bytes?: Uint8Array;
  /** The same, in parts (the Ops index): compared and written part by part, never joined; before `bytes`. */
  parts?: readonly Uint8Array[];
}

/** What the writer writes for a file: its parts, its bytes, or its text. */
export function givenContent(f: WritableFile): Content {
  return f.parts ?? f.bytes ?? f.content;
}

/** Bytes on disk equal to what a file should hold. */
export function sameContent(old: Content | null, content: Content): boolean {
  // The length first: a changed file is usually another size, and then nothing is encoded.
  return old !== null && byteLength(old) === byteLength(content) && sameBytes(old, content);
}

function manifest(files: WritableFile[]): OutputFile {
  return {
    path: MANIFEST,
    content: JSON.stringify({ generator: GENERATOR, files: files.map((f) => f.path).sort() }, null, 2) + "\n",
  };
}

export function withManifest<F extends WritableFile>(files: F[]): (F | OutputFile)[] {
  return [...files, manifest(files)].sort((a, b) => compareText(a.path, b.path));
}

export interface WriteOptions {
  /** Allow a build to remove every dashboard or every rule file of the tree. */
  allowEmpty?: boolean;
  /** How long to wait while another build writes the same tree (default 60 s). */
  lockWaitMs?: number;
  /** Where notices go (waiting for another build). */
  log?: (line: string) => void;
  /**
   * What this writer itself last wrote into the tree (--watch keeps it): a file on disk whose new
   * text equals it is taken as unchanged without being read; one whose text changed is not read
   * either when its size is still that of what was written (that text is then what a failed write
   * puts back).
   */
  previous?: ReadonlyMap<string, Content>;
}

export interface WriteResult {
  written: number;
  /** Files created, replaced or removed (tree-relative). */
  changed: string[];
  /** Files in the tree that no build wrote: kept untouched. */
  foreign: string[];
}

/** The warning for a file in the tree that no build wrote (it is kept). */
export function foreignWarning(outDir: string, path: string): string {
  return `warning[foreign-file] ${shown(join(outDir, path))}: not written by this build (not in ${MANIFEST}); kept`;
}

const DASHBOARD = /^grafana\/provisioning\/dashboards\/.+\.json$/;
const RULE_FILE = /^(prometheus\/rules|grafana\/provisioning\/alerting)\/[^/]+\.ya?ml$/;

/** Test seam: pause (to be killed) after this many write steps. Set only by the writer's tests. */
const PAUSE_AFTER = Number(process.env.GRAFANA_AS_CODE_TEST_WRITE_PAUSE ?? NaN);

function readIfExists(path: string): Buffer | null {
  return orAbsent(path, () => readFileSync(path));
}

/** The same, or SAME when the file holds exactly `content` (then compared without new buffers: src/pipeline/onDisk.ts). */
function readUnlessHolds(path: string, content: string): Buffer | typeof SAME | null {
  return orAbsent(path, () => readUnlessSame(path, content));
}

/** What `read` gives; null for a file that is not there; a folder in its place or an I/O error as the build reports them. */
function orAbsent<T>(path: string, read: () => T): T | null {
  try {
    return read();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    if (code === "EISDIR") throw new UserError(`${shown(path)}: is a directory where the build writes a file`, EXIT.usage, path);
    throw ioError(e, "read", shown(path));
  }
}

/** Whether a file's new content is what this writer wrote there last. */
function sameGiven(last: Content, given: Content): boolean {
  if (typeof last === "string" || typeof given === "string") return last === given;
  return sameBytes(last, given);
}

/**
 * What this writer wrote last at `path`, as the bytes on disk (to compare and to put back), when the
 * file's size still says it is that: a changed file is then not read (the Ops index is megabytes).
 */
function lastOnDisk(path: string, last: Content): Content | null {
  const size = statSync(path, { throwIfNoEntry: false })?.size;
  return size === byteLength(last) ? last : null;
}

function refuseShrink(owned: string[], next: string[], what: string, pattern: RegExp, shownRoot: string): UserError | undefined {
  const before = owned.filter((p) => pattern.test(p)).length;
  if (before === 0 || next.some((p) => pattern.test(p))) return undefined;
  return new UserError(
    `${shownRoot}: this build would remove every ${what} of the tree (${before}) and write none; check --dashboards and the definitions, or pass --allow-empty to empty it on purpose`,
    EXIT.usage,
  );
}

export async function writeTree(outDir: string, files: WritableFile[], opts: WriteOptions & { staged?: Staged } = {}): Promise<WriteResult> {
  const tree = opts.staged?.tree ?? openTree(outDir, opts);
  let ok = false;
  try {
    const result = await commitTree(outDir, tree, files, opts);
    ok = true;
    return result;
  } finally {
    // A stage's tree is closed by its owner, which also removes its temporaries.
    if (!opts.staged) closeTree(tree, ok);
  }
}

async function commitTree(outDir: string, tree: OpenTree, files: WritableFile[], opts: WriteOptions & { staged?: Staged }): Promise<WriteResult> {
  const all = withManifest(files);
  const { root, shownRoot, owned, listing, onDisk, lock } = tree;
  const ownedPresent = [...owned].filter((p) => onDisk.has(p));
  if (!opts.allowEmpty) {
    const next = all.map((f) => f.path);
    const refusal = refuseShrink(ownedPresent, next, "dashboard", DASHBOARD, shownRoot) ?? refuseShrink(ownedPresent, next, "rule file", RULE_FILE, shownRoot);
    if (refusal) throw refusal;
  }

  const nextPaths = new Set(all.map((f) => f.path));
  const changes: Change[] = [];
  for (const f of all) {
    const staged = opts.staged?.files.get(f.path);
    if (staged) {
      if (staged.refusal) throw staged.refusal;
      if (staged.tmp !== null) changes.push({ path: f.path, content: "", old: staged.old, tmp: staged.tmp });
      continue;
    }
    const given = givenContent(f as WritableFile);
    const last = onDisk.has(f.path) && owned.has(f.path) ? opts.previous?.get(f.path) : undefined;
    if (last !== undefined && sameGiven(last, given)) continue;
    // Kept as given until written (a string is encoded by the write itself): an encoded copy of
    // each of 1,000 files held until the write was tens of megabytes of peak memory.
    const content = given;
    const path = join(root, f.path);
    const known = last !== undefined ? lastOnDisk(path, last) : null;
    let old: Content | null;
    if (known !== null) {
      if (sameContent(known, content)) continue;
      old = known;
    } else if (typeof content === "string") {
      const found = readUnlessHolds(path, content);
      if (found === SAME) continue;
      old = found;
    } else {
      old = readIfExists(path);
      if (sameContent(old, content)) continue;
    }
    if (old !== null && f.path !== MANIFEST && !owned.has(f.path)) throw notOwnedError(outDir, f.path);
    changes.push({ path: f.path, content, old });
  }
  const removals: Change[] = [...owned]
    .filter((p) => !nextPaths.has(p) && onDisk.has(p))
    .sort()
    .map((p) => ({ path: p, content: null, old: readIfExists(join(root, p)) }));
  const foreign = listing.files.filter((p) => !owned.has(p) && !nextPaths.has(p));

  if (changes.length || removals.length) {
    lock.announce([...new Set([...owned, ...nextPaths])]);
    await apply(root, shownRoot, changes, removals, opts.staged?.createdDirs);
  }
  return { written: all.length, changed: [...changes, ...removals].map((c) => c.path).sort(), foreign };
}

interface Change {
  path: string;
  /** New content; null to remove. */
  content: Content | null;
  /** Content on disk before; null when absent. */
  old: Content | null;
  /** A temporary already holding `content`, flushed (staged): only renamed. */
  tmp?: string;
}

let steps = 0;
function step(): void {
  steps++;
  if (steps === PAUSE_AFTER) {
    process.stderr.write(`write paused after ${steps} steps\n`);
    sleepSync(600_000);
  }
}

async function apply(root: string, shownRoot: string, changes: Change[], removals: Change[], stagedDirs: string[] = []): Promise<void> {
  steps = 0;
  const manifestChange = changes.find((c) => c.path === MANIFEST);
  const fileChanges = changes.filter((c) => c !== manifestChange);
  const temps = new Map<Change, string>();
  const createdDirs: string[] = [...stagedDirs];
  for (const c of changes) if (c.tmp) temps.set(c, c.tmp);
  const done: Change[] = [];
  let failedAt = shownRoot;
  try {
    // 1. every new content into a temporary file beside its target (but those already staged)
    const written: string[] = [];
    for (const c of changes) {
      if (c.tmp) continue;
      const target = join(root, c.path);
      failedAt = shown(target);
      const dir = dirname(target);
      if (!existsSync(dir)) {
        const first = mkdirSync(dir, { recursive: true });
        if (first) createdDirs.push(first);
      }
      const tmp = join(dir, tempName(basename(target), steps));
      createUnsynced(tmp, c.content!);
      temps.set(c, tmp);
      written.push(tmp);
      step();
    }
    // ... and every one of them on disk before the first rename
    try {
      await flushAll(written);
    } catch (e) {
      if (!(e instanceof FlushError)) throw e;
      const c = [...temps].find(([, tmp]) => tmp === e.path)?.[0];
      if (c) failedAt = shown(join(root, c.path));
      throw e.cause;
    }
    // 2. rename each over its target, then remove what is no longer built, then the manifest
    const dirs = new Set<string>();
    for (const c of [...fileChanges, ...removals, ...(manifestChange ? [manifestChange] : [])]) {
      const target = join(root, c.path);
      failedAt = shown(target);
      if (c.content === null) {
        unlinkSync(target);
        pruneEmptyDirs(root, dirname(target));
      } else {
        renameSync(temps.get(c)!, target);
        temps.delete(c);
      }
      done.push(c);
      dirs.add(dirname(target));
      step();
    }
    await fsyncDirs(dirs);
  } catch (e) {
    const restoreFailed = rollBack(root, done, temps, createdDirs);
    const tail = restoreFailed.length
      ? `; could not restore ${restoreFailed.map((p) => shown(join(root, p))).join(", ")}`
      : `; ${shownRoot} is unchanged`;
    throw ioError(e, "write", failedAt, tail);
  }
}

/** Puts back the old content of every file already replaced or removed; returns what it could not. */
function rollBack(root: string, done: Change[], temps: Map<Change, string>, createdDirs: string[]): string[] {
  for (const tmp of [...temps.values()]) {
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
  }
  const failed: string[] = [];
  for (const c of done.reverse()) {
    const target = join(root, c.path);
    try {
      if (c.old === null) unlinkSync(target);
      else {
        mkdirSync(dirname(target), { recursive: true });
        const tmp = join(dirname(target), tempName(basename(target), "restore"));
        createSynced(tmp, c.old);
        renameSync(tmp, target);
      }
    } catch {
      failed.push(c.path);
    }
  }
  // Directories this build created, from the deepest: removed again when empty.
  const dirs = [...temps.keys(), ...done].map((c) => dirname(join(root, c.path)));
  for (const d of dirs.sort((a, b) => b.length - a.length)) {
    const top = createdDirs.find((c) => d === c || d.startsWith(c + "/"));
    if (top) pruneEmptyDirs(dirname(top), d);
  }
  return failed;
}

export interface TreeDifference {
  path: string;
  kind: "changed" | "missing" | "stale";
}

/** What differs between the files a build produces and what is on disk (for --check). */
export function diffTree(outDir: string, files: OutputFile[]): TreeDifference[] {
  const all = files.some((f) => f.path === MANIFEST) ? files : withManifest(files);
  const root = resolveOutDir(outDir);
  const listing = listTree(root);
  const onDisk = new Set([...listing.files, ...listing.litter.map((p) => p.slice(root.length + 1))]);
  if (existsSync(join(root, MANIFEST))) onDisk.add(MANIFEST);
  const diffs: TreeDifference[] = [];
  for (const f of all) {
    if (!onDisk.has(f.path)) diffs.push({ path: f.path, kind: "missing" });
    else if (!sameContent(readFileSync(join(root, f.path)), f.content)) diffs.push({ path: f.path, kind: "changed" });
    onDisk.delete(f.path);
  }
  for (const p of onDisk) diffs.push({ path: p, kind: "stale" });
  return diffs.sort((a, b) => compareText(a.path, b.path));
}
