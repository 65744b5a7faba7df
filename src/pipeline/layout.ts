// Places panels on Grafana's 24-column grid: left to right, wrapping when a panel would cross the
// right edge, each row header on its own line. Panels keep their own width and height.
import type { Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";

export const GRID_COLUMNS = 24;

type AnyPanel = Panel | RowPanel;

export function flowLayout(panels: AnyPanel[]): void {
  let x = 0;
  let y = 0;
  let lineHeight = 0;
  const place = (p: AnyPanel) => {
    const w = Math.min(p.gridPos?.w ?? 12, GRID_COLUMNS);
    const h = p.gridPos?.h ?? 8;
    if (x + w > GRID_COLUMNS) {
      x = 0;
      y += lineHeight;
      lineHeight = 0;
    }
    p.gridPos = { ...p.gridPos, x, y, w, h };
    x += w;
    lineHeight = Math.max(lineHeight, h);
  };
  for (const p of panels) {
    if (p.type === "row") {
      y += lineHeight;
      p.gridPos = { x: 0, y, w: GRID_COLUMNS, h: 1 };
      y += 1;
      x = 0;
      lineHeight = 0;
      // Panels of a collapsed row sit just below it, as Grafana expects when it expands them.
      const rowY = y - 1;
      for (const nested of (p as RowPanel).panels ?? []) place(nested as AnyPanel);
      if ((p as RowPanel).collapsed) {
        y = rowY + 1;
        x = 0;
        lineHeight = 0;
      }
    } else {
      place(p);
    }
  }
}
