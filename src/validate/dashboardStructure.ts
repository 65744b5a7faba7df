// Structural checks on built dashboards: what Grafana would reject or silently mangle
// (uids, ids, grid), and what makes a panel unreadable (no title, description or unit).
import type { Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";
import type { Problem } from "../errors.js";
import { allPanels, panelsOf, type BuiltDashboard } from "../pipeline/dashboards.js";
import { GRID_COLUMNS } from "../pipeline/layout.js";

/** Panel kinds that draw numbers and therefore need a unit. */
export const NUMERIC_PANEL_TYPES = new Set([
  "timeseries", "stat", "gauge", "bargauge", "barchart", "piechart", "histogram", "trend", "xychart", "heatmap", "state-timeline",
]);

/** A dashboard's uid fits Grafana (40 characters) and no other dashboard has it (case-insensitively). */
function uidProblems({ definition, json }: BuiltDashboard, seen: Map<string, string | undefined>): Problem[] {
  const at = { file: definition.file, dashboardUid: json.uid };
  const uid = json.uid ?? "";
  const problems: Problem[] = [];
  if (uid.length > 40) problems.push({ ...at, code: "uid-too-long", message: `uid has ${uid.length} characters; Grafana allows 40` });
  const lower = uid.toLowerCase();
  if (seen.has(lower)) {
    problems.push({ ...at, code: "duplicate-uid", message: `uid "${uid}" is also used by ${seen.get(lower) ?? "another dashboard"}` });
  } else seen.set(lower, definition.file);
  return problems;
}

/** The uid checks of checkDashboardStructure alone (lint's dashboard-uid rule reports them too). */
export function checkDashboardUids(dashboards: BuiltDashboard[]): Problem[] {
  const seen = new Map<string, string | undefined>();
  return dashboards.flatMap((d) => uidProblems(d, seen));
}

/** `seen`: uids of dashboards checked before (the build checks one dashboard at a time). */
export function checkDashboardStructure(dashboards: BuiltDashboard[], seen = new Map<string, string | undefined>()): Problem[] {
  const problems: Problem[] = [];
  for (const d of dashboards) structureProblems(d, seen, allPanels(d.json), problems);
  return problems;
}

/** checkDashboardStructure of one dashboard whose allPanels the caller holds, into `problems`. */
export function structureProblems(d: BuiltDashboard, seen: Map<string, string | undefined>, panels: readonly (Panel | RowPanel)[], problems: Problem[] = []): Problem[] {
  const { definition, json } = d;
  const at = { file: definition.file, dashboardUid: json.uid };
  problems.push(...uidProblems(d, seen));
  if (!json.title?.trim()) problems.push({ ...at, code: "missing-title", message: "dashboard has no title" });

  // A problem's place is made only when there is one (most panels have none).
  const where = (p: Panel | RowPanel) => ({ ...at, panelTitle: p.title || `(untitled ${p.type} panel id ${p.id})` });
  const ids = new Map<number, string>();
  for (const p of panels) {
    if (typeof p.id !== "number") continue;
    if (ids.has(p.id)) {
      problems.push({ ...where(p), code: "duplicate-panel-id", message: `panel id ${p.id} is also used by panel "${ids.get(p.id)}"` });
    } else ids.set(p.id, p.title ?? "");
    if (p.type === "row") continue;
    const panel = p as Panel;
    if (!panel.title?.trim()) problems.push({ ...where(p), code: "missing-panel-title", message: "panel has no title" });
    if (!panel.description?.trim()) {
      problems.push({ ...where(p), code: "missing-description", message: "panel has no description; say what it shows and how to read it" });
    }
    if (NUMERIC_PANEL_TYPES.has(panel.type) && !panel.fieldConfig?.defaults?.unit) {
      problems.push({ ...where(p), code: "missing-unit", message: `${panel.type} panel has no unit (fieldConfig.defaults.unit), e.g. "s", "bytes", "reqps", "percentunit"` });
    }
  }
  problems.push(...checkGridLevels(panelsOf(json), at));
  return problems;
}

/**
 * The grid at every level: the dashboard's panels, then each row's own panels (a collapsed row keeps
 * them, and Grafana places them on the same 24-column grid when the row opens). Grafana has one level
 * of rows; a row inside a row is rejected rather than walked further.
 */
function checkGridLevels(panels: (Panel | RowPanel)[], at: { file?: string; dashboardUid?: string }): Problem[] {
  const problems = checkGrid(panels, at);
  for (const p of panels) {
    if (p.type !== "row" || !Array.isArray((p as RowPanel).panels)) continue;
    // Entries that are not panels are the schema check's to name.
    const nested = ((p as RowPanel).panels as unknown[]).filter((n): n is Panel | RowPanel => typeof n === "object" && n !== null);
    problems.push(...checkGrid(nested, at, ` in row "${p.title ?? ""}"`));
    for (const n of nested) {
      if (n.type === "row") {
        problems.push({ ...at, panelTitle: n.title, code: "nested-row", message: `row inside row "${p.title ?? ""}"; Grafana has one level of rows` });
      }
    }
  }
  return problems;
}

type Box = { title: string; x: number; y: number; w: number; h: number };

function checkGrid(panels: (Panel | RowPanel)[], at: { file?: string; dashboardUid?: string }, level = ""): Problem[] {
  const problems: Problem[] = [];
  const boxes: Box[] = [];
  for (const p of panels) {
    const g = p.gridPos;
    if (!g) {
      problems.push({ ...at, panelTitle: p.title, code: "bad-gridpos", message: `panel${level} has no gridPos` });
      continue;
    }
    const x = g.x ?? 0;
    if (!(Number.isInteger(x) && Number.isInteger(g.y) && Number.isInteger(g.w) && Number.isInteger(g.h))) {
      const shown = (["x", "y", "w", "h"] as const).map((k) => `${k}:${JSON.stringify(g[k]) ?? "undefined"}`).join(", ");
      problems.push({ ...at, panelTitle: p.title, code: "bad-gridpos", message: `gridPos {${shown}}${level}: x, y, w and h must be whole numbers of grid cells` });
      continue;
    }
    if (x < 0 || g.y < 0 || g.w < 1 || g.h < 1 || x + g.w > GRID_COLUMNS) {
      problems.push({
        ...at,
        panelTitle: p.title,
        code: "bad-gridpos",
        message: `gridPos {x:${g.x}, y:${g.y}, w:${g.w}, h:${g.h}}${level} is outside the ${GRID_COLUMNS}-column grid`,
      });
      continue;
    }
    const { y, w, h } = g;
    let hit: Box | undefined;
    for (const b of boxes) {
      if (b.x < x + w && x < b.x + b.w && b.y < y + h && y < b.y + b.h) {
        hit = b;
        break;
      }
    }
    if (hit) {
      problems.push({ ...at, panelTitle: p.title, code: "overlapping-panels", message: `gridPos${level} overlaps panel "${hit.title}"` });
    }
    boxes.push({ title: p.title ?? "", x, y, w, h });
  }
  return problems;
}
