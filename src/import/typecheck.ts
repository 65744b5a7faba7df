// Type-checks generated definition files under the project's tsconfig, all in one tsc run.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { writeFileSync } from "node:fs";
import { REPO_ROOT } from "./index.js";

const require = createRequire(import.meta.url);

export interface TypecheckResult {
  /** tsc diagnostics in the given files. */
  errors: string[];
  /** Diagnostics elsewhere in the program (project files the generated code imports). */
  otherErrors: string[];
}

/**
 * Runs `tsc --noEmit` over `files` (all in one directory) with a tsconfig that extends the
 * repository's. The directory must be inside the repository so that the SDK resolves.
 */
export function typecheckFiles(files: string[]): Promise<TypecheckResult> {
  const dir = dirname(resolve(files[0]));
  const tsconfig = join(dir, "tsconfig.json");
  writeFileSync(
    tsconfig,
    JSON.stringify(
      {
        extends: relative(dir, resolve(REPO_ROOT, "tsconfig.json")).split(sep).join("/"),
        compilerOptions: { noEmit: true },
        include: files.map((f) => basename(f)),
      },
      null,
      2,
    ),
  );
  const tsc = require.resolve("typescript/bin/tsc");
  return new Promise((done) => {
    execFile(
      process.execPath,
      [tsc, "-p", tsconfig, "--pretty", "false"],
      { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 },
      (_err, stdout, stderr) => {
        const lines = `${stdout}${stderr}`.split("\n").filter((l) => /error TS\d+/.test(l));
        const ours = new Set(files.map((f) => relative(REPO_ROOT, resolve(f)).split(sep).join("/")));
        const isOurs = (l: string) => [...ours].some((f) => l.startsWith(f) || l.includes(`${f}(`));
        done({ errors: lines.filter(isOurs), otherErrors: lines.filter((l) => !isOurs(l)) });
      },
    );
  });
}
