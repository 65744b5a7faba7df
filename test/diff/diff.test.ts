// `npm run diff` end to end on a throwaway git repository: a copy of this project's committed
// sources plus a small dashboard, then a commit that adds a panel, changes a query, changes an alert
// threshold (a dashboard threshold while the build emits no alert rules), removes a variable and
// changes a datasource URL. The reports must name exactly those changes.
import { execFileSync, execSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { imageLinks, renderMarkdown, runDiff, writePictures, type DiffReport } from "../../src/diff/index.js";
import type { DiffRun } from "../../src/diff/index.js";

const PROJECT = resolve(import.meta.dirname, "../..");
const scratch = mkdtempSync(join(tmpdir(), "diff-e2e-"));
const repo = join(scratch, "repo");
const images = join(scratch, "images");

const DASHBOARD = "dashboards/diff-fixture/index.ts";
const SEL = '{job=~"$job", instance=~"$instance"}';

/** The fixture dashboard; `head` is the changed version. */
function fixtureDashboard(head: boolean, thresholdInDashboard: boolean): string {
  const red = head && thresholdInDashboard ? 0.1 : 0.05;
  const variables = ["datasourceVariable()", '...jobInstanceVariables("http_requests_total", "fastapi")'];
  if (!head) variables.push(`labelVariable({ name: "method", label: "Method", query: 'label_values(http_requests_total{job=~"$job"}, method)' })`);
  const memory = head ? "max by (instance)" : "sum by (instance)";
  const cpu = head
    ? `
      .withPanel(timeseriesPanel({ title: "CPU", unit: "percentunit", description: "CPU seconds per second.", targets: [prom(\`sum by (instance) (rate(process_cpu_seconds_total\${sel}[$__rate_interval]))\`, { legend: "{{instance}}" })] }))`
    : "";
  return `// Made by test/diff/diff.test.ts.
import { defineDashboard } from "../../src/definitions.js";
import { baseDashboard } from "../../src/presets/dashboard.js";
import { row, statPanel, timeseriesPanel } from "../../src/presets/panels.js";
import { prom } from "../../src/presets/targets.js";
import { datasourceVariable, jobInstanceVariables, labelVariable } from "../../src/presets/variables.js";

const sel = '${SEL}';
void labelVariable;

export default defineDashboard({
  uid: "diff-fixture",
  folder: "services",
  build: (ctx) =>
    baseDashboard(ctx, { uid: "diff-fixture", title: "Diff fixture", description: "A dashboard the diff tests change." })
      .variables([${variables.join(", ")}])
      .withRow(row("Traffic"))
      .withPanel(statPanel({ title: "Requests/s", unit: "reqps", description: "Requests per second.", targets: [prom(\`sum(rate(http_requests_total\${sel}[$__rate_interval]))\`)] }))
      .withPanel(statPanel({ title: "Error ratio", unit: "percentunit", description: "Share of 5xx responses.", thresholds: [[0.01, "orange"], [${red}, "red"]], targets: [prom(\`sum(rate(http_requests_total{job=~"$job", instance=~"$instance", status=~"5.."}[$__rate_interval])) / sum(rate(http_requests_total\${sel}[$__rate_interval]))\`)] }))
      .withRow(row("Process"))
      .withPanel(timeseriesPanel({ title: "Resident memory", unit: "bytes", description: "Resident set size.", targets: [prom(\`${memory} (process_resident_memory_bytes\${sel})\`, { legend: "{{instance}}" })] }))${cpu},
});
`;
}

const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.name=Diff Test", "-c", "user.email=diff-test@example.org", "-c", "commit.gpgsign=false", ...args], {
    cwd: repo,
    encoding: "utf8",
  });

