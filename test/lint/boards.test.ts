// The per-dashboard index every rule reads: built once, each dashboard's own queries, and the legend
// a (panel title, refId) shows as the rules read it (the first panel of that title that sets one).
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config/index.js";
import { REPO_CONTENT } from "../../scripts/content.js";
import { board, targetKey } from "../../src/lint/boards.js";
import { createContext } from "../../src/lint/context.js";
import { dashboardWith, panel, REPO, tree } from "./fixtures.js";

const context = (dashboards: Dashboard[]) =>
  createContext(tree({ dashboards }), { content: REPO_CONTENT, repoRoot: REPO, treeLabel: "build", env: "dev", config: loadConfig("dev"), environments: [] });

describe("board", () => {
  it("holds each dashboard's own queries, in the context's order, and is built once", () => {
    const ctx = context([dashboardWith(() => {}, "one"), dashboardWith(() => {}, "two")]);
    for (const d of ctx.dashboards) {
      expect(board(ctx, d).queries).toEqual(ctx.queries.filter((q) => q.board === d));
      expect(board(ctx, d).queries.length).toBeGreaterThan(0);
      expect(board(ctx, d)).toBe(board(ctx, d));
    }
  });

  it("gives a target's legend from the first panel of its title that sets one, the first target of a refId counting", () => {
    const d = dashboardWith((d) => {
      const p = panel(d, "Resident memory");
      p.targets = [{ ...p.targets[0], refId: "A", legendFormat: "" }, { ...p.targets[0], refId: "A", legendFormat: "{{second}}" }];
      const twin = structuredClone(p);
      twin.id = 999;
      twin.targets = [{ ...p.targets[0], refId: "A", legendFormat: "{{twin}}" }, { ...p.targets[0], refId: "B", legendFormat: "{{b}}" }];
      d.panels.push(twin);
    });
    const ctx = context([d]);
    const b = board(ctx, ctx.dashboards[0]);
    expect(b.legends.get(targetKey("Resident memory", "A"))).toBe("{{twin}}");
    expect(b.legends.get(targetKey("Resident memory", "B"))).toBe("{{b}}");
    expect(b.legends.has(targetKey("Resident memory", ""))).toBe(false);
  });
});
