// A dashboard page: panels placed on Grafana's grid (24 columns over 1440 px, 30 px rows, 8 px gaps),
// collapsed rows as headers without their panels, review marks outlining the panels a change touched.
import { describe, expect, it } from "vitest";
import { composeDashboard, renderDashboard } from "../../src/preview/dashboard.js";
import type { DashboardJson, PanelData } from "../../src/preview/model.js";

const WINDOW = { from: 1_767_279_600_000, to: 1_767_283_200_000 };
const DASHBOARD: DashboardJson = {
  uid: "grid",
  title: "Grid",
  panels: [
    { id: 1, type: "row", title: "Top", gridPos: { x: 0, y: 0, w: 24, h: 1 } },
    { id: 2, type: "stat", title: "Left", gridPos: { x: 0, y: 1, w: 12, h: 4 } },
    { id: 3, type: "stat", title: "Right", gridPos: { x: 12, y: 1, w: 12, h: 4 } },
    { id: 4, type: "row", title: "Hidden", collapsed: true, gridPos: { x: 0, y: 5, w: 24, h: 1 }, panels: [{ id: 5, type: "stat", title: "Inside", gridPos: { x: 0, y: 6, w: 6, h: 4 } }] },
  ],
};
const fixed = async (): Promise<PanelData> => ({ series: [{ refId: "A", name: "x", labels: {}, points: [[WINDOW.to, 0.5]] }], errors: [] });

describe("dashboard layout", () => {
  it("places panels as Grafana's grid does and draws collapsed rows as headers", async () => {
    const d = await renderDashboard(DASHBOARD, WINDOW, fixed);
    const col = (1440 - 23 * 8) / 24;
    const box = (id: number) => d.panels.find((p) => p.id === id)!;
    expect(box(2)).toMatchObject({ x: 0, y: 38, width: Math.round(12 * col + 11 * 8), height: 4 * 30 + 3 * 8 });
    expect(box(3)).toMatchObject({ x: Math.round(12 * (col + 8)), y: 38 });
    expect(box(4)).toMatchObject({ y: 5 * 38, height: 30 });
    expect(d.panels.map((p) => p.id)).toEqual([1, 2, 3, 4]);
    expect(box(4).svg).toContain("▸ Hidden (1 panels)");
  });

  it("review marks outline the marked panels only", async () => {
    const d = await renderDashboard(DASHBOARD, WINDOW, fixed);
    expect(composeDashboard(d)).toBe(d.svg);
    const marked = composeDashboard(d, new Map([[3, "changed" as const]]));
    expect(marked).toContain(">changed</text>");
    expect(marked.match(/stroke-width="3"/g)).toHaveLength(1);
  });
});
