// Lint as a step of the build, before write: each dashboard as the build checks it, the rest once
// the tree is emitted (BuildLinter). Errors fail the build (nothing is written); warnings come back
// with the result for the command line to print.
import { join, relative } from "node:path";
import type { Config } from "../model/config.js";
import type { RepoContent } from "../model/content.js";
import { BuildError, type Problem } from "../errors.js";
import { REPO_ROOT } from "../pipeline/collect.js";
import type { BuiltDashboard } from "../pipeline/dashboards.js";
import { PATHS } from "../pipeline/provisioning.js";
import type { OutputFile } from "../pipeline/write.js";
import { recordedSeries, type RecordingRuleGroup } from "../query/recorded.js";
import type { DashboardQuery } from "../validate/dashboardQueries.js";
import {
  createContext,
  lintDashboardOf,
  loadEnvironments,
  previousDashboardOf,
  readTree,
  withDashboard,
  withDashboards,
  type LintContext,
  type LintEnvironment,
  type PreviousDashboard,
} from "./context.js";
import { rawFindings, runLint } from "./engine.js";
import { EXCLUSIONS_FILE, loadExclusions, type ExclusionsFile } from "./exclusions.js";
import { ExclusionsError, toProblem, type LintReport } from "./index.js";
import { PER_DASHBOARD_RULES, RULE_FILE_RULES } from "./perDashboard.js";
import { recordedNames } from "./sites.js";
import { withWaivers } from "./waivers.js";
import { RULE_IDS, RULES } from "./registry.js";
import type { Finding } from "./types.js";
import type { StageCache } from "../cache/stages.js";
import { filesLintReuse } from "./filesReuse.js";
import { compareText } from "../emit/textOrder.js";

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
  /** The build's cache of stages: the findings over the other files (and their rule groups) are reused from it. */
  stages?: StageCache;
}

export interface BuildLintReport extends LintReport {
  /** With a cache: the raw per-dashboard findings of the dashboards checked in this build, by uid. */
  perDashboard?: Map<string, Finding[]>;
}

/** What the build knows before it emits its datasource and rule files (see BuildLinter). */
export interface ProvisionalInputs {
  /** Datasource uid → plugin type, as the datasources file will list them. */
  provisioned: ReadonlyMap<string, string>;
  /** Every rule group of the build, as loaded: the series their recording rules record. */
  ruleGroups: readonly RecordingRuleGroup[];
}

interface BuildSide {
  env: string;
  out: string;
  files: OutputFile[];
  dashboards: BuiltDashboard[];
  /** What the rules across dashboards read of each dashboard (default: `dashboards`). */
  summaries?: BuiltDashboard[];
  /** Files whose value the build holds (path → what the text parses to). */
  parsed?: Pick<ReadonlyMap<string, unknown>, "get">;
  /**
   * Set when the build has compared its dashboards' files with the tree on disk (it streams them):
   * whether the file at a path already holds what the build emits. Their texts are then not read.
   */
  sameOnDisk?: (path: string) => boolean;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sortedEntries = (m: ReadonlyMap<string, string>) => [...m].sort(([a], [b]) => compareText(a, b));
const sortedRecord = (r: Record<string, string[]>) => Object.keys(r).sort().map((k) => [k, r[k]]);

/**
 * Lint inside the build, one dashboard at a time: the rules whose findings about a dashboard depend
 * on it alone (perDashboard.ts) run over each dashboard while the build holds its objects
 * (`dashboard`), with the datasources and recorded series the build already knows; `finish` runs
 * the same rules over the other files, the rules across dashboards over the dashboards' summaries,
 * and applies the exclusions to everything. When the emitted datasource and rule files turn out to
 * say otherwise than what the dashboards were linted with, those are linted again from their text.
 */
export class BuildLinter {
  private ms = 0;
  private readonly rules = RULES.filter((r) => !r.enforcedByBuild);
  private readonly local = this.rules.filter((r) => PER_DASHBOARD_RULES.has(r.id));
  private readonly onDashboards = this.local.filter((r) => !RULE_FILE_RULES.has(r.id));
  private exclusions?: ExclusionsFile;
  private exclusionsError?: ExclusionsError;
  private readonly environments: LintEnvironment[];
  private provisional?: { inputs: ProvisionalInputs; base: LintContext; recorded: Record<string, string[]> };
  /** Raw findings about each dashboard linted here, by uid. */
  private readonly found = new Map<string, Finding[]>();
  /**
   * Dashboards linted here (by emitted path) whose every field had its kind: their summaries, made
   * of those same fields, need no second shape check in finish.
   */
  private readonly shapeClean = new Set<string>();

