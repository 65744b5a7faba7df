// A dashboard the build completes (panel ids, grid positions set after the copy out of the SDK) is
// serialised without a walk to sort it: its keys must then already be in order at every depth.
import { describe, expect, it } from "vitest";
import { sortKeysDeep, stableStringifyChecked } from "../../src/emit/stable.js";
import type { DashboardDefinition } from "../../src/definitions.js";
import type { Config } from "../../src/model/config.js";
import { buildDashboard } from "../../src/pipeline/dashboards.js";

/** Keys not in sorted order anywhere in `v` (their paths). */
function outOfOrder(v: unknown, path = "", found: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x, i) => outOfOrder(x, `${path}[${i}]`, found));
  else if (v && typeof v === "object") {
    const keys = Object.keys(v);
    if (keys.join("\n") !== [...keys].sort().join("\n")) found.push(path || "(root)");
    for (const k of keys) outOfOrder((v as Record<string, unknown>)[k], `${path}.${k}`, found);
  }
  return found;
}

// What a builder hands back: keys in any order, panels without ids or with partial grid positions.
const raw = () => ({
  uid: "order",
  title: "Order",
  schemaVersion: 39,
  panels: [
    { type: "stat", title: "No id, no grid", targets: [{ refId: "A", expr: "up" }] },
    { type: "timeseries", title: "Width only", gridPos: { w: 6 }, options: { z: 1, a: 2 } },
    { type: "row", title: "Details", collapsed: true, panels: [{ type: "stat", title: "Nested", gridPos: { h: 4, w: 8 } }] },
    { type: "text", title: "Static", id: 7, gridPos: { static: true, w: 24, h: 2 } },
  ],
  templating: { list: [] },
});

describe("a built dashboard's key order", () => {
  for (const layout of ["flow", "fixed"] as const) {
    it(`is sorted at every depth after ids and grid positions are set (layout ${layout})`, () => {
      const def = { kind: "dashboard", uid: "order", folder: "svc", file: "order.ts", layout, build: () => ({ build: raw }) } as unknown as DashboardDefinition;
      const config = { folders: { svc: { uid: "svc", title: "Services" } } } as unknown as Config;
      const r = buildDashboard(def, [def], config);
      expect(r.problems).toBeUndefined();
      const json = r.built!.json;
      expect(outOfOrder(json)).toEqual([]);
      // The text is what sorting a copy from scratch gives.
      expect(stableStringifyChecked(json)).toBe(JSON.stringify(sortKeysDeep(structuredClone(json)), null, 2) + "\n");
      expect((json.panels![0] as { id?: number }).id).toBeTypeOf("number");
    });
  }
});
