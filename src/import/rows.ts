// Where Grafana shows the panels of a collapsed row once it is opened: the first one just below the
// row, each other one as far from the first as it was saved (Grafana's DashboardModel.toggleRow
// shifts them all by one offset). Exports often save them from y 0; the import writes them where
// Grafana shows them, and verification compares them there.
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** How far Grafana moves the row's panels down when the row opens (0 when they are where it puts them). */
export function collapsedRowShift(row: Obj): number {
  if (row.collapsed !== true || !Array.isArray(row.panels)) return 0;
  const first = row.panels.find(isObj);
  const g = isObj(row.gridPos) ? row.gridPos : {};
  const rowY = num(g.y) ?? 0;
  const firstY = first && isObj(first.gridPos) ? num(first.gridPos.y) : undefined;
  return firstY === undefined ? 0 : rowY + (num(g.h) ?? 1) - firstY;
}

/** The panel with its y where Grafana shows it, `shift` rows further down (a copy when it moves). */
export function shifted(panel: unknown, shift: number): unknown {
  if (!shift || !isObj(panel) || !isObj(panel.gridPos) || num(panel.gridPos.y) === undefined) return panel;
  return { ...panel, gridPos: { ...panel.gridPos, y: (panel.gridPos.y as number) + shift } };
}
