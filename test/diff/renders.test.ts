// `npm run diff -- --base <rev>` on a pull request that changes one dashboard: the Markdown embeds a
// before and an after PNG drawn with the same embedded data and window (panels the change did not
// touch are the same pixels on both sides), the changed panel is outlined in amber on both sides and
// the added one in green on the after side; `--no-data` keeps the layout pictures only.
import { execFileSync, execSync, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GRID_ORIGIN } from "../../src/preview/dashboard.js";
import { placePanels } from "../../src/preview/grid.js";
import type { PanelJson } from "../../src/preview/model.js";
import { colourAt, decodePng, region, type Pixels } from "../fixtures/png.js";

const PROJECT = resolve(import.meta.dirname, "../..");
const scratch = mkdtempSync(join(tmpdir(), "diff-renders-"));
const repo = join(scratch, "repo");
const URL_BASE = "https://ci.example.org/pr-7";
const AMBER = "#FF9830"; // changed
const GREEN = "#56A64B"; // added

function dashboard(head: boolean): string {
  const sel = '{job=~"$job", instance=~"$instance"}';
  const cpu = head
    ? `
      .withPanel(timeseriesPanel({ title: "CPU", unit: "percentunit", description: "CPU seconds per second.", targets: [prom(\`sum by (instance) (rate(process_cpu_seconds_total\${sel}[$__rate_interval]))\`, { legend: "{{instance}}" })] }))`
    : "";
  return `// Made by test/diff/renders.test.ts.
import { defineDashboard } from "../../src/definitions.js";
import { baseDashboard } from "../../src/presets/dashboard.js";
import { row, statPanel, timeseriesPanel } from "../../src/presets/panels.js";
import { prom } from "../../src/presets/targets.js";
import { datasourceVariable, jobInstanceVariables } from "../../src/presets/variables.js";

const sel = '${sel}';

export default defineDashboard({
  uid: "render-fixture",
  folder: "services",
  build: (ctx) =>
    baseDashboard(ctx, { uid: "render-fixture", title: "Render fixture", description: "A dashboard the render tests change." })
      .variables([datasourceVariable(), ...jobInstanceVariables("http_requests_total", "fastapi")])
      .withRow(row("Traffic"))
      .withPanel(statPanel({ title: "Requests/s", unit: "reqps", description: "Requests per second.", targets: [prom(\`sum(rate(http_requests_total\${sel}[$__rate_interval]))\`)] }))
      .withPanel(statPanel({ title: "Error ratio", unit: "percentunit", description: "Share of 5xx responses.", thresholds: [[0.01, "orange"], [${head ? 0.1 : 0.05}, "red"]], targets: [prom(\`sum(rate(http_requests_total{job=~"$job", instance=~"$instance", status=~"5.."}[$__rate_interval])) / sum(rate(http_requests_total\${sel}[$__rate_interval]))\`)] }))
      .withRow(row("Process"))
      .withPanel(timeseriesPanel({ title: "Resident memory", unit: "bytes", description: "Resident set size.", targets: [prom(\`sum by (instance) (process_resident_memory_bytes\${sel})\`, { legend: "{{instance}}" })] }))${cpu},
});
`;
}

const git = (...args: string[]) =>
  execFileSync(
    "git",
    ["-c", "user.name=Render Test", "-c", "user.email=render-test@example.org", "-c", "commit.gpgsign=false", ...args],
    { cwd: repo, encoding: "utf8" },
  );

/** The command as CI runs it (asynchronously: a long synchronous child would stall the test runner). */
function diff(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(PROJECT, "scripts/diff.ts"),
      "--base",
      "HEAD~1",
      "--format",
      "markdown",
      "--images-url",
      URL_BASE,
      ...args,
    ],
    {
      cwd: repo,
      env: { ...process.env, NO_COLOR: "1" },
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolveRun, reject) => {
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolveRun({ stdout, stderr }) : reject(new Error(`npm run diff exited ${code}:\n${stderr}`)),
    );
  });
}

let markdown: string;
let images: string;
let before: Pixels;
let after: Pixels;
/** Panel title → its rectangle on the whole-page render (the head's layout). */
let rects: Map<string, { x: number; y: number; width: number; height: number }>;

