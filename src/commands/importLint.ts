// The lint debt of an idiomatic import, found by lint itself: the generated folder is built in memory
// with the repository's content (and the catalog entries the importer suggested, so that the build
// reaches lint) and linted like a definition of dashboards/. What lint then finds on the imported
// dashboard is what the original does and the importer cannot change without changing what the
// dashboard shows or selects; each rule becomes one waiver of the definition (import's waivers.ts),
// with the panels it concerns. Rules a definition may not waive (the catalog, src/model/lintRules.ts)
// stay findings. Composition of the import and lint tools lives here: a tool never imports another.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { BuildError } from "../errors.js";
import type { ImportResult } from "../import/index.js";
import { waiverReason, type ImportWaiver } from "../import/idiomatic/waivers.js";
import { lintTree, type Finding } from "../lint/index.js";
import { catalogIndex, type CatalogIndex, type MetricDef } from "../model/catalog.js";
import type { RepoContent } from "../model/content.js";
import { WAIVABLE_RULES } from "../model/lintRules.js";
import { buildTree } from "../pipeline/index.js";
import { REPO_ROOT } from "../repoRoot.mjs";

/**
 * The repository's catalog with the import's suggested entries and labels. Counters the dashboard
 * reads without rate() (reported: the build rejects them) are typed gauge here only, so that the
 * build goes on to lint.
 */
export function suggestedCatalog(base: CatalogIndex, results: readonly ImportResult[], rawAsGauge = true): CatalogIndex {
  const byName = new Map<string, MetricDef>(base.metrics.map((m) => [m.name, { ...m, labels: [...m.labels] }]));
  const raw = new Set(results.flatMap((r) => (r.catalogGaps ?? []).filter((g) => g.suggested).map((g) => g.metric)));
  for (const r of results) {
    for (const e of r.catalogEntries ?? []) {
      const had = byName.get(e.name);
      const entry = rawAsGauge && raw.has(e.name) ? { ...e, type: "gauge" as const } : e;
      byName.set(e.name, had ? { ...had, labels: [...new Set([...had.labels, ...e.labels])].sort() } : entry);
    }
    for (const g of r.catalogGaps ?? []) {
      if (g.kind !== "unknown-label" || !g.label) continue;
      const def = base.lookupSeries(g.metric)?.metric;
      const entry = def && byName.get(def.name);
      if (entry && !entry.labels.includes(g.label)) entry.labels.push(g.label);
    }
  }
  return catalogIndex([...byName.values()]);
}

/** One waiver per rule: the panels its findings name, or the whole dashboard when one names none (a variable, the uid). */
export function waiversOf(findings: readonly Finding[]): ImportWaiver[] {
  const byRule = new Map<string, Finding[]>();
  for (const f of findings) if (WAIVABLE_RULES.includes(f.rule)) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  return [...byRule]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([rule, list]) => {
      const wholeDashboard = list.some((f) => !f.panelTitle || f.panelTitle.startsWith("variable $"));
      const panels = wholeDashboard ? undefined : [...new Set(list.map((f) => f.panelTitle!))];
      return { rule, reason: waiverReason(rule), ...(panels ? { panels } : {}), findings: list.length };
    });
}

/** Uids of the other dashboards the original links to (/d/<uid>): the build checks that links resolve. */
function linkedUids(result: ImportResult): string[] {
  const text = JSON.stringify(result.original);
  return [...new Set([...text.matchAll(/\/d\/([a-zA-Z0-9_-]{1,40})/g)].map((m) => m[1]))].filter((u) => u !== result.uid).sort();
}

/** An empty dashboard standing in for one the import links to, so that the link resolves in the scratch build. */
function standIn(uid: string, folder: string, src: string): string {
  return `import * as text from "@grafana/grafana-foundation-sdk/text";
import { defineDashboard } from ${JSON.stringify(`${src}/definitions.js`)};
import { baseDashboard } from ${JSON.stringify(`${src}/presets/dashboard.js`)};
export default defineDashboard({ uid: ${JSON.stringify(uid)}, title: ${JSON.stringify(uid)}, folder: ${JSON.stringify(folder)},
  build: (ctx, self) => baseDashboard(ctx, { ...self, description: "Stands in for a linked dashboard." })
    .withPanel(new text.PanelBuilder().title("Linked").description("Stands in.").content("linked").gridPos({ h: 2, w: 24, x: 0, y: 0 })) });
`;
}

/**
 * Builds and lints the import in a scratch folder of the repository and adds what lint finds on its
 * dashboard to the definition's lintWaivers. Returns why lint could not run (the build still fails
 * on something the import reported), or undefined.
 */
export async function addImportLintWaivers(result: ImportResult, content: RepoContent): Promise<string | undefined> {
  if (result.style !== "idiomatic" || !result.renderFolder || !result.addLintWaivers) return undefined;
  const scratch = mkdtempSync(join(REPO_ROOT, "import-lint.tmp-"));
  try {
    const dashboards = join(scratch, "dashboards");
    const dir = join(dashboards, result.uid.replace(/[^\w-]/g, "_"));
    mkdirSync(dir, { recursive: true });
    for (const f of await result.renderFolder(dir)) writeFileSync(join(dir, f.name), f.code);
    const folder = /\bfolder: "([^"]*)"/.exec(result.code)?.[1] ?? "services";
    for (const uid of linkedUids(result)) {
      const other = join(dashboards, `linked-${uid}`);
      mkdirSync(other, { recursive: true });
      writeFileSync(join(other, "index.ts"), standIn(uid, folder, relative(other, join(REPO_ROOT, "src")).split(sep).join("/")));
    }
    const lintContent = { ...content, catalog: suggestedCatalog(content.catalog, [result]) };
    let built;
    try {
      built = await buildTree({ content: lintContent, dashboardsDir: dashboards, write: false });
    } catch (e) {
      if (!(e instanceof BuildError)) throw e;
      return `the build of the import stops before lint (${e.problems[0]?.code ?? "problem"}: ${e.problems[0]?.message.split("\n")[0] ?? ""})`;
    }
    const report = lintTree({
      content: lintContent,
      files: built.files,
      env: built.env,
      repoRoot: REPO_ROOT,
      treeLabel: "build",
      definitions: built.dashboards.map((d) => d.definition),
    });
    // The waivers the import wrote itself (undescribed, unitless panels): how many findings each covers.
    for (const w of result.lintWaivers ?? [])
      (w as ImportWaiver).findings = report.excluded.filter((e) => e.exclusion.file !== undefined && e.finding.dashboardUid === result.uid && e.finding.rule === w.rule).length;
    // A counter read raw is typed gauge for this build only (the build rejects the raw read, reported as
    // a catalog gap): its rate() elsewhere in the dashboard is right, not debt.
    const raw = new Set((result.catalogGaps ?? []).filter((g) => g.suggested).map((g) => g.metric));
    const own = report.findings.filter((f) => f.dashboardUid === result.uid && !(f.rule === "promql-gauge-rate" && raw.has(f.metric ?? "")));
    const waivers = waiversOf(own);
    if (waivers.length) await result.addLintWaivers(waivers);
    return undefined;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
