// Step 2 for dashboards: run each definition's builder, then normalise what the SDK leaves open —
// panel ids (src/pipeline/panelIds.ts), grid positions — so the emitted JSON is complete and identical from build to build.
import type { Dashboard, Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";
import type { Config } from "../model/config.js";
import { DATASOURCE_UIDS } from "../datasourceUids.js";
import type { DashboardContext, DashboardDefinition } from "../definitions.js";
import { BuildError, type Problem } from "../errors.js";
import { allPanels, panelsOf, type BuiltDashboard } from "../model/dashboard.js";
import { markInStableOrder } from "../emit/stable.js";
import { flowLayout } from "./layout.js";
import { assignStablePanelIds, type PanelIdLock } from "./panelIds.js";

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
export function plainCopy(v: unknown, depth = 0): unknown {
  if (depth > MAX_COPY_DEPTH) throw new Error(`the dashboard is nested more than ${MAX_COPY_DEPTH} levels deep (or contains itself)`);
  if (v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function") v = (v as { toJSON(): unknown }).toJSON();
  if (typeof v === "bigint") throw new Error(`a BigInt (${v}) cannot be written to JSON`);
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((x) => (x === undefined || typeof x === "function" || typeof x === "symbol" ? null : plainCopy(x, depth + 1)));
  // Keys in the order the emitted file lists them (src/emit/stable.ts): serialising needs no sorted copy.
  const out: Record<string, unknown> = {};
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o).sort()) {
    const x = o[k];
    if (x === undefined || typeof x === "function" || typeof x === "symbol") continue;
    out[k] = plainCopy(x, depth + 1);
  }
  return out;
}

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
  try {
    // The SDK hands back its internal object; a copy keeps builders reusable across builds.
    // Whether the builder reads the other definitions (navigation, links) is what the build cache
    // needs to know: such a dashboard changes when another definition's uid, title or nav does.
    const ctx = readDefinitions ? { ...shared, get dashboards() {
      readDefinitions.add(def.uid);
      return defs;
    } } : shared;
    json = plainCopy(def.build(ctx).build()) as Dashboard;
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
  panelKeysInOrder(json.panels);
  markInStableOrder(json);
  return { built: { definition: def, folderUid: config.folders[def.folder].uid, json } };
}

/** `o` when its keys are in sorted order (as plainCopy left them), else a copy with them in that order. */
function keysInOrder(o: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(o);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] < keys[i]) continue;
    const out: Record<string, unknown> = {};
    for (const k of keys.sort()) out[k] = o[k];
    return out;
  }
  return o;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Puts back in order the keys the build set after plainCopy: panel ids and grid positions, on
 * panels and the panels of rows. The rest of the dashboard is plainCopy's, in order already.
 */
function panelKeysInOrder(panels: unknown): void {
  if (!Array.isArray(panels)) return;
  for (let i = 0; i < panels.length; i++) {
    if (!isRecord(panels[i])) continue;
    const p = keysInOrder(panels[i]);
    if (isRecord(p.gridPos)) p.gridPos = keysInOrder(p.gridPos);
    panels[i] = p;
    panelKeysInOrder(p.panels);
  }
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
  return built.sort((a, b) => a.json.uid!.localeCompare(b.json.uid!));
}