  constructor(
    private readonly env: string,
    /** The tree's folder (findings name files under it). */
    private readonly out: string,
    private readonly config: Config,
    private readonly content: RepoContent,
  ) {
    const started = performance.now();
    try {
      this.exclusions = loadExclusions(join(REPO_ROOT, EXCLUSIONS_FILE), EXCLUSIONS_FILE, RULE_IDS);
    } catch (e) {
      if (!(e instanceof ExclusionsError)) throw e;
      this.exclusionsError = e; // reported by finish, once the build itself has passed
    }
    this.environments = loadEnvironments(content);
    this.ms += performance.now() - started;
  }

  private context(files: OutputFile[], sources?: Map<string, string>, parsed?: Pick<ReadonlyMap<string, unknown>, "get">): LintContext {
    return createContext(files, {
      parsed,
      content: this.content,
      repoRoot: REPO_ROOT,
      treeLabel: relative(REPO_ROOT, this.out) || ".",
      env: this.env,
      config: this.config,
      sources,
      settings: this.exclusions!.settings,
      environments: this.environments,
    });
  }

  /**
   * Lints one dashboard of the build (its emitted path, object and text) against `base`. Without
   * environments: only prod-https, folder-access, prod-folder-access and prod-scrape-tls read them,
   * for findings about the configuration, which finish reports once. Without the catalog (the
   * contract rules' findings about its definitions): those too come from finish, once.
   */
  private lintOne(base: LintContext, d: { built: BuiltDashboard; path: string; text: string; queries?: readonly DashboardQuery[]; structure?: Problem[] }): void {
    const ctx = withDashboard({ ...base, environments: [], catalog: [] }, { path: d.path, content: d.text }, d.built.json, d.built.definition.file!, d.queries, d.structure);
    // Findings about other files or the configuration come from finish, over those files.
    const own = rawFindings(ctx, this.onDashboards).filter((f) => f.output === d.path || (f.output === undefined && f.dashboardUid !== undefined));
    this.found.set(d.built.json.uid!, own);
    if (ctx.dashboards[0]?.json === d.built.json) this.shapeClean.add(d.path);
  }

  /** Lints a dashboard the build has just checked, with what the build knows of the rest of the tree. */
  dashboard(d: { built: BuiltDashboard; path: string; text: string; queries: readonly DashboardQuery[]; structure?: Problem[] }, inputs: ProvisionalInputs): void {
    if (this.exclusionsError) return;
    const started = performance.now();
    this.lintOne(this.provisionalBase(inputs), d);
    this.ms += performance.now() - started;
  }

  private provisionalBase(inputs: ProvisionalInputs): LintContext {
    if (this.provisional?.inputs !== inputs) {
      const base = this.context([]);
      const recorded = recordedSeries(inputs.ruleGroups);
      this.provisional = { inputs, recorded, base: { ...base, provisioned: new Map(inputs.provisioned), recorded } };
    }
    return this.provisional.base;
  }

  /** The raw findings `dashboard` found about a dashboard (a build worker sends them to the main thread's linter). */
  findingsOf(uid: string): Finding[] | undefined {
    return this.found.get(uid);
  }

  /** Takes the findings another thread's linter found about a dashboard, linted with `inputs` (see `dashboard`). */
  adopt(uid: string, findings: Finding[], inputs: ProvisionalInputs): void {
    if (this.exclusionsError) return;
    this.provisionalBase(inputs);
    this.found.set(uid, findings);
  }

