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
import { createContext, loadEnvironments, readTree } from "./context.js";
import { rawFindings } from "./engine.js";
import { EXCLUSIONS_FILE, loadExclusions } from "./exclusions.js";
import { ExclusionsError, lintTree, toProblem, type LintReport } from "./index.js";
import { PER_DASHBOARD_RULES } from "./perDashboard.js";
import { RULE_IDS, RULES } from "./registry.js";
import type { Finding } from "./types.js";

const DASHBOARDS_DIR = "grafana/provisioning/dashboards";

/** Whether a build lints by default: when it builds this repository's definitions. */
export function lintsByDefault(dashboardsDir: string | undefined): boolean {
  if (!dashboardsDir) return true;
  const rel = relative(REPO_ROOT, dashboardsDir);
  return !rel.startsWith("..") && !rel.startsWith("/");
}

/**
 * With the build's cache: which dashboards (uids) were checked in this build, and the raw findings
 * recorded earlier for the others.
 */
export interface CachedLint {
  checked: ReadonlySet<string>;
  findings(uid: string): unknown[];
}

export interface BuildLintReport extends LintReport {
  /** With a cache: the raw per-dashboard findings of the dashboards checked in this build, by uid. */
  perDashboard?: Map<string, Finding[]>;
}

export function lintBuild(
  build: { env: string; out: string; files: OutputFile[]; dashboards: BuiltDashboard[] },
  config: Config,
  content: RepoContent,
  cached?: CachedLint,
): BuildLintReport {
  const sources = new Map(build.dashboards.map((d) => [PATHS.dashboard(d.folderUid, d.json.uid!), d.definition.file!]));
  const previous = readTree(join(build.out, DASHBOARDS_DIR)).map((f) => ({ ...f, path: `${DASHBOARDS_DIR}/${f.path}` }));
  // The dashboards' JSON is what the build holds (JSON-clean, see buildDashboards): no re-parse.
  const parsed = new Map(build.dashboards.map((d) => [PATHS.dashboard(d.folderUid, d.json.uid!), d.json as unknown]));
  const definitions = build.dashboards.map((d) => d.definition);
  const common = { content, env: build.env, config, repoRoot: REPO_ROOT, treeLabel: relative(REPO_ROOT, build.out) || ".", sources, parsed };
  let report: BuildLintReport;
  try {
    if (!cached) {
      report = lintTree({ ...common, files: build.files, previous, inBuild: true, definitions });
    } else {
      // Per-dashboard rules over the dashboards checked in this build (and every other file), the
      // recorded findings of the rest, and the rules across dashboards over the whole tree.
      const exclusions = loadExclusions(join(REPO_ROOT, EXCLUSIONS_FILE), EXCLUSIONS_FILE, RULE_IDS);
      const environments = loadEnvironments(content);
      const inBuild = RULES.filter((r) => !r.enforcedByBuild);
      const local = inBuild.filter((r) => PER_DASHBOARD_RULES.has(r.id));
      const uidOf = new Map(build.dashboards.map((d) => [PATHS.dashboard(d.folderUid, d.json.uid!), d.json.uid!]));
      const files = build.files.filter((f) => !uidOf.has(f.path) || cached.checked.has(uidOf.get(f.path)!));
      const part = createContext(files, { ...common, previous: undefined, settings: exclusions.settings, environments });
      const perDashboard = new Map<string, Finding[]>([...cached.checked].map((uid) => [uid, []]));
      const extra: Finding[] = [];
      for (const f of rawFindings(part, local)) {
        const uid = f.output === undefined ? undefined : uidOf.get(f.output);
        if (uid !== undefined) perDashboard.get(uid)!.push(f);
        extra.push(f);
      }
      for (const d of build.dashboards) if (!cached.checked.has(d.json.uid!)) extra.push(...(cached.findings(d.json.uid!) as Finding[]));
      const ids = new Set(local.map((r) => r.id));
      report = lintTree({
        ...common,
        files: build.files,
        previous,
        exclusions,
        environments,
        only: inBuild.filter((r) => !ids.has(r.id)).map((r) => r.id),
        inBuild: true,
        definitions,
        extra,
        extraRules: [...ids],
      });
      const ran = new Set(report.rules);
      report = { ...report, rules: RULES.map((r) => r.id).filter((id) => ran.has(id)), perDashboard };
    }
  } catch (e) {
    if (!(e instanceof ExclusionsError)) throw e;
    throw new BuildError(e.issues.map((i) => ({ code: "bad-lint-exclusions", file: `${e.file}${i.line ? `:${i.line}` : ""}`, message: i.message })));
  }
  if (report.errors) throw new BuildError(report.findings.map(toProblem));
  return report;
}
