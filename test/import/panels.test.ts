// Focused import tests: each panel kind gets its own SDK builder, queries their datasource's builder,
// variables their type's builder; legacy and plugin panels are kept as raw JSON with a warning; and
// every fixture builds back to the original.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDashboard, parseDashboardText, REPO_ROOT, type ImportResult } from "../../src/import/index.js";
import { formatDifference } from "../../src/import/normalise.js";
import { typecheckFiles } from "../../src/import/typecheck.js";
import { buildDefinitionModule, verifyBuilt } from "../../src/import/verify.js";

const FIXTURES = join(REPO_ROOT, "test/fixtures/import");
const NAMES = ["panels", "legacy", "variables", "api-envelope", "provisioning"] as const;

let scratch: string;
const results = new Map<string, ImportResult>();
const files = new Map<string, string>();
const built = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  scratch = mkdtempSync(join(REPO_ROOT, "import-panels.tmp-"));
  for (const name of NAMES) {
    const input = parseDashboardText(readFileSync(join(FIXTURES, `${name}.json`), "utf8"), `${name}.json`);
    const file = join(scratch, `${name.replace(/-/g, "_")}.ts`);
    const result = await importDashboard(input, { outFile: file });
    writeFileSync(file, result.code);
    results.set(name, result);
    files.set(name, file);
    built.set(name, (await buildDefinitionModule(file)) as Record<string, unknown>);
  }
}, 120_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const code = (name: (typeof NAMES)[number]) => results.get(name)!.code;

/** The builder chain that writes the panel with this title (up to the next panel). */
function panelCode(name: (typeof NAMES)[number], title: string): string {
  const c = code(name);
  const at = c.indexOf(`.title(${JSON.stringify(title)})`);
  expect(at, `panel "${title}" in the code`).toBeGreaterThan(-1);
  const start = c.lastIndexOf("new ", c.lastIndexOf(".id(", at));
  const next = c.indexOf(".withPanel(", at);
  return c.slice(start, next === -1 ? undefined : next);
}

function panels(d: Record<string, unknown>): Record<string, unknown>[] {
  const top = (d.panels ?? []) as Record<string, unknown>[];
  return top.flatMap((p) => [p, ...(((p.panels ?? []) as Record<string, unknown>[]) ?? [])]);
}

