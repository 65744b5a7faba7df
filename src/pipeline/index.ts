// The build's engine, top to bottom: collect → build → validate → emit (buildTree), then write
// (finishBuild). Without the cache each dashboard is built, checked on its own and emitted in small
// batches (only its text and a summary are kept), then the checks across dashboards run.
// src/commands/build.ts lints each dashboard as it is checked (onDashboard) and the rest between
// buildTree and finishBuild.
import { relative, resolve } from "node:path";
import { buildAlerting, loadAlertingDefinitions, type AlertingBuild } from "../alerting/index.js";
import { toProvisioningValue } from "../emit/provisioningYaml.js";
import { inStableOrder, stableStringifyJson } from "../emit/stable.js";
import { BuildError, type Problem } from "../errors.js";
import type { DashboardQuery } from "../validate/dashboardQueries.js";
import { checkDashboardLinks } from "../validate/dashboardLinks.js";
import { checkDashboardUids } from "../validate/dashboardStructure.js";
import { withoutWaived } from "../validate/waivers.js";
import { checkDatasourceRefs } from "../validate/datasourceRefs.js";
import { checkDatasourceSecrets } from "../validate/datasourceSecrets.js";
import { checkFileSchema, checkFileSizes } from "../validate/emittedFiles.js";
import { checkEmittedValue } from "../validate/emittedValues.js";
import type { Config } from "../model/config.js";
import type { RepoContent } from "../model/content.js";
import type { DatasourceDefinition } from "../model/datasource.js";
import { recordedSeries, type RecordingRuleGroup } from "../query/recorded.js";
import { collectDashboards, definitionFiles, REPO_ROOT } from "./collect.js";
import { BuildCache, type CacheCounts, type CacheOptions } from "./cache.js";
import { buildDashboard, buildDashboards, countsOf, type BuiltDashboard } from "./dashboards.js";
import { BATCH, checkBatch, DashboardProblems } from "./dashboardChecks.js";
import { dashboardSummary, emittedDashboard } from "./summary.js";
import { PANEL_ID_LOCK_FILE, readPanelIdLock } from "./panelIds.js";
import { OPS_INDEX_PATH, opsIndex, opsIndexFile } from "./opsIndex.js";
import { checkOpsIndex } from "../validate/opsIndexSchema.js";
import type { OpsIndex } from "../model/opsIndex.js";
import { ACCESS_PATH, accessDocument } from "./access.js";
import { yamlTexts } from "./yamlTexts.js";
import { datasourcesDocument, PATHS, prometheusDocument, providersDocument } from "./provisioning.js";
import { stagedFile, stagedText, TreeStage } from "./stage.js";
import { diffTree, writeTree, type OutputFile, type TreeDifference } from "./write.js";
import { checkInParallel, planWorkers, type ParallelHooks } from "./parallel.js";
import { steerYoungGeneration } from "./youngGeneration.mjs";
import { compareText } from "../emit/textOrder.js";

export interface BuildOptions {
  /** The repository's configuration, datasources and catalog (scripts/content.ts). */
  content: RepoContent;
  env?: string;
  /** Output root; default build/ in the repository. */
  out?: string;
  /** Write the tree (default) or only return it. */
  write?: boolean;
  /** Compare with the tree on disk instead of writing. */
  check?: boolean;
  /** Where dashboard definitions are discovered; default dashboards/. */
  dashboardsDir?: string;
  /** A config to use instead of loading `env` (tests). */
  config?: Config;
  datasources?: (config: Config) => DatasourceDefinition[];
  /**
   * Also validate dashboards against Grafana's published schemas when they are available. Off by
   * default: compiling them costs more than the rest of the build; `npm test` always runs them.
   */
  referenceSchemas?: boolean;
  /**
   * Where alert and SLO definitions are discovered; null for none. Default: alerts/ when the
   * dashboards are dashboards/ (alerts link to those), none for another dashboards directory.
   */
  alertsDir?: string | null;
  /** Where the runbooks every alert links to are; default docs/runbooks/. */
  runbooksDir?: string;
  /** Allow the write to remove every dashboard or every rule file of the tree (refused otherwise). */
  allowEmpty?: boolean;
  /**
   * Reuse dashboards built, validated and linted by an earlier build from the same inputs
   * (src/pipeline/cache.ts). Off when absent; the command line turns it on (--no-cache: off).
   */
  cache?: CacheOptions;
  /**
   * Called with each dashboard the build checks, once its own checks have run and before its
   * objects are dropped (the build command lints it there).
   */
  onDashboard?: (d: CheckedDashboard) => void;
  /**
   * When writing without the cache: write each dashboard's file to a temporary beside its target as
   * it is emitted (src/pipeline/stage.ts) instead of holding every text until the end. The caller
   * must then finishBuild, or abandonBuild when it gives up (that removes the temporaries).
   */
  stream?: boolean;
  /**
   * Worker threads may share the dashboards of a build without the cache (src/pipeline/parallel.ts):
   * set by an entry point whose bundle serves them (scripts/build.ts).
   */
  parallel?: ParallelHooks;
}

