// Places panels on Grafana's 24-column grid the way Grafana's own grid packs them: each panel, in
// order, goes to the first free position in reading order (highest, then leftmost) within its row,
// so a 6-wide panel fills the 6-wide hole a wider one left instead of wrapping below it. Row headers
// take a line of their own; panels keep their own width and height.
import type { Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";

export const GRID_COLUMNS = 24;

type AnyPanel = Panel | RowPanel;
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * The first position in reading order at or below `top` where a w×h panel overlaps none of `placed`.
 * Only `top` and the bottom edges of placed panels need trying: a free position one line lower
 * than such a line would also be free one line higher. Below everything placed the grid is empty,
 * so a panel of a width that fits is always placed; any other width goes to the left edge there.
 */
export function firstFit(placed: Rect[], top: number, w: number, h: number): { x: number; y: number } {
  // The lines in increasing order, each found from the one before: nothing is allocated per try
  // (a dashboard places every panel this way).
  for (let y = top; ; ) {
    for (let x = 0; x + w <= GRID_COLUMNS; x++) if (isFree(placed, x, y, w, h)) return { x, y };
    let next = Infinity;
    for (const r of placed) if (r.y + r.h > y && r.y + r.h < next) next = r.y + r.h;
    if (next === Infinity) return { x: 0, y };
    y = next;
  }
}

/** Whether the w×h rectangle at (x, y) overlaps none of `placed` (as `overlaps` tells). */
function isFree(placed: Rect[], x: number, y: number, w: number, h: number): boolean {
  for (const r of placed) if (r.x < x + w && x < r.x + r.w && r.y < y + h && y < r.y + r.h) return false;
  return true;
}

function bottomOf(placed: Rect[], top: number): number {
  let bottom = top;
  for (const r of placed) bottom = Math.max(bottom, r.y + r.h);
  return bottom;
}

export function flowLayout(panels: AnyPanel[]): void {
  let top = 0;
  let placed: Rect[] = [];
  const place = (p: AnyPanel) => {
    const [givenW, h] = [p.gridPos?.w ?? 12, p.gridPos?.h ?? 8];
    // A size that is not whole grid cells (a string, NaN) is left as given, below what is placed,
    // for the structure check to name; it takes no room.
    if (!Number.isInteger(givenW) || !Number.isInteger(h)) {
      p.gridPos = { ...p.gridPos, x: 0, y: bottomOf(placed, top) } as AnyPanel["gridPos"];
      return;
    }
    const w = Math.max(1, Math.min(givenW, GRID_COLUMNS));
    const { x, y } = firstFit(placed, top, w, h);
    p.gridPos = { ...p.gridPos, x, y, w, h };
    placed.push({ x, y, w, h });
  };
  for (const p of panels) {
    if (p.type !== "row") {
      place(p);
      continue;
    }
    const rowY = bottomOf(placed, top);
    p.gridPos = { x: 0, y: rowY, w: GRID_COLUMNS, h: 1 };
    top = rowY + 1;
    placed = [];
    // Panels of a collapsed row sit just below it, as Grafana expects when it expands them; they take
    // no room on the dashboard, so what follows starts below the row header again.
    for (const nested of (p as RowPanel).panels ?? []) place(nested as AnyPanel);
    if ((p as RowPanel).collapsed) placed = [];
  }
}
