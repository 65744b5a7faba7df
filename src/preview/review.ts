// Before/after renders for a review: both sides of each changed dashboard drawn with the same data
// and the same window (one local Prometheus, one window for both), changed panels outlined, written
// as <uid>-before.png / <uid>-after.png. The caller (the diff's entry point) says what changed.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { composeDashboard, svgToPng, type PanelMark } from "./dashboard.js";
import type { DashboardJson } from "./model.js";
import { openSession, type PreviewSource } from "./session.js";

export interface ReviewDashboard {
  uid: string;
  before?: DashboardJson;
  after?: DashboardJson;
  /** Panel id → mark, per side. */
  marks: { before: Map<number, PanelMark>; after: Map<number, PanelMark> };
}

export interface ReviewRenders {
  before?: string;
  after?: string;
}

const safeName = (uid: string) => uid.replace(/[^A-Za-z0-9_.-]/g, "_");

export async function renderReview(items: readonly ReviewDashboard[], source: PreviewSource, dir: string, from = "now-1h"): Promise<Map<string, ReviewRenders>> {
  const out = new Map<string, ReviewRenders>();
  const all = items.flatMap((i) => [i.before, i.after].filter((d): d is DashboardJson => Boolean(d)));
  if (!all.length) return out;
  mkdirSync(dir, { recursive: true });
  const session = await openSession(all, { source, from });
  try {
    for (const item of items) {
      const paths: ReviewRenders = {};
      for (const side of ["before", "after"] as const) {
        const d = item[side];
        if (!d) continue;
        const r = await session.render(d);
        const path = join(dir, `${safeName(item.uid)}-${side}.png`);
        writeFileSync(path, svgToPng(composeDashboard(r, item.marks[side])));
        paths[side] = path;
      }
      out.set(item.uid, paths);
    }
  } finally {
    await session.close();
  }
  return out;
}
