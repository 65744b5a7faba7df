// Dashboards nobody here wrote: the three shapes Grafana hands out, hostile files, and the shared
// corpus of real public dashboards.
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { extractDashboard, inputFiles, MAX_DASHBOARD_BYTES, MAX_PANELS, readDashboardFile, type ExternalDashboard } from "../../src/lint/external.js";
import { PORTABLE_RULES } from "../../src/lint/externalLint.js";
import { RULES } from "../../src/lint/registry.js";
import { REPO } from "./fixtures.js";
import { dashboard, lintJson, panel, SEL, target } from "./externalFixtures.js";
import { REPO_CONTENT } from "../../scripts/content.js";
import { lintExternal } from "../../src/lint/externalLint.js";

const tmp = mkdtempSync(join(tmpdir(), "lint-external-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, content: string | Buffer) => {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
};
const read = (name: string, content: string | Buffer) => readDashboardFile(write(name, content), name);

const good = dashboard([panel("Requests", "timeseries", [target(`sum(rate(http_requests_total{${SEL}}[$__rate_interval]))`)])]);

describe("the shapes of a dashboard file", () => {
  it("an export, an API response and a dashboard.grafana.app resource give the same dashboard", () => {
    const exp = extractDashboard(good);
    const api = extractDashboard({ dashboard: good, meta: { folderUid: "x" } });
    const k8s = extractDashboard({ apiVersion: "dashboard.grafana.app/v1beta1", kind: "Dashboard", metadata: { name: "ext-fixture" }, spec: { ...good, uid: undefined } });
    expect(exp).toMatchObject({ form: "export", pointer: "" });
    expect(api).toMatchObject({ form: "api", pointer: "/dashboard" });
    expect(k8s).toMatchObject({ form: "kubernetes", pointer: "/spec" });
    for (const x of [exp, api, k8s]) expect((x as unknown as { json: { uid: string; title: string } }).json).toMatchObject({ uid: "ext-fixture", title: "External fixture" });
  });

  it("refuses what is not a classic dashboard, naming the field", () => {
    expect(extractDashboard([good])).toEqual({ error: "the file is a JSON array, not a dashboard object" });
    expect(extractDashboard({ dashboard: "x" })).toMatchObject({ error: expect.stringMatching(/^dashboard: a string/) });
    expect(extractDashboard({ apiVersion: "dashboard.grafana.app/v2beta1", spec: { elements: {}, layout: {} } })).toMatchObject({ error: expect.stringContaining("v2 dashboard schema") });
    expect(extractDashboard({ apiVersion: "dashboard.grafana.app/v1beta1", spec: [] })).toMatchObject({ error: expect.stringMatching(/^spec: a JSON array/) });
    expect(extractDashboard({ name: "not a dashboard" })).toMatchObject({ error: expect.stringContaining("not a Grafana dashboard") });
  });
});

describe("hostile files: one line naming the file's problem and the field", () => {
  it("invalid JSON, not UTF-8, a JSON array, wrong field types", () => {
    const results = [
      read("a.json", '{"panels": ['),
      read("b.json", Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])),
      read("c.json", "[1, 2]"),
      read("d.json", JSON.stringify({ panels: { a: 1 } })),
      read("e.json", JSON.stringify({ panels: [{ title: "r", panels: "x" }] })),
      read("f.json", JSON.stringify({ panels: [], templating: { list: 3 } })),
    ];
    expect(results[0]).toMatch(/^invalid JSON: /);
    expect(results.slice(1)).toEqual([
      "is not valid UTF-8",
      "the file is a JSON array, not a dashboard object",
      "panels: an object, expected a list of panels",
      "panels[0].panels: a string, expected a list of panels",
      "templating: expected an object with a list of variables",
    ]);
    for (const r of results) expect(String(r)).not.toContain("\n");
  });

  it("a field of the wrong type inside a panel is a finding naming the panel and field, not a crash", () => {
    const d = dashboard([panel("Odd", "timeseries", [target(`sum(up{${SEL}})`)], { title: "Odd", description: 42 })]);
    const f = lintJson(d).findings.filter((x) => x.rule === "dashboard-shape");
    expect(f).toMatchObject([{ panelTitle: "Odd", message: expect.stringContaining("description") }]);
  });

  it("over the size, nesting and panel limits", () => {
    const big = JSON.stringify({ ...good, padding: "x".repeat(MAX_DASHBOARD_BYTES) });
    expect(read("big.json", big)).toMatch(/bytes is over the limit of/);
    expect(read("deep.json", `{"panels": [], "x": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`)).toMatch(/^line 1: nested more than 64 levels deep$/);
    const many = dashboard(Array.from({ length: 2000 }, (_, i) => panel(`P${i}`, "timeseries", [target(`sum(up{${SEL}})`)])));
    expect(read("many.json", JSON.stringify(many))).toBe(`panels: 2000 panels is over the limit of ${MAX_PANELS} for one dashboard`);
  });

  it("a directory: every .json below it, sorted; a missing path is named", () => {
    const { files, unreadable } = inputFiles([tmp, join(tmp, "nope.json")], "/");
    expect(files.map((f) => f.label)).toEqual([...files.map((f) => f.label)].sort());
    expect(unreadable).toEqual([{ file: join(tmp, "nope.json"), message: "no such file or directory" }]);
  });
});

