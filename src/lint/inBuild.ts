// Lint as a step of the build: after emit, before write. Errors fail the build (nothing is written);
// warnings come back with the result for the command line to print.
import { join, relative } from "node:path";
import type { Config } from "../model/config.js";
import type { RepoContent } from "../model/content.js";
import { BuildError } from "../errors.js";
import { REPO_ROOT } from "../pipeline/collect.js";
import type { BuiltDashboard } from "../pipeline/dashboards.js";
import { PATHS } from "../pipeline/provisioning.js";
import type { OutputFile } from "../pipeline/write.js";
import { readTree } from "./context.js";
import { ExclusionsError, lintTree, toProblem, type LintReport } from "./index.js";

const DASHBOARDS_DIR = "grafana/provisioning/dashboards";

/** Whether a build lints by default: when it builds this repository's definitions. */
export function lintsByDefault(dashboardsDir: string | undefined): boolean {
  if (!dashboardsDir) return true;
  const rel = relative(REPO_ROOT, dashboardsDir);
  return !rel.startsWith("..") && !rel.startsWith("/");
}

export function lintBuild(build: { env: string; out: string; files: OutputFile[]; dashboards: BuiltDashboard[] }, config: Config, content: RepoContent): LintReport {
  const sources = new Map(build.dashboards.map((d) => [PATHS.dashboard(d.folderUid, d.json.uid!), d.definition.file!]));
  const previous = readTree(join(build.out, DASHBOARDS_DIR)).map((f) => ({ ...f, path: `${DASHBOARDS_DIR}/${f.path}` }));
  let report: LintReport;
  try {
    report = lintTree({
      content,
      files: build.files,
      env: build.env,
      config,
      repoRoot: REPO_ROOT,
      treeLabel: relative(REPO_ROOT, build.out) || ".",
      sources,
      previous,
      // The dashboards' JSON is what the build holds (JSON-clean, see buildDashboards): no re-parse.
      parsed: new Map(build.dashboards.map((d) => [PATHS.dashboard(d.folderUid, d.json.uid!), d.json as unknown])),
      inBuild: true,
      definitions: build.dashboards.map((d) => d.definition),
    });
  } catch (e) {
    if (!(e instanceof ExclusionsError)) throw e;
    throw new BuildError(e.issues.map((i) => ({ code: "bad-lint-exclusions", file: `${e.file}${i.line ? `:${i.line}` : ""}`, message: i.message })));
  }
  if (report.errors) throw new BuildError(report.findings.map(toProblem));
  return report;
}
