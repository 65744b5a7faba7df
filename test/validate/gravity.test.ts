// The packed layout: every built dashboard passes the gravity check, the check finds a hole the old
// left-to-right flow left, and the layout fills it.
import { describe, expect, it } from "vitest";
import type { Dashboard, Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";
import { loadConfig } from "../../config/index.js";
import { flowLayout } from "../../src/pipeline/layout.js";
import { gravityFindings } from "../../src/validate/gravity.js";
import { repoDashboards } from "../fixtures/alerts/build.js";

const panel = (title: string, w: number, h = 8, x = 0, y = 0) => ({ type: "stat", title, gridPos: { x, y, w, h } }) as Panel;
const row = (title: string, panels: Panel[] = [], collapsed = false) => ({ type: "row", title, collapsed, panels }) as unknown as RowPanel;
const pos = (p: Panel | RowPanel) => [p.gridPos!.x, p.gridPos!.y, p.gridPos!.w, p.gridPos!.h];

describe("gravity over every built dashboard", () => {
  it.each(["dev", "prod"])("%s: no panel could move up or fill an earlier hole of its row", async (env) => {
    const built = await repoDashboards(loadConfig(env));
    expect(built.length).toBeGreaterThan(5);
    for (const b of built) expect({ uid: b.json.uid, findings: gravityFindings(b.json) }).toEqual({ uid: b.json.uid, findings: [] });
  });
});

describe("gravityFindings", () => {
  it("finds the hole a left-to-right flow leaves (6 wide after 18 and 12)", () => {
    // As the flow layout placed them: 18 at the top, 12 wrapped, 6 beside the 12.
    const d = { panels: [panel("A", 18, 8, 0, 0), panel("B", 12, 8, 0, 8), panel("C", 6, 8, 12, 8)] } as Dashboard;
    expect(gravityFindings(d)).toEqual([{ panelTitle: "C", panelId: undefined, from: { x: 12, y: 8 }, to: { x: 18, y: 0 } }]);
  });

  it("finds a panel that could move up, and none across a row header", () => {
    const floating = { panels: [panel("A", 12, 8, 0, 0), panel("B", 12, 8, 12, 3)] } as Dashboard;
    expect(gravityFindings(floating).map((f) => [f.panelTitle, f.to])).toEqual([["B", { x: 12, y: 0 }]]);
    const underRow = { panels: [panel("A", 12, 8, 0, 0), { ...row("R"), gridPos: { x: 0, y: 8, w: 24, h: 1 } }, panel("B", 12, 8, 0, 9)] } as Dashboard;
    expect(gravityFindings(underRow)).toEqual([]);
  });
});

describe("flowLayout packs like Grafana's grid", () => {
  it("backfills a hole with a later panel that fits", () => {
    const panels = [panel("A", 18), panel("B", 12), panel("C", 6)];
    flowLayout(panels);
    expect(panels.map(pos)).toEqual([
      [0, 0, 18, 8],
      [0, 8, 12, 8],
      [18, 0, 6, 8],
    ]);
    expect(gravityFindings({ panels } as Dashboard)).toEqual([]);
  });

  it("packs short panels under a tall one's neighbours, rows on their own line", () => {
    const panels = [panel("tall", 12, 8), panel("s1", 6, 4), panel("s2", 6, 4), panel("s3", 6, 4), panel("s4", 6, 4), row("R"), panel("after", 24, 4)];
    flowLayout(panels);
    expect(panels.map(pos)).toEqual([
      [0, 0, 12, 8],
      [12, 0, 6, 4],
      [18, 0, 6, 4],
      [12, 4, 6, 4],
      [18, 4, 6, 4],
      [0, 8, 24, 1],
      [0, 9, 24, 4],
    ]);
  });

  it("lays a collapsed row's panels out under it and starts what follows under the row header", () => {
    const panels = [row("C", [panel("hidden1", 12), panel("hidden2", 12)], true), row("D"), panel("x", 6)];
    flowLayout(panels);
    expect(panels.map(pos)).toEqual([
      [0, 0, 24, 1],
      [0, 1, 24, 1],
      [0, 2, 6, 8],
    ]);
    expect((panels[0] as RowPanel).panels!.map((p) => pos(p as Panel))).toEqual([
      [0, 1, 12, 8],
      [12, 1, 12, 8],
    ]);
    expect(gravityFindings({ panels } as Dashboard)).toEqual([]);
  });
});
