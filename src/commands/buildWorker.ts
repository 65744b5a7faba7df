// The build command's side of a build worker thread (src/pipeline/parallel.ts): the engine checks
// the worker's slices of dashboards, and lint runs its rules about one dashboard over each, as the
// main thread does (src/commands/build.ts); the findings go back with the dashboard.
import { BuildLinter } from "../lint/inBuild.js";
import type { RepoContent } from "../model/content.js";
import { serveSlices, type WorkerJob } from "../pipeline/parallelWorker.js";

/** What the build command tells its workers. */
export interface WorkerCommand {
  lint: boolean;
}

export async function serveBuildWorker(job: WorkerJob, content: RepoContent): Promise<void> {
  const { lint } = job.command as WorkerCommand;
  let linter: BuildLinter | undefined;
  await serveSlices(
    job,
    content,
    lint
      ? {
          onDashboard: (d) => {
            linter ??= new BuildLinter(d.config.env, d.out, d.config, content);
            linter.dashboard(d, d.inputs);
          },
          payload: (uid) => linter?.findingsOf(uid),
        }
      : {},
  );
}