  /** Lints what is left of the built tree and applies the exclusions; throws BuildError on errors. */
  finish(build: BuildSide, cached?: CachedLint): BuildLintReport {
    if (this.exclusionsError) throw exclusionsProblem(this.exclusionsError);
    const started = performance.now();
    const summaries = build.summaries ?? build.dashboards;
    const pathOf = (d: BuiltDashboard) => PATHS.dashboard(d.folderUid, d.json.uid!);
    const paths = new Set(summaries.map(pathOf));
    const sources = new Map(summaries.map((d) => [pathOf(d), d.definition.file!]));
    // The files, not their texts: a streamed build's texts are on disk, read only when needed.
    const dashboardFiles = new Map(build.files.filter((f) => paths.has(f.path)).map((f) => [f.path, f]));
    const textOf = (path: string) => dashboardFiles.get(path)?.content;
    const others = build.files.filter((f) => !paths.has(f.path));
    const reuse = cached?.stages && filesLintReuse(cached.stages, { files: others, settings: this.exclusions!.settings, environments: this.environments, content: this.content, treeLabel: relative(REPO_ROOT, this.out) || "." });
    // Reused: no other file is parsed; their rule groups and datasources are the entry's.
    const hit = reuse?.hit;
    const base = hit ? { ...this.context([], sources), provisioned: new Map(hit.provisioned), groups: hit.groups } : this.context(others, sources, build.parsed);
    // Dashboards linted with other datasources or recorded series than the tree's are linted again.
    const stale = this.provisional && !(sameJson(sortedEntries(this.provisional.base.provisioned), sortedEntries(base.provisioned)) && sameJson(sortedRecord(this.provisional.recorded), sortedRecord(recordedNames(base))));
    if (stale) this.found.clear();
    const checked = (uid: string) => !cached || cached.checked.has(uid);
    // `summaries` and `dashboards` list the same dashboards in the same order; a dashboard's JSON
    // (parsed from its text when the build let go of its objects) is read only to lint it here.
    summaries.forEach((s, i) => {
      const uid = s.json.uid!;
      if (checked(uid) && !this.found.has(uid)) this.lintOne(base, { built: build.dashboards[i], path: pathOf(s), text: textOf(pathOf(s)) ?? "" });
    });
    // Raw findings: the per-dashboard rules over the other files, then each dashboard's (rule by rule).
    const rank = new Map(RULES.map((r, i) => [r.id, i]));
    const perDashboard = new Map<string, Finding[]>();
    const about: Finding[] = [];
    for (const d of summaries) {
      const uid = d.json.uid!;
      const own = checked(uid) ? (this.found.get(uid) ?? []) : (cached!.findings(uid) as Finding[]);
      if (checked(uid)) perDashboard.set(uid, own);
      about.push(...own);
    }
    about.sort((a, b) => rank.get(a.rule)! - rank.get(b.rule)!);
    const ofFiles = hit?.findings ?? rawFindings(base, this.local);
    if (!hit) reuse?.record({ findings: ofFiles, groups: base.groups, provisioned: [...base.provisioned] });
    const extra = [...ofFiles, ...about];
    const boards = summaries.map((d) => lintDashboardOf(pathOf(d), d.json, d.definition.file!, this.shapeClean.has(pathOf(d)))).filter((d) => d !== undefined);
    const emitsSame = build.sameOnDisk ?? ((path: string, content: string) => textOf(path) === content);
    const ctx = withDashboards(base, boards, previousDashboards(build.out, emitsSame, summaries));
    const exclusions = withWaivers(this.exclusions!, summaries.map((d) => d.definition), REPO_ROOT);
    const acrossDashboards = this.rules.filter((r) => !PER_DASHBOARD_RULES.has(r.id));
    const report = runLint(ctx, { rules: acrossDashboards, exclusions, extra, extraRules: this.local.map((r) => r.id) });
    const ran = new Set(report.rules);
    this.ms += performance.now() - started;
    const result: BuildLintReport = { ...report, rules: RULES.map((r) => r.id).filter((id) => ran.has(id)), ms: Math.round(this.ms), ...(cached ? { perDashboard } : {}) };
    if (result.errors) throw new BuildError(result.findings.map(toProblem));
    return result;
  }
}

/**
 * The dashboards of the tree being replaced (for dashboard-uid-stable): a file whose text is the one
 * this build emits for it is this build's dashboard, whose uid and title the build knows; any other
 * file is parsed.
 */
function previousDashboards(out: string, emitsSame: (path: string, content: string) => boolean, summaries: BuiltDashboard[]): PreviousDashboard[] {
  const byPath = new Map(summaries.map((d) => [PATHS.dashboard(d.folderUid, d.json.uid!), d.json]));
  const previous: PreviousDashboard[] = [];
  readTree(join(out, DASHBOARDS_DIR), undefined, (f) => {
    const output = `${DASHBOARDS_DIR}/${f.path}`;
    const json = byPath.has(output) && emitsSame(output, f.content) ? byPath.get(output) : undefined;
    const d = json ? { uid: json.uid!, title: String(json.title ?? ""), output } : previousDashboardOf({ path: output, content: f.content });
    if (d) previous.push(d);
  });
  return previous;
}

function exclusionsProblem(e: ExclusionsError): BuildError {
  return new BuildError(e.issues.map((i) => ({ code: "bad-lint-exclusions", file: `${e.file}${i.line ? `:${i.line}` : ""}`, message: i.message })));
}

/** Lints a built tree at once (BuildLinter over dashboards the build holds as objects). */
export function lintBuild(build: BuildSide, config: Config, content: RepoContent, cached?: CachedLint): BuildLintReport {
  return new BuildLinter(build.env, build.out, config, content).finish(build, cached);
}