beforeAll(async () => {
  mkdirSync(join(repo, "dashboards/render-fixture"), { recursive: true });
  execSync(`git archive --format=tar HEAD | tar -x -f - -C ${JSON.stringify(repo)}`, { cwd: PROJECT });
  symlinkSync(join(PROJECT, "node_modules"), join(repo, "node_modules"), "dir");
  writeFileSync(join(repo, "dashboards/render-fixture/index.ts"), dashboard(false));
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "base");
  writeFileSync(join(repo, "dashboards/render-fixture/index.ts"), dashboard(true));
  git("commit", "-q", "-am", "head");

  images = join(scratch, "images");
  const r = await diff(["--images", images, "--keep"]);
  markdown = r.stdout;
  before = decodePng(readFileSync(join(images, "render-fixture-before.png")));
  after = decodePng(readFileSync(join(images, "render-fixture-after.png")));
  const kept = /builds kept: (\S+) and (\S+)/.exec(r.stderr);
  if (!kept) throw new Error(`no "builds kept" line:\n${r.stderr}`);
  const headTree = kept[2];
  const file = execFileSync(
    "grep",
    ["-rl", '"uid": "render-fixture"', join(headTree, "grafana/provisioning/dashboards")],
    { encoding: "utf8" },
  ).trim();
  const json = JSON.parse(readFileSync(file, "utf8")) as { panels: PanelJson[] };
  rects = new Map(
    placePanels(json.panels).placed.map((p) => [
      String(p.panel.title),
      { x: p.x + GRID_ORIGIN.x, y: p.y + GRID_ORIGIN.y, width: p.width, height: p.height },
    ]),
  );
  rmSync(resolve(kept[1], ".."), { recursive: true, force: true });
}, 300_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const rect = (title: string) => {
  const r = rects.get(title);
  if (!r) throw new Error(`no panel "${title}" in the head's layout (${[...rects.keys()].join(", ")})`);
  return r;
};
/** The colour of the outline's left edge, halfway down (the outline is drawn 2 px outside the panel). */
const outline = (p: Pixels, title: string) =>
  colourAt(p, rect(title).x - 2, rect(title).y + Math.round(rect(title).height / 2));

describe("npm run diff with before/after renders", () => {
  it("the Markdown embeds the before and after PNGs next to the layout picture, from --images-url", () => {
    expect(markdown).toContain(`![Render fixture, before, with data](${URL_BASE}/render-fixture-before.png)`);
    expect(markdown).toContain(`![Render fixture, after, with data](${URL_BASE}/render-fixture-after.png)`);
    expect(markdown).toMatch(new RegExp(`\\(${URL_BASE}/render-fixture\\.png\\)`));
    expect(markdown).toMatch(/\*\*Panel added\*\*: \*\*CPU\*\*/);
    expect(markdown).toMatch(/\*\*Panel changed\*\*: \*\*Error ratio\*\*/);
  });

  it("both sides are drawn from the same data over the same window: untouched panels and the header are the same pixels", () => {
    expect(before.width).toBe(after.width);
    for (const title of ["Requests/s", "Resident memory", "Traffic", "Process"]) {
      const r = rect(title);
      expect(region(after, r.x, r.y, r.width, r.height), title).toBe(region(before, r.x, r.y, r.width, r.height));
    }
    // The title and the window ("… to … UTC") across the top.
    expect(region(after, 0, 0, after.width, GRID_ORIGIN.y - 4)).toBe(
      region(before, 0, 0, before.width, GRID_ORIGIN.y - 4),
    );
    // Real data was drawn, not an empty canvas: the memory panel has many colours.
    const r = rect("Resident memory");
    expect(new Set(region(after, r.x, r.y, r.width, r.height).match(/.{8}/g)).size).toBeGreaterThan(20);
  });

  it("the changed panel is outlined in amber on both sides, the added one in green on the after side only", () => {
    expect(outline(before, "Error ratio")).toBe(AMBER);
    expect(outline(after, "Error ratio")).toBe(AMBER);
    expect(outline(after, "CPU")).toBe(GREEN);
    expect(outline(after, "Requests/s")).not.toMatch(new RegExp(`${AMBER}|${GREEN}`));
    expect(outline(before, "Requests/s")).not.toMatch(new RegExp(`${AMBER}|${GREEN}`));
    expect(outline(before, "CPU")).not.toBe(GREEN);
  });

  it("--no-data keeps the layout picture and draws no renders", async () => {
    const dir = join(scratch, "images-no-data");
    const md = (await diff(["--images", dir, "--no-data"])).stdout;
    expect(md).toMatch(new RegExp(`\\(${URL_BASE}/render-fixture\\.png\\)`));
    expect(md).not.toContain("with data");
    expect(readdirSync(dir).sort()).toEqual(["render-fixture.png", "render-fixture.svg"]);
    expect(existsSync(join(dir, "render-fixture-before.png"))).toBe(false);
  }, 240_000);
});
