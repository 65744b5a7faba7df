// `npm run build` as one call: the engine's stages (src/pipeline/) with lint (src/lint/) between
// emit and write, so lint errors fail the build before anything is written. Composition lives here
// because the engine never imports a tool.
import { lintBuild, lintsByDefault } from "../lint/inBuild.js";
import type { LintReport } from "../lint/index.js";
import { buildTree, finishBuild, type BuildOptions, type BuildResult } from "../pipeline/index.js";

export interface BuildCommandOptions extends BuildOptions {
  /**
   * Lint the emitted tree (src/lint/): errors fail the build, warnings are returned. Default: on when
   * the definitions are this repository's (lint-exclusions.yaml is about them), off for other directories.
   */
  lint?: boolean;
}

export interface BuildCommandResult extends BuildResult {
  /** Set when linted: the findings left after exclusions (warnings only; errors throw). */
  lint?: LintReport;
}

export async function runBuild(opts: BuildCommandOptions): Promise<BuildCommandResult> {
  const built = await buildTree(opts);
  // lint: errors fail the build before anything is written
  const lint = (opts.lint ?? lintsByDefault(opts.dashboardsDir)) ? lintBuild(built, built.config, opts.content) : undefined;
  const result: BuildCommandResult = await finishBuild(built, opts);
  if (lint) result.lint = lint;
  return result;
}