export interface BuildStats {
  dashboards: number;
  panels: number;
  queries: number;
  datasources: number;
  files: number;
}

export interface BuildResult {
  env: string;
  out: string;
  files: OutputFile[];
  dashboards: BuiltDashboard[];
  /** Alert and recording rules as built, and the alerting files among `files`. */
  alerting?: AlertingBuild;
  stats: BuildStats;
  /** Set when writing: files whose content changed. */
  changed?: string[];
  /** Set when writing: files in the tree no build wrote (kept untouched). */
  foreign?: string[];
  /** Set with check: how the tree on disk differs. */
  differences?: TreeDifference[];
  /** Set when the build used the cache: how many dashboards it reused, built and checked. */
  cache?: CacheCounts;
  ms: number;
}

const YAML_HEADER = (source: string) => `Generated by \`npm run build\` from ${source}. Do not edit: change the source and rebuild.`;

export interface BuiltTree extends BuildResult {
  config: Config;
  /** When the build started (performance.now()), for `ms`. */
  started: number;
  /** The build's cache, when on: lint reads and records per-dashboard findings through it. */
  buildCache?: BuildCache;
  /** Dashboards whose per-dashboard checks ran in this build (all of them without a cache). */
  checked: Set<string>;
  /** What the checks across dashboards read of each dashboard (dashboardSummary), in uid order. */
  summaries: BuiltDashboard[];
  /** Files of `files` whose value the build holds (path → what the text parses to): lint does not parse them again. */
  parsed: Pick<ReadonlyMap<string, unknown>, "get">;
  /** Set when the build streams its files (opts.stream): their temporaries, and the tree's lock. */
  stage?: TreeStage;
  /** Set with a stage: whether the file on disk at a path already holds what the build emits. */
  sameOnDisk?: (path: string) => boolean;
}

/** A dashboard while the build checks it on its own: its objects, emitted path, text and queries. */
export interface CheckedDashboard {
  built: BuiltDashboard;
  path: string;
  text: string;
  queries: DashboardQuery[];
  /** Its structure problems but a duplicate uid: what checkDashboardStructure finds of it alone. */
  structure: Problem[];
  config: Config;
  /** The tree's folder. */
  out: string;
  /** The datasources and rule groups of the build, before their files are emitted (the same object for every dashboard). */
  inputs: { provisioned: ReadonlyMap<string, string>; ruleGroups: readonly RecordingRuleGroup[] };
}

/** Collects, builds, validates and emits the tree in memory; throws BuildError on problems. */
export async function buildTree(opts: BuildOptions): Promise<BuiltTree> {
  const staging: { stage?: TreeStage } = {};
  try {
    return await buildAndEmit(opts, staging);
  } catch (e) {
    await staging.stage?.close(); // a failed build leaves no temporary behind
    throw e;
  }
}

