// The build cache (src/pipeline/cache.ts, src/cache/): a tree built with it, cold or warm, is the
// tree built without it, byte for byte; a change rebuilds exactly the dashboards that depend on it;
// what the per-dashboard verdicts depend on (config, catalog, lint settings) re-checks them; a
// corrupt entry or a deleted cache only costs a rebuild.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBuild, type BuildCommandOptions } from "../../src/commands/build.js";
import { REPO_CONTENT } from "../../scripts/content.js";
import { catalogIndex } from "../../src/model/catalog.js";
import { definitionsDir, IMPORTS, REPO, validDashboard } from "../fixtures/definitions.js";
import { readFiles } from "../fixtures/outputTree.js";
import { generateDashboards } from "../../bench/generate.js";

const tmp = mkdtempSync(join(tmpdir(), "build-cache-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = (name: string) => join(tmp, `${name}-${n++}`);

/** Builds into a new folder; returns the tree written, the cache's counts and the lint report. */
async function build(opts: Partial<BuildCommandOptions> & { cacheDir?: string; summaries?: boolean }) {
  const out = fresh("out");
  const { cacheDir, summaries, ...rest } = opts;
  const r = await runBuild({ content: REPO_CONTENT, out, ...rest, cache: cacheDir ? { dir: cacheDir, summaries } : undefined });
  return { tree: readFiles(out), counts: r.cache, lint: r.lint && { findings: r.lint.findings, excluded: r.lint.excluded.length, rules: r.lint.rules }, result: r };
}

describe("this repository's dashboards", () => {
  it("build the same tree and lint report without the cache, cold and warm", async () => {
    const cacheDir = fresh("cache");
    const plain = await build({});
    const cold = await build({ cacheDir });
    const warm = await build({ cacheDir });
    const dashboards = Object.keys(plain.tree).filter((p) => p.startsWith("grafana/provisioning/dashboards/") && p.endsWith(".json")).length;
    expect(dashboards).toBeGreaterThan(5);
    expect(plain.counts).toBeUndefined();
    expect(cold.counts).toMatchObject({ reused: 0, built: dashboards, checked: dashboards, corrupt: 0 });
    expect(warm.counts).toMatchObject({ reused: dashboards, built: 0, checked: 0, corrupt: 0, builtUids: [] });
    expect(cold.tree).toEqual(plain.tree);
    expect(warm.tree).toEqual(plain.tree);
    expect(cold.lint).toEqual(plain.lint);
    expect(warm.lint).toEqual(plain.lint);
  });

  it("another environment's config rebuilds every dashboard, and builds what an uncached build does", async () => {
    const cacheDir = fresh("cache");
    await build({ cacheDir });
    const prod = await build({ cacheDir, env: "prod" });
    expect(prod.counts).toMatchObject({ reused: 0, corrupt: 0 });
    expect(prod.counts!.built).toBeGreaterThan(5);
    expect(prod.tree).toEqual((await build({ env: "prod" })).tree);
  });
});

const helper = (expr: string) => `export const EXPR = ${JSON.stringify(expr)};\n`;
const usingHelper = (uid: string) => `import { EXPR } from "./_expr.ts";\n` + validDashboard(uid, "@EXPR@").replace(/"@EXPR@"/g, "EXPR");

describe("generated FastAPI overviews (bench/generate.ts), linted", () => {
  it("build the same tree and lint report without the cache, cold and warm", async () => {
    const dir = generateDashboards(fresh("defs"), 3);
    const cacheDir = fresh("cache");
    const opts = { dashboardsDir: dir, lint: true };
    const plain = await build(opts);
    const cold = await build({ ...opts, cacheDir });
    const warm = await build({ ...opts, cacheDir });
    expect(cold.counts).toMatchObject({ reused: 0, built: 3, checked: 3 });
    expect(warm.counts).toMatchObject({ reused: 3, built: 0, checked: 0 });
    expect(plain.lint!.rules.length).toBeGreaterThan(30);
    for (const r of [cold, warm]) {
      expect(r.tree).toEqual(plain.tree);
      expect(r.lint).toEqual(plain.lint);
    }

  });

  it("lint turned on after a build without it re-checks every dashboard, then holds", async () => {
    const dir = generateDashboards(fresh("defs"), 2);
    const cacheDir = fresh("cache");
    await build({ dashboardsDir: dir, cacheDir, lint: false });
    expect((await build({ dashboardsDir: dir, cacheDir, lint: true })).counts).toMatchObject({ reused: 2, built: 0, checked: 2 });
    expect((await build({ dashboardsDir: dir, cacheDir, lint: true })).counts).toMatchObject({ reused: 2, built: 0, checked: 0 });
  });
});

/**
 * Runs `npm run build` (the bundled launcher) as a user does: a fresh process, so an edited
 * definition is read again. Returns the tree and what the cache summary line says.
 */
function cli(dir: string, ...extra: string[]) {
  const out = fresh("cli-out");
  const r = spawnSync(process.execPath, ["scripts/launch.mjs", "--dashboards", dir, "--out", out, "--debug", ...extra], { cwd: REPO, encoding: "utf8" });
  expect(r.status, r.stderr + r.stdout).toBe(0);
  const m = /cache +(\d+) dashboards reused, (\d+) built, (\d+) checked/.exec(r.stdout);
  const built = /^ +built +(.*)$/m.exec(r.stdout)?.[1];
  return { tree: readFiles(out), counts: m && { reused: Number(m[1]), built: Number(m[2]), checked: Number(m[3]), builtUids: built === "none" ? [] : built?.split(", ") } };
}

describe("edits, through npm run build", () => {
  it("a change to one definition rebuilds that dashboard alone; a change to a shared module rebuilds its importers", () => {
    const dir = generateDashboards(fresh("defs"), 3);
    for (const uid of ["c", "d"]) writeFileSync(join(dir, `${uid}.ts`), IMPORTS + usingHelper(uid));
    writeFileSync(join(dir, "_expr.ts"), helper('sum(rate(http_requests_total{job=~"$job"}[$__rate_interval]))'));
    const all = ["c", "d", "svc-0001-overview", "svc-0002-overview", "svc-0003-overview"];
    expect(cli(dir).counts).toEqual({ reused: 0, built: 5, checked: 5, builtUids: all });
    expect(cli(dir).counts).toEqual({ reused: 5, built: 0, checked: 0, builtUids: [] });

    const file = join(dir, "svc-0002.ts");
    writeFileSync(file, readFileSync(file, "utf8").replace('"svc-0002 overview"', '"svc-0002 overview, edited"'));
    const one = cli(dir);
    expect(one.counts).toEqual({ reused: 4, built: 1, checked: 1, builtUids: ["svc-0002-overview"] });
    expect(one.tree["grafana/provisioning/dashboards/services/svc-0002-overview.json"]).toContain("svc-0002 overview, edited");
    expect(one.tree).toEqual(cli(dir, "--no-cache").tree);

    writeFileSync(join(dir, "_expr.ts"), helper('sum(rate(http_requests_total{job=~"$job", status="200"}[$__rate_interval]))'));
    const shared = cli(dir);
    expect(shared.counts).toEqual({ reused: 3, built: 2, checked: 2, builtUids: ["c", "d"] });
    expect(shared.tree["grafana/provisioning/dashboards/services/d.json"]).toContain('status=\\"200\\"');
    expect(shared.tree).toEqual(cli(dir, "--no-cache").tree);
  });
});

describe("generated definitions", () => {
  const make = () => {
    const dir = definitionsDir({ "a.ts": validDashboard("a"), "b.ts": validDashboard("b"), "c.ts": usingHelper("c"), "d.ts": usingHelper("d") });
    writeFileSync(join(dir, "_expr.ts"), helper('sum(rate(http_requests_total{job=~"$job"}[$__rate_interval]))'));
    return dir;
  };

  it("is kept within its bound by the builds that write entries; a build that writes none leaves the folder as it is", async () => {
    const dir = make();
    const cacheDir = fresh("cache");
    const opts = { dashboardsDir: dir, cacheDir };
    await build(opts);
    const ours = readdirSync(cacheDir).filter((f) => f.endsWith(".entry"));
    // Entries of other folders and environments, written long ago: more than the folder's bound (5,000).
    const long = new Date(Date.now() - 86_400_000);
    for (let i = 0; i < 5001; i++) {
      const f = join(cacheDir, `${String(i).padStart(64, "0")}.entry`);
      writeFileSync(f, "x");
      utimesSync(f, long, long);
    }
    const count = () => readdirSync(cacheDir).filter((f) => f.endsWith(".entry")).length;
    expect((await build(opts)).counts).toMatchObject({ reused: 4, built: 0, checked: 0 });
    expect(count()).toBe(5001 + ours.length);
    writeFileSync(join(dir, "a.ts"), validDashboard("a").replace(/title: "T [^"]*"/, 'title: "T a, edited"'));
    expect((await build(opts)).counts).toMatchObject({ reused: 3, built: 1 });
    expect(count()).toBeLessThanOrEqual(2500);
    const left = new Set(readdirSync(cacheDir));
    expect(ours.filter((f) => left.has(f)).length).toBeGreaterThanOrEqual(3); // this build's own entries are kept
  });

  it("a corrupt or truncated entry is ignored and rebuilt; a deleted cache makes a cold build", async () => {
    const dir = make();
    const cacheDir = fresh("cache");
    const opts = { dashboardsDir: dir, cacheDir };
    const first = await build(opts);
    const entries = readdirSync(cacheDir).filter((f) => f.endsWith(".entry")).sort();
    expect(entries).toHaveLength(4);
    // One cut short, one with a byte changed, one emptied: as a crash or a stray edit leaves them.
    const text = (f: string) => readFileSync(join(cacheDir, f), "utf8");
    writeFileSync(join(cacheDir, entries[0]), text(entries[0]).slice(0, -10));
    writeFileSync(join(cacheDir, entries[1]), text(entries[1]).replace('"uid"', '"uiD"'));
    writeFileSync(join(cacheDir, entries[2]), "");
    const repaired = await build(opts);
    expect(repaired.counts).toMatchObject({ reused: 1, built: 3, corrupt: 3 });
    expect(repaired.tree).toEqual(first.tree);
    expect((await build(opts)).counts).toMatchObject({ reused: 4, built: 0, corrupt: 0 });

    rmSync(cacheDir, { recursive: true, force: true });
    const cold = await build(opts);
    expect(cold.counts).toMatchObject({ reused: 0, built: 4, corrupt: 0 });
    expect(cold.tree).toEqual(first.tree);
  });

  it("a catalog change re-checks every dashboard without rebuilding it; a lint choice change re-checks them too", async () => {
    const dir = make();
    const cacheDir = fresh("cache");
    await build({ dashboardsDir: dir, cacheDir });
    const extra = { ...REPO_CONTENT.catalog.metrics[0], name: "cache_test_widgets_total", help: "a metric no dashboard reads" };
    const content = { ...REPO_CONTENT, catalog: catalogIndex([...REPO_CONTENT.catalog.metrics, extra]) };
    expect((await build({ dashboardsDir: dir, cacheDir, content })).counts).toMatchObject({ reused: 4, built: 0, checked: 4 });
  });

  it("a config change rebuilds every dashboard", async () => {
    const dir = make();
    const cacheDir = fresh("cache");
    await build({ dashboardsDir: dir, cacheDir });
    const config = structuredClone(REPO_CONTENT.loadConfig("dev"));
    const folder = Object.keys(config.folders)[0];
    config.folders[folder] = { ...config.folders[folder], title: `${config.folders[folder].title} (renamed)` };
    expect((await build({ dashboardsDir: dir, cacheDir, config })).counts).toMatchObject({ reused: 0, built: 4 });
  });

  it("held as summaries (the build command), reused dashboards build the same tree, and are checked again in full when their verdict no longer holds", async () => {
    const dir = make();
    const cacheDir = fresh("cache");
    const plain = await build({ dashboardsDir: dir });
    const cold = await build({ dashboardsDir: dir, cacheDir, summaries: true });
    const warm = await build({ dashboardsDir: dir, cacheDir, summaries: true });
    expect(warm.counts).toMatchObject({ reused: 4, built: 0, checked: 0 });
    // What the build holds of a reused dashboard is its summary: no panel keeps its layout.
    const panelsOf = (r: typeof warm) => (r.result.dashboards.find((d) => d.json.uid === "a")!.json as unknown as { panels: Record<string, unknown>[] }).panels;
    expect(panelsOf(warm).some((p) => "gridPos" in p)).toBe(false);
    expect(panelsOf(cold).some((p) => "gridPos" in p)).toBe(true);
    expect(cold.tree).toEqual(plain.tree);
    expect(warm.tree).toEqual(plain.tree);
    // Another catalog: every verdict re-checked from the dashboards' JSON, with the tree of a build without the cache.
    const extra = { ...REPO_CONTENT.catalog.metrics[0], name: "cache_test_gadgets_total", help: "a metric no dashboard reads" };
    const content = { ...REPO_CONTENT, catalog: catalogIndex([...REPO_CONTENT.catalog.metrics, extra]) };
    const again = await build({ dashboardsDir: dir, cacheDir, summaries: true, content });
    expect(again.counts).toMatchObject({ reused: 4, built: 0, checked: 4 });
    expect(again.tree).toEqual((await build({ dashboardsDir: dir, content })).tree);
    expect((await build({ dashboardsDir: dir, cacheDir, summaries: true })).counts).toMatchObject({ reused: 4, built: 0, checked: 4 });
    // One definition edited: its entry is written again, the others' stay as they were read.
    writeFileSync(join(dir, "b.ts"), IMPORTS + validDashboard("b", 'sum(rate(http_requests_total{job=~"$job", code="500"}[$__rate_interval]))'));
    const edited = await build({ dashboardsDir: dir, cacheDir, summaries: true });
    expect(edited.counts).toMatchObject({ reused: 3, built: 1, checked: 1 });
    expect(edited.tree).toEqual((await build({ dashboardsDir: dir })).tree);
    expect((await build({ dashboardsDir: dir, cacheDir, summaries: true })).counts).toMatchObject({ reused: 4, built: 0, checked: 0 });
  });
});
