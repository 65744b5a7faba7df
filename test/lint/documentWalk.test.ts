// The one walk of a dashboard's document serves datasource-literal-secret and dashboard-shape: it
// must say what each check says on its own, on fixtures broken at random and on real public
// dashboards.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config/index.js";
import { REPO_CONTENT } from "../../scripts/content.js";
import { createContext, type LintContext } from "../../src/lint/context.js";
import { walkDocument } from "../../src/lint/documentWalk.js";
import { inputFiles, readDashboardFile, type ExternalDashboard } from "../../src/lint/external.js";
import secretRule from "../../src/lint/rules/datasource-literal-secret.js";
import shapeRule from "../../src/lint/rules/dashboard-shape.js";
import { COMPILED_DASHBOARD, lintableDashboard } from "../../src/lint/shape.js";
import { goodDashboard, REPO } from "./fixtures.js";

const contextOf = (docs: unknown[]): LintContext => {
  const paths = docs.map((_, i) => `grafana/provisioning/dashboards/walk/d${i}.json`);
  return createContext(
    paths.map((path) => ({ path, content: "" })),
    { content: REPO_CONTENT, repoRoot: REPO, treeLabel: "", env: "dev", config: loadConfig("dev"), environments: [], parsed: new Map(paths.map((p, i) => [p, docs[i]])) },
  );
};

/** The same context with each check on its own: the secret rule walks each document itself, the shape check copies it. */
const alone = (ctx: LintContext): LintContext => ({
  ...ctx,
  dashboards: ctx.dashboards.map((d) => ({ ...d, walked: undefined, shapeIssues: lintableDashboard(ctx.data.get(d.output) as Record<string, unknown>).issues })),
});

/** What the walk and each check alone say of a document. */
function agree(docs: Record<string, unknown>[]): { clean: number; unclean: number; literals: number; issues: number } {
  const counts = { clean: 0, unclean: 0, literals: 0, issues: 0 };
  for (const doc of docs) {
    const walked = walkDocument(doc, COMPILED_DASHBOARD);
    const { json, issues } = lintableDashboard(doc);
    // Clean exactly when the shape check hands back the document itself and says nothing.
    expect(walked.shapeClean).toBe((json as unknown) === doc && issues.length === 0);
    expect(walked.literals).toEqual(walkDocument(doc).literals);
    counts[walked.shapeClean ? "clean" : "unclean"]++;
    counts.literals += walked.literals.length;
    counts.issues += issues.length;
  }
  // Through a context: the rules' findings with the walk the context made equal their findings alone.
  const ctx = contextOf(docs);
  expect(ctx.dashboards.length).toBe(docs.length);
  for (const d of ctx.dashboards) expect(d.walked?.doc).toBe(ctx.data.get(d.output));
  const solo = alone(ctx);
  expect(secretRule.check(ctx)).toEqual(secretRule.check(solo));
  expect(shapeRule.check(ctx)).toEqual(shapeRule.check(solo));
  return counts;
}

describe("the one walk of a dashboard's document", () => {
  it("on fixtures broken at random: wrong kinds, nulls, holes and secrets anywhere", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const values = [null, 42, true, "x", "", [], {}, [1, null], { title: 7 }, "glpat-abcdefghijklmnop1234", "https://admin:s3cret@example.com/", "${TOKEN}", ["hunter2"], { password: "hunter2" }, { secureJsonData: { a: "b" } }];
    const keys = ["title", "expr", "refId", "legendFormat", "datasource", "targets", "panels", "links", "url", "refresh", "query", "tags", "password", "apiKey", "secureSettings", "options", "collapsed", "gridPos", "id"];
    const docs: Record<string, unknown>[] = [];
    for (let i = 0; i < 300; i++) {
      const doc = goodDashboard(`walk-${i}`) as unknown as Record<string, unknown>;
      // Every object and list of the document, to change one of their members at random.
      const holders: (Record<string, unknown> | unknown[])[] = [];
      const collect = (v: unknown) => {
        if (v === null || typeof v !== "object") return;
        holders.push(v as Record<string, unknown>);
        for (const x of Object.values(v)) collect(x);
      };
      collect(doc);
      const changes = Math.floor(random() * 4);
      for (let c = 0; c < changes; c++) {
        const h = pick(holders);
        if (Array.isArray(h)) {
          if (random() < 0.2) h.length += 1; // a hole
          else h[Math.floor(random() * (h.length + 1))] = structuredClone(pick(values));
        } else {
          const existing = Object.keys(h);
          const key = random() < 0.6 && existing.length ? pick(existing) : pick(keys);
          h[key] = structuredClone(pick(values));
        }
      }
      docs.push(doc);
    }
    const counts = agree(docs);
    // Both answers occur, and the secrets are found: the comparison is not an empty one.
    expect(counts.clean).toBeGreaterThan(20);
    expect(counts.unclean).toBeGreaterThan(20);
    expect(counts.literals).toBeGreaterThan(20);
    expect(counts.issues).toBeGreaterThan(20);
  });

  const CORPUS = resolve(REPO, "../shared/corpus/dashboards");
  it.skipIf(!existsSync(CORPUS))("on the shared corpus of real public dashboards", () => {
    const { files } = inputFiles([CORPUS], REPO);
    const docs = files.map((f) => (readDashboardFile(f.path, f.label) as ExternalDashboard).json as unknown as Record<string, unknown>);
    const counts = agree(docs);
    expect(counts.clean + counts.unclean).toBe(files.length);
  });
  if (!existsSync(CORPUS)) console.warn(`skipped: ${CORPUS} is absent (../shared is not mounted)`);
});
