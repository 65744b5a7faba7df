// A dashboard as the build holds it after step 2 (src/pipeline/dashboards.ts), and the panel walk
// every reader of dashboards shares.
import type { Dashboard, Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";

/**
 * The build's own problems that stand for a lint rule: a waiver of the rule also lets the build
 * accept them (the build checks descriptions and units before lint runs).
 */
export const BUILD_PROBLEMS_OF_RULES: Readonly<Record<string, string>> = {
  "panel-title-description": "missing-description",
  "panel-units": "missing-unit",
};

/**
 * Findings of one lint rule accepted for the dashboard (no `panels`) or for the named panels (by
 * title), with the reason; lint counts them as waived. Which rules may be named: src/model/lintRules.ts.
 */
export interface LintWaiver {
  rule: string;
  panels?: string[];
  reason: string;
}

/** What the engine and tools read of a dashboard definition (src/definitions.ts has the full type). */
export interface DashboardSource {
  kind?: "dashboard";
  uid: string;
  /** Key of `config.folders` the dashboard is provisioned into. */
  folder: string;
  /** The file the definition came from, for error messages. */
  file?: string;
  lintWaivers?: readonly LintWaiver[];
}

export interface BuiltDashboard {
  definition: DashboardSource;
  folderUid: string;
  json: Dashboard;
}

// Lists that are not lists (a definition's mistake) read as empty here; the schema check names them.
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const isPanel = (p: unknown): p is Panel | RowPanel => typeof p === "object" && p !== null;

export function panelsOf(d: Dashboard): (Panel | RowPanel)[] {
  return list(d.panels).filter(isPanel);
}

/** Top-level panels and the panels nested in (collapsed) rows, in document order. */
export function allPanels(d: Dashboard): (Panel | RowPanel)[] {
  // One list and no list per panel: the checks and lint ask for it several times per dashboard.
  const out: (Panel | RowPanel)[] = [];
  for (const p of list(d.panels)) {
    if (!isPanel(p)) continue;
    out.push(p);
    if (p.type === "row") for (const n of list((p as RowPanel).panels)) if (isPanel(n)) out.push(n);
  }
  return out;
}