describe("rules on dashboards that are not ours", () => {
  it("stack-specific rules are off unless named", () => {
    const stack = RULES.filter((r) => r.stackSpecific).map((r) => r.id);
    expect(stack).toEqual(expect.arrayContaining(["catalog-metric-label", "contract-counter-total"]));
    for (const id of stack) expect(PORTABLE_RULES).not.toContain(id);
    const d = dashboard([panel("Unknown metric", "timeseries", [target(`sum(rate(nobody_exports_this_total{${SEL}}[$__rate_interval]))`)])]);
    expect(lintJson(d).findings.filter((f) => f.rule === "catalog-metric-label")).toEqual([]);
    expect(lintJson(d, ["catalog-metric-label"]).findings.filter((f) => f.rule === "catalog-metric-label").length).toBeGreaterThan(0);
  });

  it("findings name the file, dashboard uid and title, panel, target index and line", () => {
    const d = dashboard([panel("Fixed range", "timeseries", [target(`sum(up{${SEL}})`), target(`sum(rate(http_requests_total{${SEL}}[5m]))`)])]);
    const text = JSON.stringify(d, null, 2);
    const r = lintExternal({ dashboards: [{ file: "x/dash.json", text, form: "export", pointer: "", json: d }], repoRoot: REPO, content: REPO_CONTENT });
    const f = r.findings.find((x) => x.rule === "target-rate-interval")!;
    expect(f).toMatchObject({ file: "x/dash.json", dashboardUid: "ext-fixture", dashboardTitle: "External fixture", panelTitle: "Fixed range", refId: "B", targetIndex: 1, peerRule: "target-rate-interval-rule" });
    expect(f.output).toBeUndefined();
    // The line of the second target object.
    const lines = text.split("\n");
    expect(lines[f.line! - 1].trim()).toBe("{");
    expect(lines.slice(f.line! - 1, f.line! + 3).join("\n")).toContain('"refId": "B"');
  });
});

const CORPUS = resolve(REPO, "../shared/corpus/dashboards");
describe.skipIf(!existsSync(CORPUS))("the shared corpus (real public dashboards)", () => {
  if (!existsSync(CORPUS)) console.warn(`skipped: ${CORPUS} is absent (../shared is not mounted)`);
  it("every file reads as a dashboard and lints without a rule failing", () => {
    const { files, unreadable } = inputFiles([CORPUS], REPO);
    expect(unreadable).toEqual([]);
    expect(files.length).toBeGreaterThanOrEqual(10);
    const dashboards = files.map((f) => readDashboardFile(f.path, f.label)) as ExternalDashboard[];
    for (const d of dashboards) expect(typeof d, String(d)).toBe("object");
    const r = lintExternal({ dashboards, repoRoot: REPO, content: REPO_CONTENT });
    expect(r.findings.filter((f) => f.rule === "lint-rule-failed")).toEqual([]);
    expect(r.findings.length).toBeGreaterThan(0);
    // Every finding of a dashboard file has a line in it.
    for (const f of r.findings) expect(f.line, `${f.rule} ${f.file}`).toBeGreaterThan(0);
    expect(new Set(r.findings.map((f) => f.file)).size).toBe(readdirSync(CORPUS).flatMap((d) => readdirSync(join(CORPUS, d)).filter((x) => x.endsWith(".json"))).length);
  });
});
