// The idiomatic import of every corpus dashboard, built and linted like the repository's own
// definitions (its config, datasources and metric catalog): what the build rejects is exactly the
// catalog gaps the importer reported; with the catalog (and lint-exclusions) changes it suggested, the
// build passes and lint reports no error and no warning except rate() of counters this merged build
// has to type gauge (see below): what the originals do that the importer cannot change is waived in
// each definition, per rule, and lint counts exactly what the importer reported.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_CONTENT } from "../../scripts/content.js";
import { addImportLintWaivers, suggestedCatalog } from "../../src/commands/importLint.js";
import { BuildError, formatProblem, type Problem } from "../../src/errors.js";
import { importDashboard, parseDashboardText, REPO_ROOT, type ImportResult } from "../../src/import/index.js";
import { formatReport, waivedByRule } from "../../src/lint/format.js";
import { lintTree, type LintReport } from "../../src/lint/index.js";
import { EXCLUSIONS_FILE, loadExclusions } from "../../src/lint/exclusions.js";
import { RULE_IDS } from "../../src/lint/registry.js";
import { buildTree } from "../../src/pipeline/index.js";
import { catalogIndex } from "../../src/model/catalog.js";
import { corpusFiles } from "../fixtures/corpus.js";

const CORPUS = resolve(REPO_ROOT, "../shared/corpus/dashboards");
const files = corpusFiles(CORPUS);
if (!files.length) console.warn(`import lint tests skipped: no dashboards under ${CORPUS}`);

let scratch: string;
let dashboards: string;
const rows: { file: string; result: ImportResult; lines: number; noLint?: string }[] = [];
const lineCount = (s: string) => s.split("\n").filter((l) => l.trim() !== "").length;

beforeAll(async () => {
  if (!files.length) return;
  scratch = mkdtempSync(join(REPO_ROOT, "import-lint.tmp-"));
  dashboards = join(scratch, "dashboards");
  // One folder, as a team importing its dashboards would have: links between them resolve.
  for (const file of files) {
    const rel = relative(CORPUS, file);
    const dir = join(dashboards, rel.replace(/\.json$/, "").replace(/[^\w]+/g, "-"));
    mkdirSync(dir, { recursive: true });
    const result = await importDashboard(parseDashboardText(readFileSync(file, "utf8"), rel), {
      style: "idiomatic",
      outFile: dir,
      catalog: REPO_CONTENT.catalog,
      folder: "services",
      takenUids: new Map(),
    });
    const noLint = await addImportLintWaivers(result, REPO_CONTENT);
    let lines = 0;
    for (const f of await result.renderFolder!(dir)) {
      writeFileSync(join(dir, f.name), f.code);
      lines += lineCount(f.code);
    }
    rows.push({ file: rel, result, lines, noLint });
  }
}, 600_000);
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** "uid › kind metric label": one catalog gap, as the build's problems and the importer's report name it. */
const gapKey = (uid: string, kind: string, metric: string, label?: string) => `${uid} › ${kind} ${metric}${label ? ` ${label}` : ""}`;

/** The gaps the importer reported; `suggested`: those the build finds once its catalog entries are added. */
function reportedGaps(suggested = false): string[] {
  return rows.flatMap(({ result }) =>
    (result.catalogGaps ?? [])
      .filter((g) => (g.suggested === true) === suggested)
      .flatMap((g) =>
        g.kind === "unknown-metric" ? g.series!.map((s) => gapKey(result.uid, g.kind, s)) : [gapKey(result.uid, g.kind, g.metric, g.label)],
      ),
  );
}

async function buildProblems(content: typeof REPO_CONTENT): Promise<Problem[]> {
  try {
    await buildTree({ content, dashboardsDir: dashboards, write: false });
    return [];
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    return e.problems;
  }
}

const keysOf = (problems: Problem[]) =>
  [...new Set(problems.map((p) => gapKey(p.dashboardUid!, p.code.replace(/^catalog-/, ""), p.metric ?? "", p.label)))].sort();

/**
 * Metrics two imports suggest with different types (one dashboard rates it, another reads it raw): a
 * merge of independent imports cannot settle them; the team decides. Each such metric with the
 * dashboards reading it raw.
 */
function typeConflicts(): Map<string, string[]> {
  const types = new Map<string, Map<string, string[]>>();
  for (const { result } of rows)
    for (const e of result.catalogEntries ?? []) {
      const byType = types.get(e.name) ?? new Map<string, string[]>();
      byType.set(e.type, [...(byType.get(e.type) ?? []), result.uid]);
      types.set(e.name, byType);
    }
  return new Map([...types].filter(([, t]) => t.size > 1 && t.has("counter")).map(([name, t]) => [name, t.get("gauge") ?? []]));
}

