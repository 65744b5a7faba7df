// The build's checks of one dashboard (src/pipeline/dashboardChecks.ts) derive its panels and
// datasource variables once and share them between the checks: every problem must still be found,
// in the same order and with the same fields (key order included: the build removes repeats by
// their JSON) as the checks over lists of dashboards report them.
import { describe, expect, it } from "vitest";
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { catalog } from "../../catalog/index.js";
import type { BuiltDashboard } from "../../src/model/dashboard.js";
import { DashboardProblems } from "../../src/pipeline/dashboardChecks.js";
import { checkCatalogRefs, dashboardCatalogIssues } from "../../src/validate/catalogRefs.js";
import { dashboardQueries } from "../../src/validate/dashboardQueries.js";
import { checkDashboardStructure } from "../../src/validate/dashboardStructure.js";
import { checkDatasourceRefs, variableName } from "../../src/validate/datasourceRefs.js";

const provisioned = new Map([
  ["prom", "prometheus"],
  ["loki", "loki"],
  ["tempo", "tempo"],
]);
const file = "dashboards/faulty.ts";
const prom = { type: "prometheus", uid: "${datasource}" };

/** A dashboard with a fault of every kind the checks of one dashboard find (hand-written, not built). */
function faulty(uid = "faulty"): BuiltDashboard {
  const json = {
    uid,
    title: " ",
    annotations: { list: [{ name: "Deploys", datasource: { type: "loki", uid: "gone" } }] },
    templating: {
      list: [
        { type: "datasource", name: "datasource", query: "prometheus" },
        { type: "datasource", name: "logs", query: "loki" },
        { type: "query", name: "job", datasource: prom, query: "label_values(http_requests_total, job)" },
        { type: "query", name: "route", datasource: { uid: "$datasource" }, query: { query: "label_values(http_requests_total{job=~\"$job\"}, no_such_label)" } },
        { type: "query", name: "other", datasource: { type: "prometheus", uid: "${missing}" }, query: "label_values(up, job)" },
      ],
    },
    panels: [
      {
        id: 1, type: "timeseries", title: "Requests", description: "d", datasource: prom,
        fieldConfig: { defaults: { unit: "reqps" } }, gridPos: { x: 0, y: 0, w: 12, h: 8 },
        targets: [
          { refId: "A", expr: "sum(rate(http_requests_total[5m]))" },
          { refId: "B", expr: "sum(rate(http_request_total[5m]))" },
          { refId: "C", expr: "sum(rate(http_requests_total[5m])" },
          { refId: "D", datasource: { type: "loki", uid: "prom" }, expr: "{job=\"x\"}" },
          { refId: "E", datasource: { type: "prometheus", uid: "nowhere" }, expr: "up" },
        ],
      },
      {
        id: 1, type: "stat", title: "", datasource: { uid: "${logs}" }, gridPos: { x: 6, y: 4, w: 12, h: 4 },
        targets: [{ refId: "A", expr: "{job=\"api\"} |= \"error\"" }, { refId: "B" }],
      },
      { id: 3, type: "text", title: "Off grid", description: "d", gridPos: { x: 20, y: 12, w: 8, h: 4 } },
      { id: 4, type: "gauge", title: "Fraction", description: "d", gridPos: { x: 0, y: 16, w: 1.5, h: 4 } },
      {
        id: 5, type: "row", title: "Details", gridPos: { x: 0, y: 20, w: 24, h: 1 },
        panels: [
          { id: 6, type: "traces", title: "Slow", description: "d", datasource: { type: "tempo", uid: "tempo" }, gridPos: { x: 0, y: 21, w: 12, h: 8 }, targets: [{ refId: "A", queryType: "traceql", query: "{ duration > 1s" }] },
          { id: 7, type: "row", title: "Inner", gridPos: { x: 12, y: 21, w: 12, h: 8 } },
          { id: 8, type: "stat", description: "d", fieldConfig: { defaults: { unit: "s" } } },
        ],
      },
    ],
  } as unknown as Dashboard;
  return { definition: { uid, folder: "services", file }, folderUid: "services", json };
}

