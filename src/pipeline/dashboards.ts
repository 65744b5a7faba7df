// Step 2 for dashboards: run each definition's builder, then normalise what the SDK leaves open —
// panel ids (src/pipeline/panelIds.ts), grid positions — so the emitted JSON is complete and identical from build to build.
import type { Dashboard, Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";
import type { Config } from "../model/config.js";
import { DATASOURCE_UIDS } from "../datasourceUids.js";
import type { DashboardContext, DashboardDefinition } from "../definitions.js";
import { BuildError, type Problem } from "../errors.js";
import { allPanels, panelsOf, type BuiltDashboard } from "../model/dashboard.js";
import { markInStableOrder, sortKeys } from "../emit/stable.js";
import { markValuesClean } from "../validate/dashboardValues.js";
import { MAX_VALUE_DEPTH } from "../validate/emittedValues.js";
import { flowLayout } from "./layout.js";
import { assignStablePanelIds, type PanelIdLock } from "./panelIds.js";
import { compareText } from "../emit/textOrder.js";

export { allPanels, panelsOf, type BuiltDashboard } from "../model/dashboard.js";

export function dashboardPath(uid: string): string {
  return `/d/${uid}`;
}

// A dashboard kept from an earlier build (--watch) is the same object, never mutated: counted once.
const counts = new WeakMap<object, { panels: number; queries: number }>();

/** Panels (rows not counted) and queries of a built dashboard, for the build's summary. */
export function countsOf(json: Dashboard): { panels: number; queries: number } {
  let c = counts.get(json);
  if (!c) {
    const panels = allPanels(json);
    c = { panels: panels.filter((p) => p.type !== "row").length, queries: panels.reduce((m, p) => m + ((p as { targets?: unknown[] }).targets?.length ?? 0), 0) };
    counts.set(json, c);
  }
  return c;
}

/** Deeper than any dashboard; a builder nesting without end fails here instead of overflowing the stack. */
const MAX_COPY_DEPTH = 1000;

/**
 * What JSON.parse(JSON.stringify(v)) gives (toJSON applied, undefined and functions dropped), except
 * that NaN and ±Infinity stay numbers: JSON would turn them into null before the build's value check
 * (src/validate/emittedValues.ts) could name them.
 */
export function plainCopy(v: unknown): unknown {
  return copyValue(v, 0, { suspect: false });
}

const isFunctionOrSymbol = (x: unknown) => typeof x === "function" || typeof x === "symbol";

/**
 * plainCopy, noting in `seen.suspect` whether the copy holds anything the value check reports (a
 * number that is not finite, a string or key that is not well-formed, nesting as deep as its limit),
 * so that a clean copy is not walked again for it.
 */
function copyValue(v: unknown, depth: number, seen: { suspect: boolean }): unknown {
  if (depth > MAX_COPY_DEPTH) throw new Error(`the dashboard is nested more than ${MAX_COPY_DEPTH} levels deep (or contains itself)`);
  // Strings and numbers first: most values are.
  if (typeof v === "string") {
    if (!isWellFormed(v)) seen.suspect = true;
    return v;
  }
  if (typeof v === "number") {
    if (!Number.isFinite(v)) seen.suspect = true;
    return v;
  }
  if (v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function") {
    v = (v as { toJSON(): unknown }).toJSON();
    if (typeof v === "string" || typeof v === "number") return copyValue(v, depth, seen);
  }
  if (typeof v === "bigint") throw new Error(`a BigInt (${v}) cannot be written to JSON`);
  if (v === null || typeof v !== "object") return v;
  if (depth >= MAX_VALUE_DEPTH) seen.suspect = true;
  if (Array.isArray(v)) {
    // An array of the exact length: a hole stays one (JSON writes null for it).
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x === undefined) {
        if (i in v) out.push(null);
        else out.length = i + 1;
      } else out.push(isFunctionOrSymbol(x) ? null : copyValue(x, depth + 1, seen));
    }
    return out;
  }
  // Keys in the order the emitted file lists them (src/emit/stable.ts): serialising needs no sorted copy.
  const out: Record<string, unknown> = {};
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] < keys[i]) continue;
    sortKeys(keys);
    break;
  }
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const x = o[k];
    if (x === undefined || isFunctionOrSymbol(x)) continue;
    if (!isWellFormed(k)) seen.suspect = true;
    out[k] = copyValue(x, depth + 1, seen);
  }
  return out;
}

const isWellFormed = (s: string) => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/** One definition built: the dashboard, or the problems that stopped it. */
export type BuildOutcome = { built: BuiltDashboard; problems?: undefined } | { built?: undefined; problems: Problem[] };

