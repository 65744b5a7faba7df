// The idiomatic import (the default of `npm run import`): a folder in the house style that builds to a
// dashboard showing what the original shows. Over the shared corpus: type-check, build, semantic
// verification and lines per panel (before: --exact, after: idiomatic), reported per dashboard.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDashboard, parseDashboardText, REPO_ROOT, type ImportResult } from "../../src/import/index.js";
import { QueryFile } from "../../src/import/idiomatic/queryFile.js";
import { compareMeaning, formatSemanticDifference } from "../../src/import/semantic.js";
import { typecheckFiles } from "../../src/import/typecheck.js";
import { buildDefinitionModule, semanticResult } from "../../src/import/verify.js";
import { loadConfig } from "../../config/index.js";
import { catalog } from "../../catalog/index.js";

const DEV = loadConfig("dev");
import { runImport } from "../fixtures/importCli.js";

const CORPUS = resolve(REPO_ROOT, "../shared/corpus/dashboards");
const FIXTURES = join(REPO_ROOT, "test/fixtures/import");

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? jsonFiles(full) : name.endsWith(".json") ? [full] : [];
    });
}

const lineCount = (s: string) => s.split("\n").filter((l) => l.trim() !== "").length;

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(REPO_ROOT, "import-idiomatic.tmp-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("queries.ts", () => {
  it("one function per distinct expression; a selector three queries share becomes a constant", () => {
    const q = new QueryFile();
    const sel = `{job="$job", instance=~"$instance"}`;
    expect(q.add(`rate(a_total${sel}[5m])`, "Requests per second")).toBe("q.requestsPerSecond()");
    expect(q.add(`rate(a_total${sel}[5m])`, "Other title")).toBe("q.requestsPerSecond()");
    expect(q.add(`rate(b_total${sel}[5m])`, "Requests per second")).toBe("q.requestsPerSecond2()");
    expect(q.add(`c${sel} > 0`, "2xx share")).toBe("q.q2xxShare()");
    const text = q.render("T");
    expect(text).toContain('const selJobInstance = "{job=\\"$job\\", instance=~\\"$instance\\"}";');
    expect(text).toContain("requestsPerSecond: () => `rate(a_total${selJobInstance}[5m])`,");
    expect(text).toContain("q2xxShare: () => `c${selJobInstance} > 0`,");
  });

  it("escapes what would end or interpolate a template literal", async () => {
    const q = new QueryFile();
    const sel = `{a="x", b="y"}`;
    for (const e of ["`", "${__rate_interval}", "\\"]) q.add(`m${sel} + on() vector(1) # ${e}`, "x");
    const mod = (await import(
      `data:text/javascript,${encodeURIComponent(q.render("T").replace("export function", "export default function"))}`
    )) as { default: () => Record<string, () => string> };
    expect(Object.values(mod.default()).map((f) => f())).toEqual(
      ["`", "${__rate_interval}", "\\"].map((e) => `m${sel} + on() vector(1) # ${e}`),
    );
  });
});

describe("command line", () => {
  it("--out <folder> writes index.ts and queries.ts, --verify compares meaning; a .ts --out needs --exact", async () => {
    const out = join(scratch, "dashboards", "api");
    const r = await runImport([join(FIXTURES, "panels.json"), "--out", out, "--verify"], {
      cwd: REPO_ROOT,
      exact: false,
    });
    expect(r.stderr).toContain("verify: the build shows what the original shows (no difference in meaning)");
    expect(r.code).toBe(0);
    const index = readFileSync(join(out, "index.ts"), "utf8");
    expect(index).toContain('import { queries } from "./queries.js";');
    expect(index).toMatch(/timeseriesPanel\(\{/);
    expect(index).not.toContain("pluginVersion");
    expect(readFileSync(join(out, "queries.ts"), "utf8")).toContain("export function queries()");
    const again = await runImport([join(FIXTURES, "panels.json"), "--out", out], { cwd: REPO_ROOT, exact: false });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("exists; pass --force");
    const ts = await runImport([join(FIXTURES, "panels.json"), "--out", join(scratch, "x.ts")], {
      cwd: REPO_ROOT,
      exact: false,
    });
    expect(ts.code).toBe(2);
    expect(ts.stderr).toContain("the import writes a folder (index.ts and queries.ts); give a folder, or --exact");
  }, 120_000);

  it("maps catalog aliases to the catalog's names; reports unknown metrics and unknown labels with the catalog change, as the build does", async () => {
    const dir = join(scratch, "catalog-input");
    mkdirSync(dir, { recursive: true });
    const panel = (id: number, title: string, expr: string) => ({
      id, type: "timeseries", title, description: "x", gridPos: { x: 0, y: id * 8, w: 12, h: 8 },
      datasource: { type: "prometheus", uid: "${datasource}" },
      fieldConfig: { defaults: { unit: "short" }, overrides: [] },
      targets: [{ refId: "A", expr }],
    });
    writeFileSync(
      join(dir, "catalog.json"),
      JSON.stringify({
        uid: "catalog-gaps", title: "Catalog gaps", schemaVersion: 39,
        panels: [
          // The model service's counter goes through the collector: known with and without _total.
          panel(1, "Inferences", 'sum(rate(model_inference{model_id="a"}[5m]))'),
          panel(2, "By route", "sum by (route) (rate(http_requests_total{method=\"GET\"}[5m]))"),
          panel(3, "Made up", 'rate(made_up_requests_total{job="x", zone="a"}[5m])'),
        ],
      }),
    );
    const out = join(scratch, "dashboards", "catalog");
    const r = await runImport([join(dir, "catalog.json"), "--out", out], { cwd: REPO_ROOT, exact: false, catalog });
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, "queries.ts"), "utf8")).toContain("sum(rate(model_inference_total{model_id=");
    expect(r.stderr).toContain("metric model_inference written as model_inference_total, its catalog name");
    expect(r.stderr).toContain(
      'panel "Made up" query A: metric made_up_requests_total is not in the catalog (the build rejects the query); add to catalog/: { name: "made_up_requests_total", type: "counter", unit: "short", help: "…", labels: ["zone"] }',
    );
    const labels = catalog.metricByName("http_requests_total")!.labels;
    expect(labels).not.toContain("route");
    expect(r.stderr).toContain(
      `panel "By route" query A: label route is not a label of http_requests_total in the catalog (the build rejects the query); add it to the entry of http_requests_total in catalog/ (stack fastapi-llm): labels: ${JSON.stringify([...labels, "route"].sort())}`,
    );
    const result = await importDashboard(parseDashboardText(readFileSync(join(dir, "catalog.json"), "utf8"), "catalog.json"), {
      style: "idiomatic",
      outFile: out,
      catalog,
    });
    expect(result.catalogGaps).toEqual([
      { kind: "unknown-label", metric: "http_requests_total", label: "route" },
      { kind: "unknown-metric", metric: "made_up_requests_total", series: ["made_up_requests_total"] },
    ]);
  }, 120_000);
});

