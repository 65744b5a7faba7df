// `npm run build` as one call: the engine's stages (src/pipeline/) with lint (src/lint/) before the
// write, so lint errors fail the build before anything is written: each dashboard while the build
// holds it, the rest once the tree is emitted. Composition lives here because the engine never
// imports a tool.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BuildLinter, lintsByDefault } from "../lint/inBuild.js";
import { EXCLUSIONS_FILE, type LintReport } from "../lint/index.js";
import { abandonBuild, buildTree, finishBuild, recordInCache, type BuildOptions, type BuildResult } from "../pipeline/index.js";
import { REPO_ROOT } from "../repoRoot.mjs";
import type { Finding } from "../lint/types.js";
import type { WorkerCommand } from "./buildWorker.js";

export interface BuildCommandOptions extends BuildOptions {
  /**
   * Lint the emitted tree (src/lint/): errors fail the build, warnings are returned. Default: on when
   * the definitions are this repository's (lint-exclusions.yaml is about them), off for other directories.
   */
  lint?: boolean;
  /**
   * The entry point serves build workers (scripts/build.ts under the launcher): a large build without
   * the cache may share its dashboards with worker threads (src/pipeline/parallel.ts).
   */
  workers?: boolean;
}

export interface BuildCommandResult extends BuildResult {
  /** Set when linted: the findings left after exclusions (warnings only; errors throw). */
  lint?: LintReport;
}

/** The lint exclusions file's bytes (its settings change what the rules find), or null when absent. */
function exclusionsText(): string | null {
  try {
    return readFileSync(join(REPO_ROOT, EXCLUSIONS_FILE), "utf8");
  } catch {
    return null;
  }
}

export async function runBuild(opts: BuildCommandOptions): Promise<BuildCommandResult> {
  const linting = opts.lint ?? lintsByDefault(opts.dashboardsDir);
  // A recorded verdict holds only for the same lint choice and the same lint settings.
  const cache = opts.cache && { ...opts.cache, verdictInputs: { lint: linting, exclusions: linting ? exclusionsText() : null } };
  // Each dashboard is linted as soon as the build has checked it, while it holds its objects.
  let linter: BuildLinter | undefined;
  const onDashboard: BuildOptions["onDashboard"] = linting
    ? (d) => {
        linter ??= new BuildLinter(d.config.env, d.out, d.config, opts.content);
        linter.dashboard(d, d.inputs);
      }
    : undefined;
  // A worker lints its dashboards as onDashboard does here; its findings join this thread's linter.
  const command: WorkerCommand = { lint: linting };
  const parallel: BuildOptions["parallel"] = opts.workers
    ? {
        command,
        onRemote: (uid, findings, b) => (linter ??= new BuildLinter(b.config.env, b.out, b.config, opts.content)).adopt(uid, findings as Finding[], b.inputs),
      }
    : undefined;
  // Streamed: each dashboard's file goes to a temporary as it is emitted (renamed by finishBuild).
  const built = await buildTree({ ...opts, cache, onDashboard, parallel, stream: true });
  const cached = built.buildCache && { checked: built.checked, findings: (uid: string) => built.buildCache!.cachedFindings(uid), stages: built.buildCache.stages };
  // lint: errors fail the build before anything is written (the temporaries are removed)
  let lint: ReturnType<BuildLinter["finish"]> | undefined;
  try {
    lint = linting ? (linter ?? new BuildLinter(built.env, built.out, built.config, opts.content)).finish(built, cached) : undefined;
  } catch (e) {
    await abandonBuild(built);
    throw e;
  }
  const result: BuildCommandResult = await finishBuild(built, opts);
  result.cache = recordInCache(built, lint?.perDashboard);
  if (lint) {
    const { perDashboard: _perDashboard, ...report } = lint;
    result.lint = report;
  }
  return result;
}
