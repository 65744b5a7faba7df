// The flow layout's first-fit search: the same positions as trying every line in turn, and an end
// whatever sizes a definition gives (a panel of a million lines, a width that is not a number).
import { describe, expect, it } from "vitest";
import type { Panel } from "@grafana/grafana-foundation-sdk/dashboard";
import { firstFit, flowLayout, GRID_COLUMNS, overlaps, type Rect } from "../../src/pipeline/layout.js";

/** Every line from `top` down, every column: the search as Grafana's grid describes it. */
function lineByLine(placed: Rect[], top: number, w: number, h: number): { x: number; y: number } {
  for (let y = top; ; y++) {
    for (let x = 0; x + w <= GRID_COLUMNS; x++) if (!placed.some((r) => overlaps(r, { x, y, w, h }))) return { x, y };
  }
}

// A small deterministic generator, so a failure names a case that can be run again.
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe("firstFit", () => {
  it("finds what a line-by-line search finds, over 500 random layouts", () => {
    const next = random(7);
    const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
    for (let c = 0; c < 500; c++) {
      const placed: Rect[] = [];
      const top = int(0, 3);
      for (let i = int(0, 12); i > 0; i--) {
        const [w, h] = [int(1, GRID_COLUMNS), int(1, 9)];
        placed.push({ x: int(0, GRID_COLUMNS - w), y: int(0, 20), w, h });
      }
      const [w, h] = [int(1, GRID_COLUMNS), int(1, 9)];
      expect(firstFit(placed, top, w, h), `case ${c}`).toEqual(lineByLine(placed, top, w, h));
    }
  });

  it("places a panel below a very tall one without walking down line by line", () => {
    const placed = [{ x: 0, y: 0, w: GRID_COLUMNS, h: 1_000_000_000 }];
    expect(firstFit(placed, 0, 12, 8)).toEqual({ x: 0, y: 1_000_000_000 });
  });

  it("puts a width wider than the grid at the left edge below everything, instead of searching forever", () => {
    expect(firstFit([{ x: 0, y: 0, w: 6, h: 4 }], 0, 30, 4)).toEqual({ x: 0, y: 4 });
  });
});

describe("flowLayout with sizes that are not whole grid cells", () => {
  it("leaves them as given, below the placed panels, and lays out the rest", () => {
    const panels = [
      { type: "stat", title: "A", gridPos: { x: 0, y: 0, w: 24, h: 4 } },
      { type: "stat", title: "Wide", gridPos: { x: 0, y: 0, w: "wide" as unknown as number, h: 4 } },
      { type: "stat", title: "B", gridPos: { x: 0, y: 0, w: 12, h: Number.NaN } },
      { type: "stat", title: "C", gridPos: { x: 0, y: 0, w: 12, h: 4 } },
    ] as Panel[];
    flowLayout(panels);
    expect(panels.map((p) => p.gridPos)).toEqual([
      { x: 0, y: 0, w: 24, h: 4 },
      { x: 0, y: 4, w: "wide", h: 4 },
      { x: 0, y: 4, w: 12, h: Number.NaN },
      { x: 0, y: 4, w: 12, h: 4 },
    ]);
  });
});
