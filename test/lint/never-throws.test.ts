// Lint reads untrusted JSON (trees on disk, other people's dashboards): whatever value sits in a
// dashboard, panel, target, variable or link position, every rule finishes and reports instead of
// throwing. The same for rule files.
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { lintTree } from "../../src/lint/index.js";
import { settingsSchema } from "../../src/lint/settings.js";
import { budget, FUZZ_TIMEOUT } from "../invariants/budget.js";
import { config, dashboardWith, findings, goodAlert, panel, REPO, ruleFile, tree } from "./fixtures.js";
import { REPO_CONTENT } from "../../scripts/content.js";

const NO_EXCLUSIONS = { file: "lint-exclusions.yaml", settings: settingsSchema.parse({}), exclusions: [] };

/** Lints the tree with every rule; fails on a rule that threw (the engine turns that into lint-rule-failed). */
function lintAll(files: ReturnType<typeof tree>) {
  const found = lintTree({ content: REPO_CONTENT, files, env: "dev", repoRoot: REPO, config, exclusions: NO_EXCLUSIONS }).findings;
  expect(found.filter((f) => f.rule === "lint-rule-failed").map((f) => f.message)).toEqual([]);
  return found;
}

type Edit = (d: Record<string, any>) => void;

/** Places a value can sit in a dashboard, each as an edit of the good fixture dashboard. */
const POSITIONS: Record<string, (v: unknown) => Edit> = {
  "dashboard.title": (v) => (d) => (d.title = v),
  "dashboard.uid": (v) => (d) => (d.uid = v),
  "dashboard.panels": (v) => (d) => (d.panels = v),
  "dashboard.templating": (v) => (d) => (d.templating = v),
  "dashboard.templating.list": (v) => (d) => (d.templating.list = v),
  "variable": (v) => (d) => (d.templating.list[1] = v),
  "variable.query": (v) => (d) => (d.templating.list[1].query = v),
  "variable.datasource": (v) => (d) => (d.templating.list[1].datasource = v),
  "variable.refresh": (v) => (d) => (d.templating.list[1].refresh = v),
  "dashboard.links": (v) => (d) => (d.links = v),
  "dashboard.editable": (v) => (d) => (d.editable = v),
  "dashboard.tags": (v) => (d) => (d.tags = v),
  "panel": (v) => (d) => (d.panels[1] = v),
  "row.panels": (v) => (d) => (d.panels[0] = { type: "row", title: "R", collapsed: true, panels: v, gridPos: { x: 0, y: 0, w: 24, h: 1 } }),
  "panel.title": (v) => (d) => (panel(d, "p95 latency").title = v),
  "panel.type": (v) => (d) => (panel(d, "p95 latency").type = v),
  "panel.description": (v) => (d) => (panel(d, "p95 latency").description = v),
  "panel.unit": (v) => (d) => (panel(d, "p95 latency").fieldConfig.defaults.unit = v),
  "panel.fieldConfig": (v) => (d) => (panel(d, "p95 latency").fieldConfig = v),
  "panel.fieldConfig.defaults": (v) => (d) => (panel(d, "p95 latency").fieldConfig.defaults = v),
  "panel.fieldConfig.overrides": (v) => (d) => (panel(d, "p95 latency").fieldConfig.overrides = v),
  "panel.override.unit": (v) => (d) => (panel(d, "p95 latency").fieldConfig.overrides = [{ matcher: { id: "byName", options: "x" }, properties: [{ id: "unit", value: v }] }]),
  "panel.links": (v) => (d) => (panel(d, "p95 latency").links = v),
  "panel.datalinks": (v) => (d) => (panel(d, "p95 latency").fieldConfig.defaults.links = v),
  "panel.datasource": (v) => (d) => (panel(d, "p95 latency").datasource = v),
  "panel.gridPos": (v) => (d) => (panel(d, "p95 latency").gridPos = v),
  "panel.id": (v) => (d) => (panel(d, "p95 latency").id = v),
  "panel.options": (v) => (d) => (panel(d, "p95 latency").options = v),
  "panel.targets": (v) => (d) => (panel(d, "p95 latency").targets = v),
  "target": (v) => (d) => (panel(d, "p95 latency").targets[0] = v),
  "target.expr": (v) => (d) => (panel(d, "p95 latency").targets[0].expr = v),
  "target.datasource": (v) => (d) => (panel(d, "p95 latency").targets[0].datasource = v),
  "target.refId": (v) => (d) => (panel(d, "p95 latency").targets[0].refId = v),
  "target.legendFormat": (v) => (d) => (panel(d, "p95 latency").targets[0].legendFormat = v),
};

describe("no lint rule throws on odd values in a dashboard", () => {
  it("a number, an object and a list as a panel's unit are findings naming dashboard, panel and field", () => {
    for (const [unit, shown] of [[42, "42 (a number)"], [{ id: "s" }, "an object"], [["s"], "a list"]] as const) {
      const d = dashboardWith((d) => (panel(d, "p95 latency").fieldConfig.defaults.unit = unit));
      const f = lintAll(tree({ dashboards: [d] })).filter((x) => x.rule === "panel-units");
      expect(f).toEqual([
        expect.objectContaining({ dashboardUid: "lint-fixture", panelTitle: "p95 latency", message: `fieldConfig.defaults.unit: ${shown} is not a unit id; Grafana's units are strings` }),
      ]);
    }
  });

  it("units Grafana has beyond the old hand-written list pass: KiBs, MiBs, Gibits, sishort, reqpm", () => {
    for (const unit of ["KiBs", "MiBs", "Gibits", "sishort", "reqpm", "suffix: req", "currency:CHF"]) {
      const d = dashboardWith((d) => (panel(d, "p95 latency").fieldConfig.defaults.unit = unit));
      expect(findings("panel-units", tree({ dashboards: [d] })), unit).toEqual([]);
    }
  });

  it("counterexample: an object as the dashboard title made three rules throw", () => {
    const found = lintAll(tree({ dashboards: [dashboardWith(POSITIONS["dashboard.title"]({}) as Edit)] }));
    expect(found).toContainEqual(expect.objectContaining({ rule: "dashboard-shape", dashboardUid: "lint-fixture", message: "title is an object; expected string" }));
  });

  test.prop([fc.constantFrom(...Object.keys(POSITIONS)), fc.jsonValue({ maxDepth: 3 })], budget(40))("any JSON value at any position", (position, value) => {
    const d = dashboardWith(POSITIONS[position](value) as Edit);
    lintAll(tree({ dashboards: [d] }));
  }, FUZZ_TIMEOUT);

  test.prop([fc.jsonValue({ maxDepth: 3 }), fc.constantFrom("alert", "expr", "labels", "annotations", "for", "rules", "group")], budget(30))("any JSON value in a rule file", (value, position) => {
    const alert: Record<string, unknown> = { ...goodAlert() };
    let groups: { name: string; rules: unknown[] }[] = [{ name: "fixture", rules: [alert] }];
    if (position === "rules") groups = [{ name: "fixture", rules: value as unknown[] }];
    else if (position === "group") groups = [value as { name: string; rules: unknown[] }];
    else alert[position] = value;
    lintAll(tree({ rules: [ruleFile(groups)] }));
  }, FUZZ_TIMEOUT);
});