describe("verification by meaning", () => {
  it("lists a changed unit, legend placement, query and variable; ignores styling", async () => {
    const input = parseDashboardText(readFileSync(join(FIXTURES, "panels.json"), "utf8"), "panels.json");
    const dir = join(scratch, "meaning");
    mkdirSync(dir, { recursive: true });
    const result = await importDashboard(input, { style: "idiomatic", outFile: dir });
    for (const f of await result.renderFolder!(dir)) writeFileSync(join(dir, f.name), f.code);
    const built = (await buildDefinitionModule(join(dir, "index.ts"), DEV)) as { panels: Record<string, any>[] };
    expect(semanticResult(result, built).differences.map(formatSemanticDifference)).toEqual([]);
    const panel = built.panels.find((p) => p.type === "timeseries" && p.targets?.length)!;
    const changed = structuredClone(built);
    const p2 = changed.panels[built.panels.indexOf(panel)];
    p2.fieldConfig.defaults.unit = "bytes";
    p2.targets[0].expr = "vector(1)";
    p2.options = {
      ...p2.options,
      legend: { ...p2.options?.legend, showLegend: false },
      tooltip: { mode: "none" },
    };
    p2.fieldConfig.defaults.custom = { ...p2.fieldConfig.defaults.custom, lineWidth: 7 };
    const where = compareMeaning(result.original, changed, result.semantic!).map((d) => d.where);
    const title = `panel "${String(panel.title)}"`;
    expect(where).toEqual([`${title} unit`, `${title} legend`, `${title} targets[0] expr`]);
  }, 120_000);
});

const files = jsonFiles(CORPUS);
if (!files.length) console.warn(`idiomatic import corpus tests skipped: no dashboards under ${CORPUS}`);

describe.skipIf(!files.length)("idiomatic import: real-world corpus", () => {
  const rows: { file: string; result: ImportResult; dir: string; before: number; after: number }[] = [];

  beforeAll(async () => {
    for (const file of files) {
      const rel = relative(CORPUS, file);
      const text = readFileSync(file, "utf8");
      const dir = join(scratch, "corpus", rel.replace(/[^\w]+/g, "_"));
      mkdirSync(dir, { recursive: true });
      const exact = await importDashboard(parseDashboardText(text, rel), { outFile: join(dir, "exact.ts") });
      const result = await importDashboard(parseDashboardText(text, rel), { style: "idiomatic", outFile: dir });
      let after = 0;
      for (const f of await result.renderFolder!(dir)) {
        writeFileSync(join(dir, f.name), f.code);
        after += lineCount(f.code);
      }
      rows.push({ file: rel, result, dir, before: lineCount(exact.code), after });
    }
  }, 600_000);

  afterAll(() => {
    if (!rows.length) return;
    const per = (n: number, r: (typeof rows)[number]) => (n / r.result.panelCount).toFixed(1);
    const table = [
      "| corpus file | panels | lines --exact (per panel) | lines idiomatic (per panel) |",
      "|---|---|---|---|",
      ...rows.map(
        (r) =>
          `| ${r.file} | ${r.result.panelCount} | ${r.before} (${per(r.before, r)}) | ${r.after} (${per(r.after, r)}) |`,
      ),
    ].join("\n");
    const out = join(tmpdir(), "grafana-import-idiomatic-report.md");
    writeFileSync(out, `${table}\n`);
    console.log(`${table}\n\n(written to ${out}; non-empty lines, rows counted as panels)`);
  });

  it("type-checks every imported folder (one tsc run)", async () => {
    const { errors } = await typecheckFiles(
      rows.flatMap((r) => [join(r.dir, "index.ts"), join(r.dir, "queries.ts")].filter(existsSync)),
    );
    expect(errors).toEqual([]);
  }, 300_000);

  it.each(files.map((f) => relative(CORPUS, f)))(
    "%s builds, shows what the original shows, ≤ 30 lines per panel",
    async (rel) => {
      const row = rows.find((r) => r.file === rel)!;
      const built = await buildDefinitionModule(join(row.dir, "index.ts"), DEV);
      expect(semanticResult(row.result, built).differences.map(formatSemanticDifference)).toEqual([]);
      expect(row.after / row.result.panelCount).toBeLessThanOrEqual(30);
      expect(row.result.code).not.toMatch(/pluginVersion|"current"/);
    },
    120_000,
  );
});
