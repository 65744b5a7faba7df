// The alerting stage and lint's findings over the tree's other files through the build cache
// (src/cache/stages.ts): a tree and lint report built from the cache are the ones built without it;
// what they depend on (a rule's expression, the catalog, the config) makes them run again; a corrupt
// entry is ignored and rebuilt; a failed build records nothing.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBuild, type BuildCommandOptions } from "../../src/commands/build.js";
import { BuildError } from "../../src/errors.js";
import { formatHuman } from "../../src/lint/format.js";
import { catalogIndex } from "../../src/model/catalog.js";
import { REPO_CONTENT } from "../../scripts/content.js";
import { REPO } from "../fixtures/definitions.js";
import { generateDashboards } from "../../bench/generate.js";
import { readFiles } from "../fixtures/outputTree.js";

const tmp = mkdtempSync(join(tmpdir(), "build-cache-alerting-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = (name: string) => join(tmp, `${name}-${n++}`);

const alert = (name: string, threshold: number) => `{
      name: ${JSON.stringify(name)},
      severity: "warning",
      expr: 'sum by (job) (rate(http_requests_total{job="fastapi"}[5m])) > ${threshold}',
      for: "5m",
      summary: "{{ $labels.job }} is busy",
      description: "{{ $labels.job }} handles {{ $value | humanize }} requests/s.",
      dashboard: { dashboard: "svc-0001-overview", panel: "Error ratio (5xx)" },
    }`;
const record = (i: number) => `{ record: "job:busy_${i}:rate5m", expr: 'sum by (job) (rate(http_requests_total{job="fastapi"}[5m]))' }`;
const group = (threshold: number, records = 0) =>
  `import { defineAlertGroup } from "${REPO}/src/alerting/define.ts";\nexport default defineAlertGroup({ name: "busy", alerts: () => [${alert(ALERT, threshold)}], records: () => [${Array.from({ length: records }, (_, i) => record(i)).join(", ")}] });\n`;

/** An alert whose runbook the repository has (docs/runbooks/, which lint checks links against). */
const ALERT = "FastAPIHighErrorRate";

/** A dashboards folder (one lint-clean FastAPI overview) and an alerts folder with one group linking to it. */
function fixture(threshold = 100, records = 0) {
  const dashboardsDir = generateDashboards(fresh("defs"), 1);
  const alertsDir = fresh("alerts");
  mkdirSync(alertsDir);
  writeFileSync(join(alertsDir, "busy.ts"), group(threshold, records));
  return { dashboardsDir, alertsDir, lint: true };
}

/** Builds into the same folder each time (findings name the tree's folder); the tree, counts and lint report. */
async function build(opts: Partial<BuildCommandOptions> & { cacheDir?: string; out: string }) {
  const { cacheDir, ...rest } = opts;
  rmSync(opts.out, { recursive: true, force: true });
  const r = await runBuild({ content: REPO_CONTENT, ...rest, cache: cacheDir ? { dir: cacheDir } : undefined });
  const printed = formatHuman(r.lint!, { color: false }).replace(/\d+ ms/g, "N ms");
  return { tree: readFiles(opts.out), counts: r.cache, alerting: r.alerting!.stats, printed, lint: { findings: r.lint!.findings, excluded: r.lint!.excluded, rules: r.lint!.rules } };
}

const stageFiles = (cacheDir: string) => (existsSync(join(cacheDir, "stages")) ? readdirSync(join(cacheDir, "stages")).filter((f) => f.endsWith(".stage")).sort() : []);

describe("alerting and lint of the rule files through the build cache", () => {
  it("build the same tree, counts and lint report (exclusions and summary line included) without the cache, cold and warm", async () => {
    const opts = { ...fixture(), out: fresh("out") };
    const cacheDir = fresh("cache");
    const plain = await build(opts);
    const cold = await build({ ...opts, cacheDir });
    const warm = await build({ ...opts, cacheDir });
    expect(Object.keys(plain.tree)).toContain("prometheus/rules/busy.yaml");
    // The repository's exclusions (prod-scrape-tls about config/environments.ts) apply to findings over the other files.
    expect(plain.lint.excluded.map((e) => e.finding.rule)).toContain("prod-scrape-tls");
    expect(plain.printed).toMatch(/\d+ excluded/);
    expect(cold.counts!.stages).toEqual([]);
    expect(warm.counts!.stages).toEqual(["alerting", "lint-files", "yaml-texts"]);
    expect(stageFiles(cacheDir).map((f) => f.split("-").slice(0, -1).join("-"))).toEqual(["alerting", "lint-files", "yaml-texts"]);
    for (const r of [cold, warm]) {
      expect(r.tree).toEqual(plain.tree);
      expect(r.lint).toEqual(plain.lint);
      expect(r.printed).toBe(plain.printed);
      expect(r.alerting).toEqual(plain.alerting);
    }
  });

  it("an alert's threshold edited rebuilds the rule files and re-lints them; saved back, the earlier entries answer", async () => {
    // Each build in a process of its own, as `npm run build` runs: a module imported once is not imported again.
    const opts = { ...fixture(), out: fresh("out"), cacheDir: fresh("cache") };
    const inProcess = () => {
      rmSync(opts.out, { recursive: true, force: true });
      const r = spawnSync(process.execPath, ["--import", "tsx", "test/fixtures/alertsBuild.ts", JSON.stringify(opts)], { cwd: REPO, encoding: "utf8" });
      expect(r.status, r.stderr + r.stdout).toBe(0);
      return { tree: readFiles(opts.out), stages: (JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { stages: string[] }).stages };
    };
    const before = inProcess();
    writeFileSync(join(opts.alertsDir, "busy.ts"), group(250));
    const edited = inProcess();
    expect(edited.stages).toEqual(["yaml-texts"]);
    expect(edited.tree["prometheus/rules/busy.yaml"]).toContain("> 250");
    expect(before.tree["prometheus/rules/busy.yaml"]).toContain("> 100");
    const { cacheDir: _cacheDir, ...uncached } = opts;
    expect(edited.tree).toEqual((await build(uncached)).tree);
    writeFileSync(join(opts.alertsDir, "busy.ts"), group(100));
    expect(inProcess()).toEqual({ tree: before.tree, stages: ["alerting", "lint-files", "yaml-texts"] });
  }, 240_000);

  it("a catalog edit, or a config edit, runs both stages again", async () => {
    const opts = { ...fixture(), out: fresh("out") };
    const cacheDir = fresh("cache");
    await build({ ...opts, cacheDir });
    const extra = { ...REPO_CONTENT.catalog.metrics[0], name: "cache_test_widgets_total", help: "a metric no rule reads" };
    const content = { ...REPO_CONTENT, catalog: catalogIndex([...REPO_CONTENT.catalog.metrics, extra]) };
    const catalogEdited = await build({ ...opts, cacheDir, content });
    expect(catalogEdited.counts!.stages).toEqual(["yaml-texts"]);
    expect(catalogEdited.tree).toEqual((await build({ ...opts, content })).tree);

    const config = structuredClone(REPO_CONTENT.loadConfig("dev"));
    config.alerting.grafanaUrl = "http://grafana.example.test:3000";
    const configEdited = await build({ ...opts, cacheDir, config });
    expect(configEdited.counts!.stages).toEqual([]);
    expect(configEdited.tree["prometheus/rules/busy.yaml"]).toContain("http://grafana.example.test:3000/d/svc-0001-overview/");
    expect(configEdited.tree).toEqual((await build({ ...opts, config })).tree);
    expect((await build({ ...opts, cacheDir, config })).counts!.stages).toEqual(["alerting", "lint-files", "yaml-texts"]);
  });

  it("a corrupt or truncated stage entry is ignored and rebuilt", async () => {
    const opts = { ...fixture(), out: fresh("out") };
    const cacheDir = fresh("cache");
    const first = await build({ ...opts, cacheDir });
    const [alerting, lintFiles] = stageFiles(cacheDir).map((f) => join(cacheDir, "stages", f));
    writeFileSync(alerting, readFileSync(alerting, "utf8").slice(0, -20));
    writeFileSync(lintFiles, readFileSync(lintFiles, "utf8").replace('"findings"', '"findingz"'));
    const repaired = await build({ ...opts, cacheDir });
    expect(repaired.counts!.stages).toEqual(["yaml-texts"]);
    expect(repaired.tree).toEqual(first.tree);
    expect(repaired.lint).toEqual(first.lint);
    expect((await build({ ...opts, cacheDir })).counts!.stages).toEqual(["alerting", "lint-files", "yaml-texts"]);
  });

  it("a build failed by lint over its rule files records nothing, and fails the same way again", async () => {
    // 22 rules in one group: alert-group-size (a rule over rule files, at most 20 by default) fails the build.
    const opts = { ...fixture(100, 21), out: fresh("out") };
    const cacheDir = fresh("cache");
    const failure = async () => {
      const e = await runBuild({ content: REPO_CONTENT, ...opts, cache: { dir: cacheDir } }).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(BuildError);
      return (e as BuildError).problems;
    };
    const once = await failure();
    expect(once.map((p) => p.code)).toContain("alert-group-size");
    expect(stageFiles(cacheDir)).toEqual([]);
    expect(await failure()).toEqual(once);
    expect(existsSync(opts.out)).toBe(false);
  });
});