describe.skipIf(!files.length)("idiomatic import of the corpus: build and lint with the repository's content", () => {
  it("the build stops on the catalog gaps the importer reported, and on nothing else", async () => {
    const problems = await buildProblems(REPO_CONTENT);
    expect(problems.filter((p) => !p.code.startsWith("catalog-")).map(formatProblem)).toEqual([]);
    expect(problems.length).toBeGreaterThan(0);
    expect(keysOf(problems)).toEqual([...new Set(reportedGaps())].sort());
  }, 600_000);

  it("every import was linted, and stays at 30 lines per panel or fewer with its waivers", () => {
    expect(rows.filter((r) => r.noLint).map((r) => `${r.file}: ${r.noLint}`)).toEqual([]);
    const table = rows.map(({ file, result, lines }) => {
      const waivers = (result.lintWaivers ?? []).map((w) => `${w.rule} ${w.findings}${w.panels ? ` (${w.panels.length} panels)` : " (dashboard)"}`);
      return `  ${file}: ${(lines / result.panelCount).toFixed(1)} lines per panel; waivers: ${waivers.join(", ") || "none"}`;
    });
    console.log(`imported corpus, lines per panel and waivers (rule, findings):\n${table.join("\n")}`);
    for (const { file, result, lines } of rows) expect(lines / result.panelCount, file).toBeLessThanOrEqual(30);
  });

  it("with the catalog changes it suggested, the build passes and lint reports no error and no warning but rate() of the counters typed gauge for this build; the waived findings per rule are what the importer reported", async () => {
    // The counters the dashboards read raw are rejected once their entries are added, as reported;
    // and where imports disagree on a metric's type, the dashboards reading it raw.
    const conflicts = typeConflicts();
    const rejected = await buildProblems({ ...REPO_CONTENT, catalog: suggestedCatalog(REPO_CONTENT.catalog, rows.map((r) => r.result), false) });
    const conflicting = [...conflicts].flatMap(([metric, uids]) => uids.map((uid) => gapKey(uid, "counter-without-rate", metric)));
    expect(keysOf(rejected)).toEqual([...new Set([...reportedGaps(true), ...conflicting])].sort());
    // Typed gauge here only so that the build goes on to lint.
    const suggested = suggestedCatalog(REPO_CONTENT.catalog, rows.map((r) => r.result));
    const catalog = catalogIndex(suggested.metrics.map((m) => (conflicts.has(m.name) ? { ...m, type: "gauge" as const } : m)));
    const gaugeForThisBuild = new Set([...conflicts.keys(), ...rows.flatMap(({ result }) => (result.catalogGaps ?? []).filter((g) => g.suggested).map((g) => g.metric))]);
    const content = { ...REPO_CONTENT, catalog };
    const built = await buildTree({ content, dashboardsDir: dashboards, write: false });
    // The lint-exclusions.yaml entries the importer suggested with its catalog entries (counters the exporter names without _total).
    const own = loadExclusions(join(REPO_ROOT, EXCLUSIONS_FILE), EXCLUSIONS_FILE, RULE_IDS);
    const suggestedExclusions = [
      ...new Map(rows.flatMap(({ result }) => result.suggestedExclusions ?? []).filter((e) => !conflicts.has(e.metric)).map((e) => [`${e.rule} ${e.metric}`, e])).values(),
    ];
    const exclusions = { ...own, exclusions: [...own.exclusions, ...suggestedExclusions.map((e) => ({ rule: e.rule, scope: { metric: e.metric }, reason: e.reason, line: 1 }))] };
    const report: LintReport = lintTree({
      content,
      files: built.files,
      env: built.env,
      repoRoot: REPO_ROOT,
      treeLabel: "build",
      exclusions,
      definitions: built.dashboards.map((d) => d.definition),
    });
    const line = (f: LintReport["findings"][number]) => `${f.rule} ${f.dashboardUid ?? f.file} ${f.panelTitle ?? ""}: ${f.message.split("\n")[0]}`;
    // A counter typed gauge for this build only (read raw somewhere, which the build rejects as the
    // reported gap, or typed differently by two imports) is rated by a dashboard that takes it, rightly,
    // for a counter: no import waives that, and the finding is this build's, listed by name.
    const merged = (f: LintReport["findings"][number]) => f.rule === "promql-gauge-rate" && gaugeForThisBuild.has(f.metric ?? "");
    expect(report.findings.filter((f) => !merged(f)).map(line)).toEqual([]);
    console.log(`findings of counters typed gauge for the merged build only: ${report.findings.filter(merged).map(line).join("; ") || "none"}`);
    const reported: Record<string, number> = {};
    for (const { result } of rows) for (const w of result.lintWaivers ?? []) reported[w.rule] = (reported[w.rule] ?? 0) + (w.findings ?? 0);
    expect(waivedByRule(report)).toEqual(reported);
    expect(Object.keys(reported).length).toBeGreaterThan(2);
    const text = formatReport(report, "human");
    const total = Object.values(reported).reduce((a, b) => a + b, 0);
    expect(text).toContain(`(${total} waived by dashboard definitions: `);
    console.log(`lint of the imported corpus: ${text.split("\n").at(-1)}`);
  }, 600_000);
});
