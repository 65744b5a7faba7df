// The idiomatic import of every corpus dashboard, built and linted like the repository's own
// definitions (its config, datasources and metric catalog): what the build rejects is exactly the
// catalog gaps the importer reported; with the catalog changes it suggested, the build passes and lint
// finds nothing, the panels imported without a description or unit counted as waived.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalog } from "../../catalog/index.js";
import { REPO_CONTENT } from "../../scripts/content.js";
import { BuildError, formatProblem, type Problem } from "../../src/errors.js";
import { importDashboard, parseDashboardText, REPO_ROOT, type ImportResult } from "../../src/import/index.js";
import { formatReport } from "../../src/lint/format.js";
import { lintTree, type LintReport } from "../../src/lint/index.js";
import { catalogIndex, type MetricDef } from "../../src/model/catalog.js";
import { buildTree } from "../../src/pipeline/index.js";
import { corpusFiles } from "../fixtures/corpus.js";

const CORPUS = resolve(REPO_ROOT, "../shared/corpus/dashboards");
const files = corpusFiles(CORPUS);
if (!files.length) console.warn(`import lint tests skipped: no dashboards under ${CORPUS}`);

/** Rules whose findings come from what the corpus dashboards themselves query and declare. */
const FROM_THE_ORIGINALS = [
  "contract-duration-seconds", // metric names in ms (the suggested entries keep the exporters' names)
  "contract-high-cardinality", // grouping by id
  "dashboard-uid", // generated-looking uids, kept so links to the dashboards keep working
  "panel-units", // unit ids Grafana does not know ("read/s")
  "promql-gauge-rate", // rate() of a series the suggested entry types gauge
  "target-job-instance-matchers", // queries without job/instance matchers
  "target-rate-interval",
  "template-job-instance", // dashboards without $job/$instance variables
  "template-refresh", // variables refreshed on load only
];

let scratch: string;
let dashboards: string;
const rows: { file: string; result: ImportResult }[] = [];

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
      catalog,
      folder: "services",
      takenUids: new Map(),
    });
    for (const f of await result.renderFolder!(dir)) writeFileSync(join(dir, f.name), f.code);
    rows.push({ file: rel, result });
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

/** The repository's catalog with the entries and labels the importer said to add (`asGauges`: typed gauge). */
function suggestedCatalog(asGauges: ReadonlySet<string> = new Set()) {
  const byName = new Map<string, MetricDef>(catalog.metrics.map((m) => [m.name, { ...m, labels: [...m.labels] }]));
  for (const { result } of rows) {
    for (const e of result.catalogEntries ?? []) {
      const had = byName.get(e.name);
      const entry = asGauges.has(e.name) ? { ...e, type: "gauge" as const } : e;
      byName.set(e.name, had ? { ...had, labels: [...new Set([...had.labels, ...e.labels])].sort() } : entry);
    }
    for (const g of result.catalogGaps ?? []) {
      if (g.kind !== "unknown-label") continue;
      const def = catalog.lookupSeries(g.metric)?.metric;
      const entry = def && byName.get(def.name);
      if (entry && g.label && !entry.labels.includes(g.label)) entry.labels.push(g.label);
    }
  }
  return catalogIndex([...byName.values()]);
}

describe.skipIf(!files.length)("idiomatic import of the corpus: build and lint with the repository's content", () => {
  it("the build stops on the catalog gaps the importer reported, and on nothing else", async () => {
    const problems = await buildProblems(REPO_CONTENT);
    expect(problems.filter((p) => !p.code.startsWith("catalog-")).map(formatProblem)).toEqual([]);
    expect(problems.length).toBeGreaterThan(0);
    expect(keysOf(problems)).toEqual([...new Set(reportedGaps())].sort());
  }, 600_000);

  it("with the catalog changes it suggested, the build passes; lint finds nothing the import is answerable for, and counts the undescribed and unitless panels as waived", async () => {
    // The counters the dashboards read raw: reported as rejected once their entries are added.
    const rejected = await buildProblems({ ...REPO_CONTENT, catalog: suggestedCatalog() });
    expect(keysOf(rejected)).toEqual([...new Set(reportedGaps(true))].sort());
    // Typed gauge here only so that the build goes on to lint.
    const raw = new Set(rows.flatMap(({ result }) => (result.catalogGaps ?? []).filter((g) => g.suggested).map((g) => g.metric)));
    const content = { ...REPO_CONTENT, catalog: suggestedCatalog(raw) };
    const built = await buildTree({ content, dashboardsDir: dashboards, write: false });
    const report: LintReport = lintTree({
      content,
      files: built.files,
      env: built.env,
      repoRoot: REPO_ROOT,
      treeLabel: "build",
      definitions: built.dashboards.map((d) => d.definition),
    });
    const line = (f: LintReport["findings"][number]) => `${f.rule} ${f.dashboardUid ?? f.file} ${f.panelTitle ?? ""}: ${f.message.split("\n")[0]}`;
    // What the import writes or reports itself: catalog names, datasources, descriptions, units, panel identities.
    const own = report.findings.filter(
      (f) =>
        ["catalog-metric-label", "panel-datasource", "panel-title-description", "panel-title-unique", "dashboard-shape", "query-syntax", "lint-exclusion-unused", "lint-exclusion-expired"].includes(f.rule) ||
        (f.rule === "panel-units" && /no unit/.test(f.message)),
    );
    expect(own.map(line)).toEqual([]);
    // What the original dashboards say themselves (their queries, variables, uids): each rule listed,
    // so that a new kind of finding fails here. Not yet rewritten by the import (see README).
    const rules = [...new Set(report.findings.map((f) => f.rule))].sort();
    expect(rules.filter((r) => !FROM_THE_ORIGINALS.includes(r))).toEqual([]);
    const waived = rows.flatMap(({ result }) =>
      result.warnings.filter((w) => w.code === "missing-description" || w.code === "missing-unit").map((w) => Number.parseInt(w.where, 10)),
    );
    const fromDefinitions = report.excluded.filter((e) => e.exclusion.file?.startsWith(relative(REPO_ROOT, dashboards)));
    expect(fromDefinitions.length).toBe(waived.reduce((a, b) => a + b, 0));
    expect(fromDefinitions.length).toBeGreaterThan(0);
    const text = formatReport(report, "human");
    expect(text).toContain(`(${fromDefinitions.length} waived by dashboard definitions)`);
    const byDashboard = new Map<string, Map<string, number>>();
    for (const f of report.findings) {
      const m = byDashboard.get(f.dashboardUid ?? f.file) ?? new Map<string, number>();
      m.set(f.rule, (m.get(f.rule) ?? 0) + 1);
      byDashboard.set(f.dashboardUid ?? f.file, m);
    }
    const table = [...byDashboard].map(([d, m]) => `  ${d}: ${[...m].map(([r, n]) => `${r} ${n}`).join(", ")}`).join("\n");
    console.log(`lint of the imported corpus: ${text.split("\n").at(-1)}\n${table}`);
  }, 600_000);
});
