// Lint an emitted provisioning tree: the build calls lintTree() on the files it is about to write;
// `npm run lint` on a tree built in memory or read from disk.
import { join } from "node:path";
import type { Config } from "../model/config.js";
import type { RepoContent } from "../model/content.js";
import type { Problem } from "../errors.js";
import type { MetricDef } from "../model/catalog.js";
import { createContext, type LintEnvironment, type TreeFile } from "./context.js";
import { runLint, type LintReport } from "./engine.js";
import { EXCLUSIONS_FILE, loadExclusions, type ExclusionsFile } from "./exclusions.js";
import { RULE_IDS, RULES } from "./registry.js";
import type { Finding } from "./types.js";
import { withWaivers } from "./waivers.js";
import type { DashboardSource } from "../model/dashboard.js";

export { ExclusionsError, EXCLUSIONS_FILE } from "./exclusions.js";
export type { LintReport } from "./engine.js";
export type { Finding } from "./types.js";

export interface LintTreeOptions {
  /** The repository's configuration, datasources and catalog (scripts/content.ts). */
  content: RepoContent;
  files: TreeFile[];
  env: string;
  repoRoot: string;
  config?: Config;
  /** How the tree root is named in messages (default "build"). */
  treeLabel?: string;
  /** Emitted dashboard path → definition file. */
  sources?: Map<string, string>;
  /** The tree this one replaces, for uid stability. */
  previous?: TreeFile[];
  /** Files already held as objects (path → the value its content parses to): not parsed again. */
  parsed?: Pick<ReadonlyMap<string, unknown>, "get">;
  /** Default: <repoRoot>/lint-exclusions.yaml. */
  exclusions?: ExclusionsFile;
  /** The built dashboards' definitions: their lintWaivers apply like exclusions. */
  definitions?: readonly DashboardSource[];
  /** Only these rule ids (default all). */
  only?: readonly string[];
  today?: string;
  /** Inside the build: skip the rules whose check the build's validation has just run. */
  inBuild?: boolean;
  /** Environments and catalog to check instead of the repository's (tests). */
  environments?: LintEnvironment[];
  catalog?: readonly MetricDef[];
  /** Raw findings of rules run elsewhere, and those rules (see runLint). */
  extra?: Finding[];
  extraRules?: readonly string[];
}

/** Throws ExclusionsError when the exclusions file is invalid. */
export function lintTree(opts: LintTreeOptions): LintReport {
  const started = performance.now();
  const exclusions = withWaivers(
    opts.exclusions ?? loadExclusions(join(opts.repoRoot, EXCLUSIONS_FILE), EXCLUSIONS_FILE, RULE_IDS),
    opts.definitions,
    opts.repoRoot,
  );
  const ctx = createContext(opts.files, {
    content: opts.content,
    repoRoot: opts.repoRoot,
    treeLabel: opts.treeLabel ?? "build",
    env: opts.env,
    config: opts.config,
    sources: opts.sources,
    previous: opts.previous,
    parsed: opts.parsed,
    settings: exclusions.settings,
    environments: opts.environments,
    catalog: opts.catalog,
  });
  const rules = RULES.filter((r) => (opts.only ? opts.only.includes(r.id) : true) && !(opts.inBuild && r.enforcedByBuild));
  const report = runLint(ctx, { rules, exclusions, today: opts.today, extra: opts.extra, extraRules: opts.extraRules });
  // Reading the tree and the configs is part of what lint costs.
  return { ...report, ms: Math.round(performance.now() - started) };
}

/** A finding in the build's problem shape (code = rule id; the fix follows the message). */
export function toProblem(f: Finding): Problem {
  return {
    code: f.rule,
    severity: f.severity,
    file: f.line !== undefined ? `${f.file}:${f.line}` : f.file,
    dashboardUid: f.dashboardUid,
    panelTitle: f.panelTitle,
    refId: f.refId || undefined,
    rule: f.alert ?? (f.group !== undefined ? `group ${f.group}` : undefined),
    message: `${f.message}\n  fix: ${f.fix}`,
  };
}
