// Grafana's dashboard grid (public/app/core/constants.ts): 24 columns, 30 px rows, 8 px gaps, no
// outer padding. A collapsed row is a header whose panels are not drawn; an expanded row's panels
// follow it in the top-level list.
import type { PanelJson } from "./model.js";

export const GRID_COLUMNS = 24;
export const GRID_CELL_HEIGHT = 30;
export const GRID_CELL_MARGIN = 8;
/** Width of the drawn dashboard: Grafana on a 1440 px wide window without the side menu. */
export const DASHBOARD_WIDTH = 1440;

export interface PlacedPanel {
  panel: PanelJson;
  x: number;
  y: number;
  width: number;
  height: number;
}

export function placePanels(panels: readonly PanelJson[], width = DASHBOARD_WIDTH): { placed: PlacedPanel[]; height: number } {
  const column = (width - GRID_CELL_MARGIN * (GRID_COLUMNS - 1)) / GRID_COLUMNS;
  const placed: PlacedPanel[] = [];
  let bottom = 0;
  for (const panel of panels) {
    const g = panel.gridPos;
    if (!g || ![g.x, g.y, g.w, g.h].every((n) => Number.isFinite(n))) continue;
    const p: PlacedPanel = {
      panel,
      x: Math.round(g.x * (column + GRID_CELL_MARGIN)),
      y: g.y * (GRID_CELL_HEIGHT + GRID_CELL_MARGIN),
      width: Math.round(g.w * column + Math.max(0, g.w - 1) * GRID_CELL_MARGIN),
      height: g.h * GRID_CELL_HEIGHT + Math.max(0, g.h - 1) * GRID_CELL_MARGIN,
    };
    placed.push(p);
    bottom = Math.max(bottom, p.y + p.height);
  }
  return { placed, height: bottom };
}