async function buildAndEmit(opts: BuildOptions, staging: { stage?: TreeStage }): Promise<BuiltTree> {
  const started = performance.now();
  const { content } = opts;
  const config = opts.config ?? content.loadConfig(opts.env ?? "dev");
  const out = resolve(opts.out ?? resolve(REPO_ROOT, "build"));

  // collect
  const dsDefs = (opts.datasources ?? content.datasources)(config);
  const dashboardsDir = opts.dashboardsDir ?? resolve(REPO_ROOT, "dashboards");
  const defFiles = definitionFiles(dashboardsDir);
  const cache = opts.cache ? await BuildCache.open(opts.cache, defFiles, dashboardsDir, config, config.env) : undefined;
  const defs = await collectDashboards(dashboardsDir, config, { files: defFiles, known: cache?.known() });
  cache?.setDefinitions(defs);
  // Alert definitions before the dashboards: the dashboards' catalog checks read the series they
  // record. Their dashboard_url links resolve once every dashboard is built (buildAlerting below).
  const ownDashboards = opts.dashboardsDir === undefined || resolve(opts.dashboardsDir) === resolve(REPO_ROOT, "dashboards");
  const alertsDir = opts.alertsDir !== undefined ? opts.alertsDir : ownDashboards ? undefined : null;
  const alertingLoad = await loadAlertingDefinitions(alertsDir, config).then(
    (loaded) => ({ loaded }),
    (failure: unknown) => ({ loaded: null, failure }),
  );
  const provisioned = new Map(dsDefs.map((d) => [d.uid, d.type]));
  const recorded = recordedSeries(alertingLoad.loaded?.expanded.groups.filter((g) => g.language !== "logql") ?? []);

  // build, and the checks of each dashboard on its own while its objects are alive; the build keeps
  // its text and a summary (dashboardSummary) for the checks across dashboards
  const panelIds = readPanelIdLock(dashboardsDir, relative(REPO_ROOT, resolve(dashboardsDir, PANEL_ID_LOCK_FILE)));
  const referenceSchemas = opts.referenceSchemas ?? false;
  const checks = new DashboardProblems({ provisioned, catalog: content.catalog, recorded, referenceSchemas });
  // Without the cache, a build that writes streams its dashboards' files to temporaries (stage.ts):
  // `emitted` then holds null for them, and their size problems are found as they are emitted.
  const stage = opts.stream && !cache && !opts.check && (opts.write ?? true) ? (staging.stage = TreeStage.open(out)) : undefined;
  const emitted = new Map<string, string | null>();
  const stagedTooBig = new Map<string, Problem[]>();
  const summaries: BuiltDashboard[] = [];
  const dashboards: BuiltDashboard[] = [];
  const checked = new Set<string>();
  const inputs = { provisioned, ruleGroups: alertingLoad.loaded?.expanded.groups ?? [] };
  // Stage by stage over a few dashboards at a time: each stage's code stays hot across them, and
  // the objects of at most BATCH dashboards are alive at once.
  const take = (batch: BuiltDashboard[], check: (d: BuiltDashboard) => boolean, keep: boolean) => {
    const { paths, own: owns, texts } = checkBatch(batch, checks, { check, cachedText: cache && ((uid) => cache.text(uid)) });
    batch.forEach((d, i) => {
      const own = owns[i];
      if (own) {
        checked.add(d.json.uid!);
        opts.onDashboard?.({ built: d, path: paths[i], text: texts[i], queries: own.queries, structure: own.structure, config, out, inputs });
      }
      if (stage && texts[i]) {
        stage.add(paths[i], texts[i]);
        stagedTooBig.set(paths[i], checkFileSizes([{ path: paths[i], content: texts[i] }], () => d.definition.file));
        emitted.set(paths[i], null);
      } else emitted.set(paths[i], texts[i]);
      summaries.push(dashboardSummary(d));
      dashboards.push(keep ? d : emittedDashboard(d, stage && texts[i] ? stagedText(stage, paths[i]) : texts[i]));
    });
  };
  // Worker threads for many dashboards without the cache (src/pipeline/parallel.ts): the same tree and messages.
  const parallel = !cache && opts.parallel && !opts.config && !opts.datasources ? planWorkers(defs.length) : undefined;
  steerYoungGeneration(); // its cap (src/pipeline/youngGeneration.mjs), checked between batches below
  if (cache) {
    // The cache decides which verdicts still hold over all the dashboards, and records their objects.
    const verdictInputs = { provisioned, catalog: content.catalog, recorded, referenceSchemas, caller: opts.cache!.verdictInputs };
    cache.verdicts(verdictInputs); // before reuse: a dashboard whose verdict holds is read as its summary
    const all = buildDashboards(defs, config, panelIds, cache.reuse, cache.readDefinitions);
    const toCheck = new Set(cache.toCheck(all, verdictInputs));
    take(all, (d) => toCheck.has(d), true);
  } else if (parallel) {
    const sliceInputs = { defs, config, panelIds, checks: { provisioned, catalog: content.catalog, recorded, referenceSchemas }, out, inputs, onDashboard: opts.onDashboard };
    await checkInParallel(parallel, { ...sliceInputs, env: opts.env ?? "dev", dashboardsDir, hooks: opts.parallel! }, { checks, emitted, summaries, dashboards, checked });
  } else {
    // One dashboard at a time, in the order of their uids (the order the tree lists them in).
    const buildProblems: { at: number; problems: Problem[] }[] = [];
    const order = defs.map((def, at) => ({ def, at })).sort((a, b) => compareText(a.def.uid, b.def.uid));
    let batch: BuiltDashboard[] = [];
    for (const { def, at } of order) {
      if (!batch.length) steerYoungGeneration();
      const r = buildDashboard(def, defs, config, panelIds);
      if (r.problems) buildProblems.push({ at, problems: r.problems });
      else if (!buildProblems.length) batch.push(r.built);
      if (batch.length === BATCH) {
        take(batch, () => true, false);
        batch = [];
        // The staged files' flushes advance here.
        if (stage) await new Promise(setImmediate);
      }
    }
    if (!buildProblems.length) take(batch, () => true, false);
    batch = [];
    // Each definition's problems, in the order the definitions were collected.
    if (buildProblems.length) throw new BuildError(buildProblems.sort((a, b) => a.at - b.at).flatMap((b) => b.problems));
    await stage?.settled();
  }
  if ("failure" in alertingLoad) throw alertingLoad.failure;
  const datasourcesDoc = datasourcesDocument(dsDefs, config);
  const providersDoc = providersDocument(summaries, config);
  const prometheusDoc = prometheusDocument(config);
  // Alerts after dashboards: dashboard_url links resolve against the dashboards of this build.
  const alerting = await buildAlerting({ config, catalog: content.catalog, dashboards: summaries, dir: alertsDir, runbooksDir: opts.runbooksDir, loaded: alertingLoad.loaded, cache: cache?.stages });
  const ops = opsIndex(summaries, alerting.groups, config);

  // validate: the per-dashboard checks' problems (above), checks across dashboards over every dashboard.
  const problems: Problem[] = [
    ...checkDatasourceSecrets(dsDefs, content.datasourcesFile),
    ...checkFileSchema("datasources", toProvisioningValue(datasourcesDoc), content.datasourcesFile),
    ...checkFileSchema("dashboard-providers", toProvisioningValue(providersDoc), "config/environments.ts (folders)"),
    ...withoutWaived(unique([...checks.structure, ...checkDashboardUids(summaries)]), summaries),
    ...checks.datasources,
    ...checks.queries,
    ...checks.catalogQueries,
    ...checks.catalogVariables,
    ...checkDashboardLinks(summaries, { grafanaUrl: config.alerting.grafanaUrl }),
    ...checks.schemas,
    ...checks.values,
    ...checkEmittedValue(datasourcesDoc, { file: content.datasourcesFile }, `build/${PATHS.datasources}`),
    ...checkEmittedValue(providersDoc, { file: "config/environments.ts (folders)" }, `build/${PATHS.providers}`),
    ...checkEmittedValue(prometheusDoc, { file: "config/environments.ts (prometheus)" }, `build/${PATHS.prometheus}`),
    ...checkOpsIndex(ops, `build/${OPS_INDEX_PATH}`),
    ...alerting.problems,
  ];
  const errors = problems.filter((p) => (p.severity ?? "error") === "error");
  if (errors.length) throw new BuildError(errors);

  // emit
  const yaml = yamlTexts(cache?.stages);
  const files: OutputFile[] = [
    { path: PATHS.datasources, content: yaml.provisioning(datasourcesDoc, YAML_HEADER("datasources/")) },
    { path: PATHS.providers, content: yaml.provisioning(providersDoc, YAML_HEADER("config/environments.ts (folders)")) },
    { path: PATHS.prometheus, content: yaml.plain(prometheusDoc, YAML_HEADER("config/environments.ts (prometheus)")) },
    ...[...emitted].map(([path, content]) => (content === null ? stagedFile(stage!, path) : { path, content })),
    opsIndexFile(ops),
    { path: ACCESS_PATH, content: stableStringifyJson(accessDocument(config)) },
    ...alerting.files,
  ].sort((a, b) => compareText(a.path, b.path));
  let sourceOf: Map<string, string | undefined> | undefined; // only for a file too big
  const tooBig = files.flatMap((f) => stagedTooBig.get(f.path) ?? (emitted.get(f.path) === null ? [] : checkFileSizes([f], (path) => (sourceOf ??= new Map(summaries.map((d) => [PATHS.dashboard(d.folderUid, d.json.uid!), d.definition.file]))).get(path))));
  if (tooBig.length) throw new BuildError(tooBig);
  yaml.done();

  return {
    config,
    started,
    buildCache: cache,
    checked,
    summaries,
    parsed: opsParsed(ops),
    ...(stage ? { stage, sameOnDisk: (path: string) => stage.unchanged(path) } : {}),
    env: config.env,
    out,
    files,
    dashboards,
    alerting,
    stats: {
      dashboards: summaries.length,
      panels: summaries.reduce((n, d) => n + countsOf(d.json).panels, 0),
      queries: summaries.reduce((n, d) => n + countsOf(d.json).queries, 0),
      datasources: dsDefs.length,
      files: files.length,
    },
    ms: 0,
  };
}

