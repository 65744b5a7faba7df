// Step 4: write the tree atomically. Everything goes to a sibling temp directory first, which then
// replaces the output directory in one rename, so a failed or interrupted build never leaves a
// half-written provisioning folder and files the build no longer produces disappear with the old tree.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { BuildError } from "../errors.js";

export interface OutputFile {
  path: string;
  content: string;
}

/** Marks a directory as written by this build, so it may be replaced and --check knows what it owns. */
export const MANIFEST = ".manifest.json";

function manifest(files: OutputFile[]): OutputFile {
  return {
    path: MANIFEST,
    content: JSON.stringify({ generator: "grafana-as-code", files: files.map((f) => f.path).sort() }, null, 2) + "\n",
  };
}

export function withManifest(files: OutputFile[]): OutputFile[] {
  return [...files, manifest(files)].sort((a, b) => a.path.localeCompare(b.path));
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split("\\").join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

function assertOwned(outDir: string): void {
  if (!existsSync(outDir)) return;
  if (!statSync(outDir).isDirectory()) throw new BuildError([{ code: "bad-output", file: outDir, message: "output path exists and is not a directory" }]);
  if (readdirSync(outDir).length === 0 || existsSync(join(outDir, MANIFEST))) return;
  throw new BuildError([
    {
      code: "bad-output",
      file: outDir,
      message: `refusing to replace a non-empty directory that this build did not write (no ${MANIFEST}); choose an empty or new --out directory`,
    },
  ]);
}

export interface WriteResult {
  written: number;
  changed: string[];
}

export function writeTree(outDir: string, files: OutputFile[]): WriteResult {
  assertOwned(outDir);
  const all = withManifest(files);
  const changed = diffTree(outDir, all).map((d) => d.path);
  const tmp = `${outDir}.tmp-${process.pid}`;
  const old = `${outDir}.old-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    for (const f of all) {
      const target = join(tmp, f.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, f.content);
    }
    mkdirSync(dirname(outDir), { recursive: true });
    if (existsSync(outDir)) renameSync(outDir, old);
    renameSync(tmp, outDir);
  } catch (e) {
    // Put the previous tree back if the swap got half-way.
    if (!existsSync(outDir) && existsSync(old)) renameSync(old, outDir);
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  rmSync(old, { recursive: true, force: true });
  return { written: all.length, changed };
}

export interface TreeDifference {
  path: string;
  kind: "changed" | "missing" | "stale";
}

/** What differs between the files a build produces and what is on disk (for --check). */
export function diffTree(outDir: string, files: OutputFile[]): TreeDifference[] {
  const all = files.some((f) => f.path === MANIFEST) ? files : withManifest(files);
  const onDisk = new Set(listFiles(outDir));
  const diffs: TreeDifference[] = [];
  for (const f of all) {
    if (!onDisk.has(f.path)) diffs.push({ path: f.path, kind: "missing" });
    else if (readFileSync(join(outDir, f.path), "utf8") !== f.content) diffs.push({ path: f.path, kind: "changed" });
    onDisk.delete(f.path);
  }
  for (const p of onDisk) diffs.push({ path: p, kind: "stale" });
  return diffs.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Watch mode's write: only the files whose content changed are replaced (each through a temp file
 * and a rename, so a reader never sees half a file); files no longer produced are removed.
 */
export function writeChangedFiles(outDir: string, previous: OutputFile[], next: OutputFile[]): string[] {
  const before = new Map(withManifest(previous).map((f) => [f.path, f.content]));
  const after = withManifest(next);
  const changed: string[] = [];
  for (const f of after) {
    if (before.get(f.path) === f.content) continue;
    const target = join(outDir, f.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(`${target}.tmp-${process.pid}`, f.content);
    renameSync(`${target}.tmp-${process.pid}`, target);
    changed.push(f.path);
  }
  const kept = new Set(after.map((f) => f.path));
  for (const path of before.keys()) {
    if (!kept.has(path)) {
      rmSync(join(outDir, path), { force: true });
      changed.push(path);
    }
  }
  return changed.sort();
}
