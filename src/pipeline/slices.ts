// The build without the cache in slices of the uid order, each checked apart — by the main thread or
// a worker thread (src/pipeline/parallel.ts) — and merged back in order, so that the tree, the
// problems and their order are those of the one-thread build. A slice goes through the steps of
// buildTree's `take`: build, the dashboard's own checks, its text, the onDashboard hook, its summary;
// what it returns is structured-cloneable (a worker posts it back).
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import type { Config } from "../model/config.js";
import type { BuiltDashboard } from "../model/dashboard.js";
import type { DashboardDefinition } from "../definitions.js";
import { BuildError, type Problem } from "../errors.js";
import { buildDashboard } from "./dashboards.js";
import { checkBatch, DashboardProblems, PROBLEM_KINDS, type DashboardCheckInputs, type ProblemsByKind } from "./dashboardChecks.js";
import type { PanelIdLock } from "./panelIds.js";
import { dashboardSummary, emittedDashboard } from "./summary.js";
import type { CheckedDashboard } from "./index.js";
import { compareText } from "../emit/textOrder.js";

/** What checking a slice needs: the same values on every thread. */
export interface SliceInputs {
  defs: DashboardDefinition[];
  config: Config;
  panelIds: PanelIdLock;
  checks: DashboardCheckInputs;
  out: string;
  inputs: CheckedDashboard["inputs"];
  onDashboard?: (d: CheckedDashboard) => void;
  /** What the hook kept about a dashboard, to send back with it (a worker's lint findings). */
  payload?: (uid: string) => unknown;
}

export interface SliceDashboard {
  /** The definition's place among the collected definitions. */
  at: number;
  path: string;
  text: string;
  folderUid: string;
  /** dashboardSummary's JSON. */
  summary: Dashboard;
  payload?: unknown;
}

export interface SliceResult {
  /** Each definition that did not build, with its place among the collected definitions. */
  buildProblems: { at: number; problems: Problem[] }[];
  /** Empty when a definition of the slice did not build (the build then fails on those). */
  dashboards: SliceDashboard[];
  problems?: ProblemsByKind;
  /** What the checks threw (the one-thread build would have thrown it there). */
  error?: unknown;
}

/** The definitions' indexes in uid order (the order the tree lists them in), `size` at a time. */
export function slicesOf(defs: DashboardDefinition[], size: number): number[][] {
  const order = defs.map((def, at) => ({ uid: def.uid, at })).sort((a, b) => compareText(a.uid, b.uid));
  const slices: number[][] = [];
  for (let i = 0; i < order.length; i += size) slices.push(order.slice(i, i + size).map((o) => o.at));
  return slices;
}

/**
 * The uids (lower case → file) the structure checks have seen before slice `k`: a duplicate is named
 * at its second dashboard, with the first one's file, whichever thread checks either.
 */
export function seenBefore(slices: number[][], k: number, defs: DashboardDefinition[]): Map<string, string | undefined> {
  const seen = new Map<string, string | undefined>();
  for (let j = 0; j < k; j++) {
    for (const at of slices[j]) {
      const lower = defs[at].uid.toLowerCase();
      if (!seen.has(lower)) seen.set(lower, defs[at].file);
    }
  }
  return seen;
}

/** Builds and checks one slice (buildTree's take, over one slice). */
export function checkSlice(slice: number[], seen: Map<string, string | undefined>, s: SliceInputs): SliceResult {
  const buildProblems: SliceResult["buildProblems"] = [];
  const batch: BuiltDashboard[] = [];
  for (const at of slice) {
    const r = buildDashboard(s.defs[at], s.defs, s.config, s.panelIds);
    if (r.problems) buildProblems.push({ at, problems: r.problems });
    else batch.push(r.built);
  }
  if (buildProblems.length) return { buildProblems, dashboards: [] };
  const checks = new DashboardProblems(s.checks, seen);
  try {
    const { paths, own, texts } = checkBatch(batch, checks);
    const dashboards = batch.map((d, i): SliceDashboard => {
      s.onDashboard?.({ built: d, path: paths[i], text: texts[i], queries: own[i]!.queries, structure: own[i]!.structure, config: s.config, out: s.out, inputs: s.inputs });
      const payload = s.payload?.(d.json.uid!);
      return { at: slice[i], path: paths[i], text: texts[i], folderUid: d.folderUid, summary: dashboardSummary(d).json, ...(payload !== undefined ? { payload } : {}) };
    });
    const problems = Object.fromEntries(PROBLEM_KINDS.map((kind) => [kind, checks[kind]])) as ProblemsByKind;
    return { buildProblems, dashboards, problems };
  } catch (error) {
    return { buildProblems, dashboards: [], error };
  }
}

/** Where merged slices go: buildTree's own collections. */
export interface SliceSink {
  checks: DashboardProblems;
  emitted: Map<string, string | null>;
  summaries: BuiltDashboard[];
  dashboards: BuiltDashboard[];
  checked: Set<string>;
  /** A dashboard checked on another thread, with what its hook kept (see SliceInputs.payload). */
  onRemote?: (uid: string, payload: unknown) => void;
}

/**
 * Merges the slices in order, as the one-thread build would have met them: definitions that did not
 * build fail the build (all of them, in the order they were collected); before any did, what a
 * slice's checks threw is thrown.
 */
export function mergeSlices(results: SliceResult[], defs: DashboardDefinition[], into: SliceSink): void {
  const failed: SliceResult["buildProblems"] = [];
  for (const r of results) {
    failed.push(...r.buildProblems);
    if (failed.length) continue;
    if (r.error !== undefined) throw r.error;
    for (const kind of PROBLEM_KINDS) into.checks[kind].push(...r.problems![kind]);
    for (const d of r.dashboards) {
      const built: BuiltDashboard = { definition: defs[d.at], folderUid: d.folderUid, json: d.summary };
      into.checked.add(d.summary.uid!);
      into.emitted.set(d.path, d.text);
      into.summaries.push(built);
      into.dashboards.push(emittedDashboard(built, d.text));
      if (d.payload !== undefined) into.onRemote?.(d.summary.uid!, d.payload);
    }
  }
  if (failed.length) throw new BuildError(failed.sort((a, b) => a.at - b.at).flatMap((b) => b.problems));
}