const inputs = { provisioned, catalog, recorded: { "job:requests:rate5m": ["job"] }, referenceSchemas: false };
const at = { file, dashboardUid: "faulty" };
const ordered = (problems: object[]) => problems.map((p) => JSON.stringify(p));

describe("the checks of one dashboard", () => {
  const d = faulty();
  const checks = new DashboardProblems(inputs);
  const own = checks.check(d);

  it("find every datasource problem: variables, annotations, panels and targets, with their place", () => {
    const expected = [
      { ...at, panelTitle: "variable $other", code: "unknown-datasource", message: 'datasource variable "$missing" is not defined on this dashboard' },
      { ...at, panelTitle: "annotation Deploys", code: "unknown-datasource", message: 'datasource uid "gone" is not provisioned (known: prom, loki, tempo)' },
      { ...at, panelTitle: "Requests", refId: "D", code: "datasource-type-mismatch", message: 'datasource "prom" is a prometheus datasource, not loki' },
      { ...at, panelTitle: "Requests", refId: "E", code: "unknown-datasource", message: 'datasource uid "nowhere" is not provisioned (known: prom, loki, tempo)' },
    ];
    expect(ordered(checks.datasources)).toEqual(ordered(expected));
    expect(ordered(checkDatasourceRefs([d], provisioned))).toEqual(ordered(expected));
  });

  it("find every structure problem, panels of rows included, and hand them over but a duplicate uid", () => {
    const expected = [
      { ...at, code: "missing-title", message: "dashboard has no title" },
      { ...at, panelTitle: "(untitled stat panel id 1)", code: "duplicate-panel-id", message: 'panel id 1 is also used by panel "Requests"' },
      { ...at, panelTitle: "(untitled stat panel id 1)", code: "missing-panel-title", message: "panel has no title" },
      { ...at, panelTitle: "(untitled stat panel id 1)", code: "missing-description", message: "panel has no description; say what it shows and how to read it" },
      { ...at, panelTitle: "(untitled stat panel id 1)", code: "missing-unit", message: 'stat panel has no unit (fieldConfig.defaults.unit), e.g. "s", "bytes", "reqps", "percentunit"' },
      { ...at, panelTitle: "Fraction", code: "missing-unit", message: 'gauge panel has no unit (fieldConfig.defaults.unit), e.g. "s", "bytes", "reqps", "percentunit"' },
      { ...at, panelTitle: "(untitled stat panel id 8)", code: "missing-panel-title", message: "panel has no title" },
    ];
    expect(checks.structure.map((p) => p.code)).toEqual([
      "missing-title", "duplicate-panel-id", "missing-panel-title", "missing-description", "missing-unit", "missing-unit", "missing-panel-title",
      "overlapping-panels", "bad-gridpos", "bad-gridpos", "bad-gridpos", "nested-row",
    ]);
    expect(ordered(checks.structure.slice(0, 7))).toEqual(ordered(expected));
    // The grid, level by level, after the panels.
    expect(ordered(checks.structure.slice(7))).toEqual(ordered([
      { ...at, panelTitle: "", code: "overlapping-panels", message: 'gridPos overlaps panel "Requests"' },
      { ...at, panelTitle: "Off grid", code: "bad-gridpos", message: "gridPos {x:20, y:12, w:8, h:4} is outside the 24-column grid" },
      { ...at, panelTitle: "Fraction", code: "bad-gridpos", message: "gridPos {x:0, y:16, w:1.5, h:4}: x, y, w and h must be whole numbers of grid cells" },
      { ...at, panelTitle: undefined, code: "bad-gridpos", message: 'panel in row "Details" has no gridPos' },
      { ...at, panelTitle: "Inner", code: "nested-row", message: 'row inside row "Details"; Grafana has one level of rows' },
    ]));
    expect(ordered(own.structure)).toEqual(ordered(checks.structure));
    expect(ordered(checkDashboardStructure([d]))).toEqual(ordered(checks.structure));
  });

  it("resolve each query's language through the panel's or its own datasource, variables included", () => {
    expect(own.queries.map((q) => [q.panelTitle, q.refId, q.lang, q.expr])).toEqual([
      ["Requests", "A", "promql", "sum(rate(http_requests_total[5m]))"],
      ["Requests", "B", "promql", "sum(rate(http_request_total[5m]))"],
      ["Requests", "C", "promql", "sum(rate(http_requests_total[5m])"],
      // A provisioned uid is known by its own type, whatever the reference says (the mismatch is a datasource problem).
      ["Requests", "D", "promql", '{job="x"}'],
      ["Requests", "E", "promql", "up"],
      ["", "A", "logql", '{job="api"} |= "error"'],
      ["Slow", "A", "traceql", "{ duration > 1s"],
    ]);
    expect(own.queries.every((q) => q.dashboard === d)).toBe(true);
    expect(own.queries).toEqual(dashboardQueries([d], provisioned));
    expect(checks.queries.map((p) => [p.code, p.panelTitle, p.refId])).toEqual([
      ["bad-promql", "Requests", "C"],
      ["bad-traceql", "Slow", "A"],
    ]);
  });

  it("check panel and variable queries against the catalog, the recorded series counting as known", () => {
    expect(checks.catalogQueries.map((p) => [p.code, p.panelTitle, p.refId, p.metric])).toEqual([["catalog-unknown-metric", "Requests", "B", "http_request_total"]]);
    expect(checks.catalogVariables.map((p) => [p.code, p.panelTitle, "refId" in p, p.label])).toEqual([["catalog-unknown-label", "variable $route", false, "no_such_label"]]);
    expect(ordered([...checks.catalogQueries, ...checks.catalogVariables])).toEqual(ordered(checkCatalogRefs(own.queries, [d], provisioned, catalog, inputs.recorded)));
  });

  it("give a variable query's catalog issues for its catalog and recorded series, however often it is asked", () => {
    const recorded = (v: string) => ({ ...faulty(`rec-${v}`), json: { ...faulty().json, templating: { list: [{ type: "query", name: "r", datasource: prom, query: `label_values(${v}, path)` }] } } as Dashboard });
    const issues = (x: BuiltDashboard, extra?: Record<string, string[]>) => dashboardCatalogIssues([], [x], provisioned, catalog, extra).map((i) => i.issue.code);
    const withPath = { "job:requests:rate5m": ["path"] };
    for (let i = 0; i < 3; i++) {
      expect(issues(recorded("job:requests:rate5m"))).toEqual(["unknown-metric"]);
      expect(issues(recorded("job:requests:rate5m"), withPath)).toEqual([]);
      expect(issues(recorded("job:requests:rate5m"), { "job:requests:rate5m": ["method"] })).toEqual(["unknown-label"]);
    }
  });

  it("name a repeated uid at its second dashboard, and only in the build's own list", () => {
    const again = new DashboardProblems(inputs);
    again.check(faulty("Same"));
    const second = again.check(faulty("same"));
    expect(again.structure.filter((p) => p.code === "duplicate-uid").map((p) => p.message)).toEqual(['uid "same" is also used by dashboards/faulty.ts']);
    expect(second.structure.some((p) => p.code === "duplicate-uid")).toBe(false);
  });
});

describe("variableName", () => {
  it("reads $name and ${name}, and nothing else, however often it is asked", () => {
    for (let i = 0; i < 2; i++) {
      expect(["$ds", "${ds}", "${ds", "$1x", "ds", "$ds}", "${d-s}"].map(variableName)).toEqual(["ds", "ds", "ds", undefined, undefined, "ds", undefined]);
    }
  });
});