/** Writes the built tree (or compares it with the tree on disk) and returns the build's result. */
export async function finishBuild(built: BuiltTree, opts: BuildOptions): Promise<BuildResult> {
  const { config: _config, started, buildCache: _cache, checked: _checked, summaries: _summaries, parsed: _parsed, stage, sameOnDisk: _same, ...result } = built;
  const { out, files } = result;
  try {
    if (opts.check) result.differences = diffTree(out, files);
    else if (opts.write ?? true) {
      const written = await writeTree(out, files, { allowEmpty: opts.allowEmpty, staged: stage });
      stage?.committed();
      result.changed = written.changed;
      result.foreign = written.foreign;
    }
  } finally {
    await stage?.close();
  }
  result.ms = Math.round(performance.now() - started);
  return result;
}

/** Gives up a built tree that will not be written: removes its staged temporaries, releases the tree. */
export async function abandonBuild(built: BuiltTree): Promise<void> {
  await built.stage?.close();
}

/**
 * Records the dashboards of a successful build in its cache: their emitted text and per-dashboard
 * lint findings (by uid; none when the build did not lint). Nothing is recorded for a failed build.
 */
export function recordInCache(built: BuiltTree, findings: Map<string, unknown[]> = new Map()): CacheCounts | undefined {
  const cache = built.buildCache;
  if (!cache) return undefined;
  // Dashboards' files only: the Ops index's text is decoded when read (opsIndexFile).
  const byPath = new Map(built.files.filter((f) => f.path !== OPS_INDEX_PATH).map((f) => [f.path, f.content]));
  const texts = new Map(built.dashboards.map((d) => [d.json.uid!, byPath.get(PATHS.dashboard(d.folderUid, d.json.uid!))!]));
  cache.commit(texts, findings);
  return cache.counts();
}

/**
 * The value the Ops index's text parses to (what stableStringifyJson wrote), derived only when lint
 * asks: megabytes at 1,000 dashboards, and a --watch save that does not lint never needs it.
 */
function opsParsed(ops: OpsIndex): Pick<ReadonlyMap<string, unknown>, "get"> {
  let value: unknown;
  // The index is built with its keys in order: lint reads it as it is, not a sorted copy (megabytes).
  return { get: (path: string) => (path === OPS_INDEX_PATH ? (value ??= inStableOrder(ops)) : undefined) };
}

/** Problems without repeats (a check over some dashboards and one over all may name the same one). */
function unique(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = JSON.stringify(p);
    return seen.has(k) ? false : (seen.add(k), true);
  });
}
