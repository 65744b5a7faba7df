// Every real-world dashboard of the shared corpus goes through the importer: the code is written,
// type-checked (one tsc run over all of it), built, and must give back the original dashboard up to the
// documented normalisation. A per-file report (panels, kinds, warnings, normalisations) is printed and
// written to the OS temp dir.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDashboard, parseDashboardText, REPO_ROOT, type ImportResult } from "../../src/import/index.js";
import { formatDifference, NORMALISATION_RULES } from "../../src/import/normalise.js";
import { panelKindsText } from "../../src/import/report.js";
import { loadSdkModel } from "../../src/import/sdkModel.js";
import { typecheckFiles } from "../../src/import/typecheck.js";
import { buildDefinitionModule, verifyBuilt, type VerifyResult } from "../../src/import/verify.js";

const CORPUS = resolve(REPO_ROOT, "../shared/corpus/dashboards");

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? jsonFiles(full) : name.endsWith(".json") ? [full] : [];
    });
}

const files = jsonFiles(CORPUS);
if (!files.length) console.warn(`import corpus tests skipped: no dashboards under ${CORPUS}`);

interface Row {
  file: string;
  result: ImportResult;
  tsFile: string;
  verify?: VerifyResult;
}

describe.skipIf(!files.length)("import: real-world corpus", () => {
  let scratch: string;
  const rows: Row[] = [];

  beforeAll(async () => {
    scratch = mkdtempSync(join(REPO_ROOT, "import-corpus.tmp-"));
    for (const file of files) {
      const rel = relative(CORPUS, file);
      const input = parseDashboardText(readFileSync(file, "utf8"), rel);
      const tsFile = join(scratch, `${rel.replace(/[^\w]+/g, "_").replace(/_json$/, "")}.ts`);
      const result = await importDashboard(input, { outFile: tsFile });
      writeFileSync(tsFile, result.code);
      rows.push({ file: rel, result, tsFile });
    }
  }, 300_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    if (!rows.length) return;
    const rules = NORMALISATION_RULES.map((r) => r.id);
    const table = [
      "| corpus file | panels | panel kinds | warnings | normalisations applied | unexplained |",
      "|---|---|---|---|---|---|",
      ...rows.map((r) => {
        const applied = r.verify
          ? rules.filter((id) => r.verify!.rules.has(id)).map((id) => `${id} ${r.verify!.rules.get(id)}`)
          : [];
        return `| ${r.file} | ${r.result.panelCount} | ${panelKindsText(r.result)} | ${r.result.warnings.length} | ${
          applied.join(", ") || "-"
        } | ${r.verify ? r.verify.unexplained.length : "not built"} |`;
      }),
    ].join("\n");
    const out = join(tmpdir(), "grafana-import-corpus-report.md");
    writeFileSync(out, `# npm run import over ${CORPUS}\n\n${table}\n`);
    console.log(`${table}\n\n(written to ${out})`);
  });

  it("imports every corpus file", () => {
    expect(rows.map((r) => r.file)).toEqual(files.map((f) => relative(CORPUS, f)));
    for (const r of rows)
      expect(r.result.code).toContain(`// Imported from Grafana dashboard ${JSON.stringify(r.result.title)}`);
  });

  it("type-checks all generated files under the project's tsconfig (one tsc run)", async () => {
    const { errors, otherErrors } = await typecheckFiles(rows.map((r) => r.tsFile));
    if (otherErrors.length)
      console.warn(
        `tsc reported ${otherErrors.length} error(s) outside the generated files:\n${otherErrors.join("\n")}`,
      );
    expect(errors).toEqual([]);
  }, 180_000);

  it.each(files.map((f) => relative(CORPUS, f)))("%s builds back to the original after normalisation", async (rel) => {
    const row = rows.find((r) => r.file === rel)!;
    const built = await buildDefinitionModule(row.tsFile);
    row.verify = verifyBuilt(row.result, built);
    expect(row.verify.unexplained.map(formatDifference)).toEqual([]);
    // The build is the dashboard: same panels, in the same order.
    const titles = (d: unknown) =>
      ((d as { panels?: { title?: string; panels?: { title?: string }[] }[] }).panels ?? []).flatMap((p) => [
        p.title,
        ...(p.panels ?? []).map((q) => q.title),
      ]);
    expect(titles(built)).toEqual(titles(row.result.original));
  });

  it("writes every panel of a kind the SDK has a builder for with that builder", async () => {
    const model = await loadSdkModel();
    for (const { result } of rows) {
      for (const [kind, count] of result.panelKinds) {
        if (kind === "row") {
          expect(result.code.split("new dashboard.RowBuilder(").length - 1, `${basename(result.uid)} rows`).toBe(count);
          continue;
        }
        const builder = model.panelBuilders.get(kind);
        if (!builder) continue;
        const uses = result.code.split(`new ${builder.ns}.PanelBuilder()`).length - 1;
        expect(uses, `${result.uid}: ${kind} panels`).toBe(count);
      }
      // Queries of the corpus are Prometheus queries: each is a prometheus.DataqueryBuilder.
      expect(result.warnings.filter((w) => w.code === "raw-query" && !w.where.startsWith("annotation"))).toEqual([]);
    }
  });
});
