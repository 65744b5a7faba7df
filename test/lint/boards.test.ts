// The per-dashboard index every rule reads: built once, each dashboard's own queries, and the legend
// a (panel title, refId) shows as the rules read it (the first panel of that title that sets one).
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config/index.js";
import { REPO_CONTENT } from "../../scripts/content.js";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { board, targetKey } from "../../src/lint/boards.js";
import { createContext, type LintContext } from "../../src/lint/context.js";
import { inputFiles, readDashboardFile, type ExternalDashboard } from "../../src/lint/external.js";
import { firstDatasourceVariableType } from "../../src/lint/peers.js";
import { panels, querySites, sitesIn } from "../../src/lint/sites.js";
import { allPanels } from "../../src/pipeline/dashboards.js";
import { logqlRanges, nodesNamed, textOf, tree as parsed } from "../../src/query/analysis.js";
import { datasourceVariables } from "../../src/validate/datasourceRefs.js";
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

// The shared index stands for what each rule used to read of a dashboard itself: it must give the
// same answers, on our fixtures changed at random and on real public dashboards.
describe("board and the shared query lists agree with what the rules read of each dashboard themselves", () => {
  const agree = (ctx: LintContext) => {
    for (const d of ctx.dashboards) {
      const b = board(ctx, d);
      expect(b.firstDatasourceVariableType).toBe(firstDatasourceVariableType(d.json));
      expect(b.variables).toEqual(d.json.templating?.list ?? []);
      expect(b.variableNames).toEqual(new Set((d.json.templating?.list ?? []).map((v) => v.name)));
      expect(b.datasourceVariables).toEqual(datasourceVariables(d.json));
      expect(b.panels).toEqual(panels(d));
    }
    for (const lang of ["promql", "logql", "traceql"] as const) {
      const all = querySites(ctx, lang);
      const { dashboard, rule } = sitesIn(ctx, lang);
      expect(dashboard.map((s) => [s.kind, s.expr])).toEqual(all.filter((s) => s.kind === "dashboard").map((s) => [s.kind, s.expr]));
      expect(rule.map((s) => [s.kind, s.expr])).toEqual(all.filter((s) => s.kind === "rule").map((s) => [s.kind, s.expr]));
      expect([...dashboard, ...rule]).toEqual(all);
      expect(sitesIn(ctx, lang).all).toEqual(all);
    }
    for (const site of sitesIn(ctx, "logql").dashboard) {
      const direct = nodesNamed(parsed("logql", site.expr), "Range").map((n) => ({ text: textOf(site.expr, n), from: n.from }));
      expect(logqlRanges(site.expr)).toEqual(direct);
    }
  };

  it("on fixtures changed at random (variables, datasources, LogQL ranges, rows)", () => {
    let seed = 14;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const dashboards: Dashboard[] = [];
    for (let i = 0; i < 40; i++) {
      dashboards.push(
        dashboardWith((d) => {
          const vars = d.templating!.list!;
          if (random() < 0.3) vars.reverse();
          if (random() < 0.3) vars.splice(Math.floor(random() * vars.length), 1);
          for (const v of vars) if (v.type === "datasource" && random() < 0.4) v.query = pick(["prometheus", "loki", "tempo", ""]);
          if (random() < 0.2) vars.unshift({ type: "datasource", name: pick(["datasource", "loki_datasource", "x"]), query: pick(["loki", "prometheus"]) } as unknown as (typeof vars)[number]);
          for (const p of allPanels(d) as { type?: string; targets?: Record<string, unknown>[]; panels?: unknown[] }[]) {
            for (const t of p.targets ?? []) {
              if (random() < 0.3) t.datasource = { type: pick(["prometheus", "loki", "tempo"]), uid: pick(["${datasource}", "${loki_datasource}", "fixed-uid"]) };
              if (random() < 0.3) t.expr = pick(['sum(count_over_time({a="b"} [5m]))', 'rate({a="b"}[$__auto]) / rate({a="b"} | json [1h])', "up", '{a="b"}']);
            }
          }
          if (random() < 0.3) {
            // Fold the panels after the first row into it, as a collapsed row holds them.
            const at = d.panels.findIndex((p) => p.type === "row");
            if (at >= 0) Object.assign(d.panels[at], { collapsed: true, panels: d.panels.splice(at + 1, pick([1, 2, 3])) });
          }
        }, `fuzz-${i}`),
      );
    }
    agree(context(dashboards));
  });

  const CORPUS = resolve(REPO, "../shared/corpus/dashboards");
  it.skipIf(!existsSync(CORPUS))("on the shared corpus of real public dashboards", () => {
    const { files } = inputFiles([CORPUS], REPO);
    const read = files.map((f) => readDashboardFile(f.path, f.label) as ExternalDashboard);
    const paths = read.map((_, i) => `grafana/provisioning/dashboards/corpus/d${i}.json`);
    const ctx = createContext(
      paths.map((path) => ({ path, content: "" })),
      { content: REPO_CONTENT, repoRoot: REPO, treeLabel: "", env: "dev", config: loadConfig("dev"), environments: [], parsed: new Map(paths.map((p, i) => [p, read[i].json])) },
    );
    expect(ctx.dashboards.length).toBe(files.length);
    agree(ctx);
  });
  if (!existsSync(CORPUS)) console.warn(`skipped: ${CORPUS} is absent (../shared is not mounted)`);
});