function edit(path: string, from: string | RegExp, to: string) {
  const file = join(repo, path);
  const text = readFileSync(file, "utf8");
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${path}: ${String(from)} not found; the fixture edit needs updating`);
  writeFileSync(file, next);
}

/** Alert mode: the committed build has the TaskiqTaskFailureRateHigh rule, whose level the fixture raises. */
let alertMode = false;
let oldThreshold = "";
let run: DiffRun;
let report: DiffReport;
let markdown: string;

function cli(args: string[], cwd = repo) {
  return spawnSync(process.execPath, ["--import", "tsx", join(PROJECT, "scripts/diff.ts"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
}

beforeAll(async () => {
  mkdirSync(repo, { recursive: true });
  execSync(`git archive --format=tar HEAD | tar -x -f - -C ${JSON.stringify(repo)}`, { cwd: PROJECT });
  symlinkSync(join(PROJECT, "node_modules"), join(repo, "node_modules"), "dir");
  mkdirSync(join(repo, "dashboards/diff-fixture"), { recursive: true });

  const rules = join(repo, "build/prometheus/rules");
  const hosts = existsSync(rules) ? readdirSync(rules).map((f) => readFileSync(join(rules, f), "utf8")).join("\n") : "";
  if (/alert: TaskiqTaskFailureRateHigh/.test(hosts) && existsSync(join(repo, "alerts/taskiq.ts"))) {
    alertMode = true;
    const doc = parse(readFileSync(join(rules, "taskiq.yaml"), "utf8"));
    const expr: string = doc.groups[0].rules.find((r: { alert?: string }) => r.alert === "TaskiqTaskFailureRateHigh").expr;
    oldThreshold = /> ?([\d.]+)\s*$/.exec(expr)![1];
  }

  writeFileSync(join(repo, DASHBOARD), fixtureDashboard(false, !alertMode));
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "base");

  writeFileSync(join(repo, DASHBOARD), fixtureDashboard(true, !alertMode));
  edit("config/environments.ts", 'prometheus: { url: "http://prometheus:9090" }', 'prometheus: { url: "http://prometheus.example:9090" }');
  // The alert's own level, in its definition: the config value would also move the panels drawn at it.
  if (alertMode) edit("alerts/taskiq.ts", /t\.taskiqFailureRatio/g, "0.15");
  git("commit", "-q", "-am", "head");

  // Base HEAD~1 built from git, head = the (clean) working tree.
  run = await runDiff({ cwd: repo, base: "HEAD~1", keep: true });
  report = run.report;
  writePictures(run, images, { relativeTo: scratch });
  markdown = renderMarkdown(report, imageLinks());
}, 240_000);

afterAll(() => {
  run?.cleanup();
  // Kept builds live under one scratch directory next to the fixture.
  if (run) rmSync(resolve(run.report.base.dir, ".."), { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe("a pull request that adds a panel, changes a query, a threshold, a variable and a datasource URL", () => {
  it("the JSON report names exactly those changes", () => {
    expect(report.base).toMatchObject({ ref: "HEAD~1", label: "HEAD~1" });
    expect(report.head.label).toBe("working tree");
    expect(report.dashboards).toHaveLength(1);
    const d = report.dashboards[0];
    expect(d).toMatchObject({ uid: "diff-fixture", status: "changed", title: "Diff fixture", folder: { before: "services", after: "services" } });
    expect(d.titleBefore).toBeUndefined();
    expect(d.settings).toEqual([]);
    expect(d.links).toEqual([]);
    expect(d.annotations).toEqual([]);
    expect(d.idChanges).toEqual([]);

    const panels = d.panels.map((p) => ({ title: p.title, status: p.status, moved: p.moved, resized: p.resized, fields: p.fields.map((f) => f.field), queries: p.queries.map((q) => `${q.refId} ${q.status}`) }));
    const expected = [
      ...(alertMode ? [] : [{ title: "Error ratio", status: "changed", moved: false, resized: false, fields: ["thresholds"], queries: [] }]),
      { title: "Resident memory", status: "changed", moved: false, resized: false, fields: [], queries: ["A changed"] },
      { title: "CPU", status: "added", moved: false, resized: false, fields: [], queries: ["A added"] },
    ];
    expect(panels).toEqual(expected);

    const memory = d.panels.find((p) => p.title === "Resident memory")!.queries[0];
    expect(memory.lang).toBe("promql");
    expect(memory.words!.filter((s) => s.op !== "equal")).toEqual([
      { op: "removed", text: "sum" },
      { op: "added", text: "max" },
    ]);
    expect(d.panels.find((p) => p.title === "CPU")!.after).toMatchObject({ type: "timeseries", row: "Process", gridPos: { x: 12, w: 12, h: 8 } });
    if (!alertMode) {
      const t = d.panels.find((p) => p.title === "Error ratio")!.fields[0];
      expect((t.before as { steps: { value: number | null }[] }).steps.map((s) => s.value)).toEqual([null, 0.01, 0.05]);
      expect((t.after as { steps: { value: number | null }[] }).steps.map((s) => s.value)).toEqual([null, 0.01, 0.1]);
    }

    expect(d.variables).toEqual([expect.objectContaining({ name: "method", status: "removed" })]);

    expect(report.datasources).toHaveLength(1);
    expect(report.datasources[0]).toMatchObject({
      uid: "prometheus",
      status: "changed",
      url: { before: "http://prometheus:9090", after: "http://prometheus.example:9090" },
    });
    expect(report.datasources[0].fields.map((f) => [f.category, f.path])).toEqual([["url", "url"]]);

    if (alertMode) {
      expect(report.alerts).toHaveLength(1);
      expect(report.alerts[0]).toMatchObject({ name: "TaskiqTaskFailureRateHigh", status: "changed", threshold: { before: [oldThreshold], after: ["0.15"] } });
      expect(report.alerts[0].severity).toBeUndefined();
      expect(report.alerts[0].for).toBeUndefined();
    } else {
      expect(report.alerts).toEqual([]);
    }
    expect(report.ruleGroups).toEqual([]);
    expect(report.sections).toEqual([]);
    expect(report.files).toEqual([]);
    expect(report.warnings).toEqual([]);

    const nonZero = Object.fromEntries(Object.entries(report.counts).filter(([, v]) => v > 0));
    expect(nonZero).toEqual({
      dashboardsChanged: 1,
      panelsAdded: 1,
      panelsChanged: alertMode ? 1 : 2,
      queriesChanged: 1,
      variablesRemoved: 1,
      datasourcesChanged: 1,
      ...(alertMode ? { alertThresholdsChanged: 1 } : {}),
    });
    expect(report.headline).toBe(
      alertMode
        ? "1 dashboard changed, 1 panel added, 1 panel changed, 1 query changed, 1 variable removed, 1 alert threshold changed, 1 datasource changed"
        : "1 dashboard changed, 1 panel added, 2 panels changed, 1 query changed, 1 variable removed, 1 datasource changed",
    );
  });

  it("the Markdown report names exactly those changes, with the changed words visible", () => {
    expect(markdown.startsWith("<!-- grafana-as-code-diff -->\n")).toBe(true);
    expect(markdown).toContain(`**${report.headline}**`);
    expect(markdown).toContain("`HEAD~1 (");
    const labels = [...markdown.matchAll(/^\s*- \*\*([A-Z][^*]+)\*\*:/gm)].map((m) => m[1]);
    expect(labels).toEqual([
      ...(alertMode ? [] : ["Panel changed"]),
      "Panel changed",
      "Panel added",
      "Variable removed",
      ...(alertMode ? ["Alert changed"] : []),
      "Datasource changed",
    ]);
    expect(markdown).toContain("#### Diff fixture `diff-fixture` — changed");
    expect(markdown).toContain("**Panel added**: **CPU** (timeseries, id ");
    expect(markdown).toContain("in row Process");
    expect(markdown).toMatch(/\*\*Panel changed\*\*: \*\*Resident memory\*\* \(timeseries, id \d+\)\n {2}- query A \(PromQL\): <code><del>sum<\/del><ins><b>max<\/b><\/ins> by \(instance\) \(process&#95;resident&#95;memory&#95;bytes/);
    // In full, formatted like promtool: only the changed line differs.
    expect(markdown).toContain(
      ["```diff", "- sum by (instance) (", "+ max by (instance) (", '    process_resident_memory_bytes{job=~"$job", instance=~"$instance"}', "  )", "```"].join("\n"),
    );
    expect(markdown).toContain("**Variable removed**: `$method`");
    expect(markdown).toContain("**Datasource changed**: **Prometheus** (`prometheus`, prometheus)\n  - URL: `http://prometheus:9090` → `http://prometheus.example:9090`");
    if (alertMode) expect(markdown).toContain(`**threshold**: \`${oldThreshold}\` → \`0.15\``);
    else expect(markdown).toContain("thresholds: `green, orange ≥ 0.01, red ≥ 0.05` → `green, orange ≥ 0.01, red ≥ 0.1`");
    // Nothing about the project's own dashboards, which did not change.
    expect(markdown).not.toMatch(/FastAPI overview|PixErase|Panel removed|Datasource added|shifted/);
    expect(markdown).toContain("Layout: [SVG](images/diff-fixture.svg) · [PNG](images/diff-fixture.png)");
  });

  it("draws the changed dashboard: valid SVG, one titled box per panel and row on each side, coloured by change", () => {
    expect(readdirSync(images).sort()).toEqual(["diff-fixture.png", "diff-fixture.svg"]);
    const svg = readFileSync(join(images, "diff-fixture.svg"), "utf8");
    expect(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")).toBe(true);
    // Well formed: every element closes, in order.
    const stack: string[] = [];
    for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
      if (m[3]) continue;
      if (m[1]) expect(stack.pop()).toBe(m[2]);
      else stack.push(m[2]);
    }
    expect(stack).toEqual([]);
    const boxes = [...svg.matchAll(/<rect [^>]*data-kind="(\w+)" data-status="(\w+)"[^>]*><title>([^<]*)<\/title><\/rect>/g)].map((m) => `${m[2]} ${m[3]}`);
    const expected = [
      // base: two rows, three panels
      "unchanged Traffic — row [unchanged]",
      "unchanged Requests/s — stat [unchanged]",
      alertMode ? "unchanged Error ratio — stat [unchanged]" : "changed Error ratio — stat [changed]",
      "unchanged Process — row [unchanged]",
      "changed Resident memory — timeseries [changed]",
      // head: the same plus CPU
      "unchanged Traffic — row [unchanged]",
      "unchanged Requests/s — stat [unchanged]",
      alertMode ? "unchanged Error ratio — stat [unchanged]" : "changed Error ratio — stat [changed]",
      "unchanged Process — row [unchanged]",
      "changed Resident memory — timeseries [changed]",
      "added CPU — timeseries [added]",
    ];
    expect(boxes).toEqual(expected);
    expect(svg).toContain('fill="#d3f2d6"'); // green
    expect(svg).toContain('fill="#ffe8b3"'); // amber
    const rendered = new Resvg(svg).render();
    expect(rendered.width).toBeGreaterThan(900);
    const png = readFileSync(join(images, "diff-fixture.png"));
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(rendered.width);
  });

  it("never touches the fixture's working tree or its build/", () => {
    expect(git("status", "--porcelain")).toBe("");
  });
});