/**
 * Runs one definition's builder and completes what it leaves open (ids, layout). `reuse` hands back
 * a dashboard built earlier from the very same inputs (the build cache): it is taken as it is, its
 * builder not run.
 */
export function buildDashboard(
  def: DashboardDefinition,
  defs: DashboardDefinition[],
  config: Config,
  panelIds: PanelIdLock = {},
  reuse: (def: DashboardDefinition) => Dashboard | undefined = () => undefined,
  readDefinitions?: Set<string>,
): BuildOutcome {
  const reused = reuse(def);
  if (reused) return { built: { definition: def, folderUid: config.folders[def.folder].uid, json: reused } };
  const shared: DashboardContext = { config, datasources: DATASOURCE_UIDS, dashboardPath, dashboards: defs };
  let json: Dashboard;
  const seen = { suspect: false };
  try {
    // The SDK hands back its internal object; a copy keeps builders reusable across builds.
    // Whether the builder reads the other definitions (navigation, links) is what the build cache
    // needs to know: such a dashboard changes when another definition's uid, title or nav does.
    const ctx = readDefinitions ? { ...shared, get dashboards() {
      readDefinitions.add(def.uid);
      return defs;
    } } : shared;
    json = copyValue(def.build(ctx).build(), 0, seen) as Dashboard;
  } catch (e) {
    return { problems: [{ code: "definition-build", file: def.file, dashboardUid: def.uid, message: (e as Error).message }] };
  }
  if (json.uid !== def.uid) {
    return {
      problems: [{
        code: "uid-mismatch",
        file: def.file,
        dashboardUid: def.uid,
        message: `the builder sets uid "${json.uid ?? ""}" but the definition says "${def.uid}"`,
      }],
    };
  }
  delete json.id;
  const idProblems = assignStablePanelIds(allPanels(json), panelIds[def.uid] ?? {}, { file: def.file, dashboardUid: def.uid });
  if (idProblems.length) return { problems: idProblems };
  if ((def.layout ?? "flow") === "flow") flowLayout(panelsOf(json));
  // Ids and grid positions set since the copy are numbers; one computed from a field of another type is not finite.
  if (!panelKeysInOrder(json.panels)) seen.suspect = true;
  markInStableOrder(json);
  if (!seen.suspect) markValuesClean(json);
  return { built: { definition: def, folderUid: config.folders[def.folder].uid, json } };
}

/** `o` when its keys are in sorted order (as plainCopy left them), else a copy with them in that order. */
function keysInOrder(o: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(o);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] < keys[i]) continue;
    const out: Record<string, unknown> = {};
    for (const k of sortKeys(keys)) out[k] = o[k];
    return out;
  }
  return o;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const finiteOrAbsent = (n: unknown) => typeof n !== "number" || Number.isFinite(n);

/**
 * Puts back in order the keys the build set after plainCopy: panel ids and grid positions, on
 * panels and the panels of rows. The rest of the dashboard is plainCopy's, in order already.
 * Returns whether those ids and positions are all finite.
 */
function panelKeysInOrder(panels: unknown): boolean {
  if (!Array.isArray(panels)) return true;
  let finite = true;
  for (let i = 0; i < panels.length; i++) {
    if (!isRecord(panels[i])) continue;
    const p = keysInOrder(panels[i]);
    if (isRecord(p.gridPos)) {
      const g = (p.gridPos = keysInOrder(p.gridPos));
      finite &&= finiteOrAbsent(g.x) && finiteOrAbsent(g.y) && finiteOrAbsent(g.w) && finiteOrAbsent(g.h);
    }
    finite &&= finiteOrAbsent(p.id);
    panels[i] = p;
    finite = panelKeysInOrder(p.panels) && finite;
  }
  return finite;
}

/** Every definition built (buildDashboard), sorted by uid; throws BuildError with every definition's problems. */
export function buildDashboards(
  defs: DashboardDefinition[],
  config: Config,
  panelIds: PanelIdLock = {},
  reuse: (def: DashboardDefinition) => Dashboard | undefined = () => undefined,
  readDefinitions?: Set<string>,
): BuiltDashboard[] {
  const problems: Problem[] = [];
  const built: BuiltDashboard[] = [];
  for (const def of defs) {
    const r = buildDashboard(def, defs, config, panelIds, reuse, readDefinitions);
    if (r.built) built.push(r.built);
    else problems.push(...r.problems);
  }
  if (problems.length) throw new BuildError(problems);
  return built.sort((a, b) => compareText(a.json.uid!, b.json.uid!));
}
