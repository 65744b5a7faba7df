// The gravity check: in a packed layout no panel fits at an earlier position (higher, or as high and
// further left) within its row, so no panel could move up and no hole is left that a following panel
// of the row could fill. Rows are sections: a panel never moves across a row header.
import type { Dashboard, Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";
import { GRID_COLUMNS, overlaps, type Rect } from "../pipeline/layout.js";

export interface GravityFinding {
  panelTitle: string;
  panelId?: number;
  from: { x: number; y: number };
  to: { x: number; y: number };
}

const rectOf = (p: Panel | RowPanel): Rect => ({ x: p.gridPos?.x ?? 0, y: p.gridPos?.y ?? 0, w: p.gridPos?.w ?? 0, h: p.gridPos?.h ?? 0 });

/** Panels grouped by the row they sit in, each group with the first line it may use. */
function sections(d: Dashboard): { top: number; panels: Panel[] }[] {
  const out: { top: number; panels: Panel[] }[] = [{ top: 0, panels: [] }];
  for (const p of (d.panels ?? []) as (Panel | RowPanel)[]) {
    if (p.type !== "row") {
      out[out.length - 1].panels.push(p as Panel);
      continue;
    }
    const top = (p.gridPos?.y ?? 0) + 1;
    out.push({ top, panels: [...(((p as RowPanel).panels ?? []) as Panel[])] });
    // What follows a collapsed row is laid out apart from the row's hidden panels.
    if ((p as RowPanel).collapsed) out.push({ top, panels: [] });
  }
  return out;
}

export function gravityFindings(d: Dashboard): GravityFinding[] {
  const findings: GravityFinding[] = [];
  for (const { top, panels } of sections(d)) {
    for (const p of panels) {
      const r = rectOf(p);
      const others = panels.filter((o) => o !== p).map(rectOf);
      search: for (let y = top; y <= r.y; y++) {
        for (let x = 0; x + r.w <= GRID_COLUMNS && (y < r.y || x < r.x); x++) {
          if (!others.some((o) => overlaps(o, { ...r, x, y }))) {
            findings.push({ panelTitle: p.title ?? "", panelId: p.id, from: { x: r.x, y: r.y }, to: { x, y } });
            break search;
          }
        }
      }
    }
  }
  return findings;
}