describe("import: every fixture", () => {
  it.each(NAMES)("%s type-checks and builds back to the original after normalisation", async (name) => {
    const v = verifyBuilt(results.get(name)!, built.get(name));
    expect(v.unexplained.map(formatDifference)).toEqual([]);
  });

  it("all generated fixture files type-check in one tsc run", async () => {
    const { errors } = await typecheckFiles([...files.values()]);
    expect(errors).toEqual([]);
  }, 120_000);

  it("writes a definition: uid, folder, manual layout, header naming title, uid, version and schemaVersion", () => {
    const c = code("panels");
    expect(c).toMatch(
      /^\/\/ Imported from Grafana dashboard "API overview" \(uid "api-overview", version 7, schemaVersion 39\)/,
    );
    expect(c).toContain(`import { defineDashboard } from "./../src/definitions.js"`.replace("./../", "../"));
    expect(c).toContain('uid: "api-overview",\n  folder: "services",\n  layout: "manual",');
    expect(c).toContain('new dashboard.DashboardBuilder("API overview")');
    expect(c.match(/new dashboard\.DashboardBuilder\(/g)).toHaveLength(1);
  });
});

describe("import: panel kinds use their own builders", () => {
  it("timeseries: options, custom field config, thresholds, overrides, transformations, links", () => {
    const p = panelCode("panels", "Requests");
    expect(p).toMatch(/^new timeseries\.PanelBuilder\(\)/);
    expect(p).toContain(".drawStyle(common.GraphDrawStyle.Line)");
    expect(p).toContain('.stacking(new common.StackingConfigBuilder().group("A").mode(common.StackingMode.Normal))');
    expect(p).toContain(".legend(");
    expect(p).toContain(".displayMode(common.LegendDisplayMode.Table)");
    expect(p).toContain('.overrideByName("5xx", [{ id: "color", value: { fixedColor: "red", mode: "fixed" } }])');
    expect(p).toContain('.overrideByRegexp("/4.*/"');
    expect(p).toContain('.overrideByQuery("B"');
    expect(p).toContain(".thresholds(");
    expect(p).toContain(".transformations([");
    expect(p).toContain('.unit("reqps")');
    // Panel links are not dashboard links: kept as the object they are.
    expect(p).toContain('.links([raw({ title: "Logs", url: "/d/logs?var-service=api" })])');
  });

  it("stat: value mappings of all four kinds, percentage thresholds", () => {
    const p = panelCode("panels", "Availability");
    expect(p).toMatch(/^new stat\.PanelBuilder\(\)/);
    for (const t of ["ValueToText", "RangeToText", "SpecialValue", "RegexToText"])
      expect(p).toContain(`type: dashboard.MappingType.${t}`);
    expect(p).toContain("match: dashboard.SpecialValueMatch.Null");
    expect(p).toContain(".mode(dashboard.ThresholdsMode.Percentage)");
    expect(p).toContain(".colorMode(common.BigValueColorMode.Background)");
    expect(p).toContain(".instant()");
  });

  it("gauge, bargauge, table, heatmap, piechart, logs, text", () => {
    expect(panelCode("panels", "CPU")).toMatch(/^new gauge\.PanelBuilder\(\)/);
    const bar = panelCode("panels", "p95 by route");
    expect(bar).toMatch(/^new bargauge\.PanelBuilder\(\)/);
    expect(bar).toContain("dashboard.FieldColorModeId.ContinuousGrYlRd");
    const table = panelCode("panels", "Top routes");
    expect(table).toMatch(/^new table\.PanelBuilder\(\)/);
    expect(table).toContain('.sortBy([new common.TableSortByFieldStateBuilder().desc(true).displayName("Value")])');
    expect(table).toContain(".format(prometheus.PromQueryFormat.Table)");
    const heat = panelCode("panels", "Latency heatmap");
    expect(heat).toMatch(/^new heatmap\.PanelBuilder\(\)/);
    expect(heat).toContain(".mode(heatmap.HeatmapColorMode.Scheme)");
    const pie = panelCode("panels", "Requests by method");
    expect(pie).toMatch(/^new piechart\.PanelBuilder\(\)/);
    expect(pie).toContain(".pieType(piechart.PieChartType.Donut)");
    const logs = panelCode("panels", "Error logs");
    expect(logs).toMatch(/^new logs\.PanelBuilder\(\)/);
    expect(logs).toContain(".wrapLogMessage(true)");
    const text = panelCode("panels", "Notes");
    expect(text).toMatch(/^new text\.PanelBuilder\(\)/);
    // Multi-line markdown as a template literal, `${...}` escaped so it stays text.
    expect(text).toContain(".content(\n");
    expect(text).toContain("Dashboards use \\`\\${datasource}\\`.`");
  });

  it("queries: one builder per datasource kind", () => {
    expect(panelCode("panels", "Error logs")).toContain("new loki.DataqueryBuilder()");
    expect(panelCode("panels", "Error logs")).toContain(".editorMode(loki.QueryEditorMode.Code)");
    const traces = panelCode("panels", "Failed traces");
    expect(traces).toContain("new tempo.DataqueryBuilder()");
    expect(traces).toContain(".tableType(tempo.SearchTableType.Traces)");
    expect(panelCode("panels", "Requests").match(/new prometheus\.DataqueryBuilder\(\)/g)).toHaveLength(2);
  });

  it("rows: expanded rows followed by their panels, collapsed rows holding theirs", () => {
    const c = code("panels");
    expect(c).toContain('.withRow(new dashboard.RowBuilder("Traffic").id(100)');
    const collapsed = c.slice(c.indexOf('new dashboard.RowBuilder("Logs, traces and notes")'));
    expect(collapsed).toContain(".collapsed(true)");
    expect(collapsed.indexOf(".withPanel(")).toBeGreaterThan(-1);
    const d = built.get("panels")!;
    const row = (d.panels as Record<string, unknown>[]).find((p) => p.title === "Logs, traces and notes")!;
    expect((row.panels as { title: string }[]).map((p) => p.title)).toEqual([
      "Error logs",
      "Failed traces",
      "Requests by method",
      "Notes",
    ]);
  });

  it("dashboard links and annotations use their builders", () => {
    const c = code("panels");
    expect(c).toContain('new dashboard.DashboardLinkBuilder("Services")');
    expect(c).toContain(".type(dashboard.DashboardLinkType.Dashboards)");
    expect(c).toContain('new dashboard.AnnotationQueryBuilder()\n            .name("Restarts")');
    expect(c).toContain(".tooltip(dashboard.DashboardCursorSync.Crosshair)");
  });

  it("datasources: references of provisioned types use ctx.datasources, the original uids are gone", () => {
    const c = code("panels");
    expect(c).toContain('const prometheusDs = { type: "prometheus", uid: ctx.datasources.prometheus };');
    expect(c).toContain('const lokiDs = { type: "loki", uid: ctx.datasources.loki };');
    expect(c).toContain('const tempoDs = { type: "tempo", uid: ctx.datasources.tempo };');
    expect(c).not.toMatch(/prom-main|loki-main|tempo-main/);
    const ds = panels(built.get("panels")!).map((p) => (p.datasource as { uid?: string } | undefined)?.uid);
    expect(new Set(ds)).toEqual(new Set([undefined, "prometheus", "loki", "tempo"]));
  });

  it("panel ids and grid positions are written as they were", () => {
    const original = panels(results.get("panels")!.original);
    const rebuilt = panels(built.get("panels")!);
    expect(rebuilt.map((p) => [p.id, p.gridPos])).toEqual(original.map((p) => [p.id, p.gridPos]));
  });
});

describe("import: what the SDK cannot express is kept as raw JSON, with a warning", () => {
  it("legacy graph and singlestat panels: generic panel builder, their fields as raw JSON", () => {
    const r = results.get("legacy")!;
    const graph = panelCode("legacy", "Requests (graph)");
    expect(graph).toMatch(/^new dashboard\.PanelBuilder\(\)\s*\.type\("graph"\)/);
    expect(graph).toContain(".options({ alertThreshold: true })");
    expect(graph).toContain('seriesOverrides: [{ alias: "errors", yaxis: 2 }]');
    expect(panelCode("legacy", "Up (singlestat)")).toContain('thresholds: "0.9,0.99"');
    const legacy = r.warnings.filter((w) => w.code === "legacy-panel").map((w) => w.where);
    expect(legacy).toEqual(['panel "Requests (graph)" (graph, id 2)', 'panel "Up (singlestat)" (singlestat, id 3)']);
    const rawGraph = r.warnings.find((w) => w.code === "raw-fields" && w.where.startsWith('panel "Requests (graph)"'));
    expect(rawGraph?.paths).toEqual(expect.arrayContaining(["yaxes", "seriesOverrides", "xaxis", "lines"]));
  });

  it("plugin panels: generic builder with raw options and a warning naming the plugin", () => {
    const r = results.get("legacy")!;
    expect(panelCode("legacy", "Local time")).toContain(
      '.options({ clockType: "24 hour", mode: "time", timezone: "Europe/Berlin" })',
    );
    const w = r.warnings.find((x) => x.code === "plugin-panel");
    expect(w?.message).toContain('"grafana-clock-panel" has no builder');
  });

  it("queries of datasources without an SDK builder are raw targets, with a warning", () => {
    const r = results.get("provisioning")!;
    expect(panelCode("provisioning", "Slow queries")).toContain("raw({");
    const raw = r.warnings.filter((w) => w.code === "raw-query").map((w) => w.message);
    expect(raw).toEqual([
      'the SDK has no query builder for datasource type "grafana-postgresql-datasource"; kept as raw JSON',
      'the SDK has no query builder for datasource type "alertmanager"; kept as raw JSON',
      'the SDK has no query builder for datasource type "jaeger"; kept as raw JSON',
    ]);
  });

  it("old schemaVersion: says which came in and what was carried as-is", () => {
    const w = results.get("legacy")!.warnings[0];
    expect(w.code).toBe("schema-version");
    expect(w.message).toContain("schemaVersion 27 came in; the SDK writes 42");
    expect(w.message).toContain("3 legacy/plugin panel(s)");
    expect(results.get("api-envelope")!.warnings.some((x) => x.code === "schema-version")).toBe(false);
  });

  it("legacy string datasource references to a provisioned input become references", () => {
    const c = code("legacy");
    expect(c).not.toContain('"${DS_PROMETHEUS}"');
    expect(panelCode("legacy", "Requests (graph)")).toContain(".datasource(prometheusDs)");
    // The graph panel's query names no datasource; the panel's (mapped) one makes it a Prometheus query.
    expect(panelCode("legacy", "Requests (graph)")).toContain("new prometheus.DataqueryBuilder()");
    // ${VAR_ENVIRONMENT} is a constant input: replaced by its value, as Grafana's import does.
    expect(c).toContain('env="production"');
  });

  it("unmapped datasources are kept and reported", () => {
    const r = results.get("legacy")!;
    expect(r.datasources.find((n) => n.action === "kept")?.message).toContain("${DS_INFLUX} (influxdb)");
    expect(panelCode("legacy", "Memory (InfluxDB)")).toContain(
      '.datasource({ type: "influxdb", uid: "${DS_INFLUX}" })',
    );
    expect(r.warnings.some((w) => w.code === "datasource" && w.message.includes("DS_INFLUX"))).toBe(true);
  });
});

describe("import: variables", () => {
  it("each variable type has its builder", () => {
    const c = code("variables");
    for (const [cls, name] of [
      ["DatasourceVariableBuilder", "datasource"],
      ["QueryVariableBuilder", "job"],
      ["CustomVariableBuilder", "window"],
      ["ConstantVariableBuilder", "cluster"],
      ["IntervalVariableBuilder", "interval"],
      ["TextBoxVariableBuilder", "search"],
      ["AdHocVariableBuilder", "Filters"],
    ])
      expect(c).toContain(`new dashboard.${cls}(${JSON.stringify(name)})`);
    expect(c).toContain(".sort(dashboard.VariableSort.AlphabeticalCaseInsensitiveAsc)");
    expect(c).toContain(".refresh(dashboard.VariableRefresh.OnTimeRangeChanged)");
    expect(c).toContain(".hide(dashboard.VariableHide.DontHide)");
    expect(c).toContain(".datasource(datasourceVar)");
    expect(c).toContain('const datasourceVar = { type: "prometheus", uid: "${datasource}" };');
  });

  it("a variable type without a builder is raw JSON with a warning", () => {
    const r = results.get("variables")!;
    expect(code("variables")).toContain("raw({\n");
    expect(r.warnings.find((w) => w.code === "raw-variable")?.where).toBe('variable "groupBy"');
    const list = (built.get("variables")!.templating as { list: { name: string; type: string }[] }).list;
    expect(list.map((v) => [v.name, v.type])).toEqual([
      ["datasource", "datasource"],
      ["job", "query"],
      ["window", "custom"],
      ["cluster", "constant"],
      ["interval", "interval"],
      ["search", "textbox"],
      ["Filters", "adhoc"],
      ["groupBy", "groupby"],
    ]);
  });
});
