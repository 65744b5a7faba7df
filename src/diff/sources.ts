// Builds each side of a comparison into a temporary directory: a git ref is exported with
// `git archive` (the user's checkout, index and build/ are never touched), given the current
// node_modules through a symlink and built with its own scripts/build.ts; the working tree is
// built in place with --out pointing at a temporary directory.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Side } from "./model.js";

import { DiffError } from "./errors.js";

export { DiffError };

export function git(repo: string, args: string[]): string {
  const r = spawnSync("git", args, { cwd: repo, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new DiffError(`git ${args.join(" ")}: ${r.error.message}`);
  if (r.status !== 0) throw new DiffError(`git ${args.join(" ")} failed: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout.trim();
}

export function repoRoot(cwd: string): string {
  try {
    return git(cwd, ["rev-parse", "--show-toplevel"]);
  } catch {
    throw new DiffError(`${cwd} is not inside a git repository (needed for --base/--head; use --base-dir/--head-dir to compare built trees)`);
  }
}

export function resolveCommit(repo: string, ref: string): string {
  const r = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: repo, encoding: "utf8" });
  if (r.status !== 0 || !r.stdout.trim()) {
    throw new DiffError(`unknown git ref "${ref}"${ref.startsWith("origin/") ? " (fetch it first, e.g. git fetch origin, or check out with fetch-depth: 0)" : ""}`);
  }
  return r.stdout.trim();
}

function run(cmd: string, args: string[], cwd: string, input?: NodeJS.ReadableStream): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd, stdio: [input ? "pipe" : "ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    child.on("error", fail);
    child.on("close", (code) => done({ code: code ?? 1, stdout, stderr }));
    if (input) input.pipe(child.stdin!);
  });
}

/** Writes the files of a commit into `dest` (an empty directory). */
export async function exportCommit(repo: string, commit: string, dest: string): Promise<void> {
  mkdirSync(dest, { recursive: true });
  const archive = spawn("git", ["archive", "--format=tar", commit], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  archive.stderr.on("data", (d) => (err += d));
  const archived = new Promise<number>((done) => archive.on("close", (c) => done(c ?? 1)));
  const tar = await run("tar", ["-x", "-f", "-", "-C", dest], dest, archive.stdout);
  const code = await archived;
  if (code !== 0) throw new DiffError(`git archive ${commit} failed: ${err.trim()}`);
  if (tar.code !== 0) throw new DiffError(`extracting ${commit} failed: ${tar.stderr.trim()}`);
}

export interface BuildRequest {
  /** A git ref, or undefined for the working tree. */
  ref?: string;
  env: string;
  repo: string;
  /** Scratch directory owned by this run. */
  scratch: string;
  name: "base" | "head";
}

function tsxBin(repo: string): string {
  const bin = join(repo, "node_modules", ".bin", "tsx");
  if (!existsSync(bin)) throw new DiffError(`${bin} not found: run npm ci first`);
  return bin;
}

/** Builds one side; returns where its tree is. */
export async function buildSide(req: BuildRequest): Promise<Side> {
  const out = join(req.scratch, `${req.name}-build`);
  let cwd = req.repo;
  const side: Side = { label: "working tree", dir: out };
  if (req.ref !== undefined) {
    const commit = resolveCommit(req.repo, req.ref);
    cwd = join(req.scratch, `${req.name}-src`);
    await exportCommit(req.repo, commit, cwd);
    const modules = join(req.repo, "node_modules");
    if (existsSync(modules) && !existsSync(join(cwd, "node_modules"))) symlinkSync(modules, join(cwd, "node_modules"), "dir");
    Object.assign(side, { label: req.ref, ref: req.ref, commit });
  }
  if (!existsSync(join(cwd, "scripts", "build.ts"))) {
    throw new DiffError(`${side.label} has no scripts/build.ts, so it cannot be built`);
  }
  const r = await run(tsxBin(req.repo), ["scripts/build.ts", "--out", out, "--env", req.env], cwd);
  if (r.code !== 0) {
    const log = (r.stderr || r.stdout).trim().split("\n").slice(-40).join("\n");
    throw new DiffError(`building ${side.label} (env ${req.env}) failed:\n${log}`);
  }
  return side;
}

/** Scratch directories of runs in progress, removed on interrupt. */
const active = new Set<string>();

export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "grafana-diff-"));
  active.add(dir);
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(resolve(dir), { recursive: true, force: true });
  active.delete(dir);
}

/** Removes every scratch directory still in use (for SIGINT/SIGTERM handlers). */
export function removeActiveScratch(): void {
  for (const dir of [...active]) removeDir(dir);
}
