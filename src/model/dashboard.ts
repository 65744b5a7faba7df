// A dashboard as the build holds it after step 2 (src/pipeline/dashboards.ts), and the panel walk
// every reader of dashboards shares.
import type { Dashboard, Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";

/**
 * Lint rules a definition may waive for some of its panels, and the build's problem each stands for.
 * Only what says "this panel lacks prose or a unit": imported dashboards carry that debt visibly
 * instead of invented text. Catalog and query problems cannot be waived.
 */
export const WAIVABLE_RULES = {
  "panel-title-description": "missing-description",
  "panel-units": "missing-unit",
} as const;

/** Findings of one rule accepted for the named panels (by title), with the reason; lint counts them. */
export interface LintWaiver {
  rule: keyof typeof WAIVABLE_RULES;
  panels: string[];
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
  return panelsOf(d).flatMap((p) => (p.type === "row" ? [p, ...list((p as RowPanel).panels).filter(isPanel)] : [p]));
}