describe("the command line", () => {
  it("identical refs: one line saying so, exit 0 even with --fail-on-change", () => {
    const r = cli(["--base", "HEAD", "--head", "HEAD", "--format", "text", "--fail-on-change"]);
    expect(r.stderr).not.toMatch(/failed/);
    expect(r.status).toBe(0);
    const sha = git("rev-parse", "HEAD").trim().slice(0, 7);
    expect(r.stdout).toBe(`No changes between HEAD (${sha}) and HEAD (${sha}).\n`);
  }, 120_000);

  it("--fail-on-change exits 1 when something changed; JSON and Markdown go to stdout or --output", () => {
    const dirs = ["--base-dir", report.base.dir, "--head-dir", report.head.dir, "--no-images"];
    const json = cli([...dirs, "--format", "json", "--fail-on-change"]);
    expect(json.status).toBe(1);
    const parsed = JSON.parse(json.stdout) as DiffReport;
    expect(parsed.headline).toBe(report.headline);
    expect(parsed.dashboards.map((d) => d.uid)).toEqual(["diff-fixture"]);

    const out = join(scratch, "report.md");
    const md = cli([...dirs, "--output", out]);
    expect(md.status).toBe(0);
    expect(md.stdout).toBe("");
    const text = readFileSync(out, "utf8");
    expect(text.startsWith("<!-- grafana-as-code-diff -->")).toBe(true);
    expect(text).toContain(report.headline);

    const same = cli(["--base-dir", report.head.dir, "--head-dir", report.head.dir, "--format", "markdown", "--fail-on-change"]);
    expect(same.status).toBe(0);
    expect(same.stdout.trim().split("\n")).toEqual(["<!-- grafana-as-code-diff -->", expect.stringMatching(/^No changes between /)]);
  });

  it("usage errors and unknown refs exit 2 with a message", () => {
    expect(cli(["--help"]).status).toBe(0);
    expect(cli(["--help"]).stdout).toContain("--fail-on-change");
    const bad = cli(["--format", "yaml"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--format must be text, markdown or json");
    const ref = cli(["--base", "no-such-ref", "--head", "HEAD"]);
    expect(ref.status).toBe(2);
    expect(ref.stderr).toContain('unknown git ref "no-such-ref"');
  });
});
