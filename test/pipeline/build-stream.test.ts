// A build without the cache takes one dashboard at a time: built, checked, linted and emitted, then
// its objects are let go (liveness read from WeakRefs after a forced collection: V8's gc, exposed
// for this file); lint over one dashboard at a time finds what lint over the whole tree finds.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { runBuild } from "../../src/commands/build.js";
import { buildTree } from "../../src/pipeline/index.js";
import { BuildError } from "../../src/errors.js";
import { lintTree, toProblem } from "../../src/lint/index.js";
import { PATHS } from "../../src/pipeline/provisioning.js";
import { REPO_CONTENT } from "../../scripts/content.js";
import { generateDashboards } from "../../bench/generate.js";
import { definitionsDir, REPO, validDashboard } from "../fixtures/definitions.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const tmp = mkdtempSync(join(tmpdir(), "build-stream-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const N = 12;
const dir = generateDashboards(join(tmp, "defs"), N);

describe("a build without the cache", () => {
  it("keeps none of the dashboards' objects once it has emitted them", async () => {
    const refs: WeakRef<object>[] = [];
    const built = await buildTree({ content: REPO_CONTENT, dashboardsDir: dir, write: false, onDashboard: (d) => void refs.push(new WeakRef(d.built.json)) });
    // A WeakRef keeps its target until the microtasks of the task that made it have run.
    await new Promise((r) => setTimeout(r, 0));
    gc();
    expect(refs).toHaveLength(N);
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
    // What the result still offers is the emitted dashboard, read from its text on demand.
    const text = built.files.find((f) => f.path === PATHS.dashboard(built.dashboards[0].folderUid, built.dashboards[0].definition.uid))!.content;
    expect(built.dashboards[0].json).toEqual(JSON.parse(text));
  });

  it("fails with what lint finds over the whole tree, problem for problem", async () => {
    // Findings of several rules in several dashboards (a rate without $__rate_interval, a rate of a
    // gauge, a query without job matcher), next to a clean one and the repository's exclusions.
    const defs = definitionsDir({
      "a.ts": validDashboard("a", 'sum(rate(http_requests_total{job=~"$job"}[5m]))'),
      "b.ts": validDashboard("b"),
      "c.ts": validDashboard("c", 'rate(process_resident_memory_bytes{job=~"$job"}[$__rate_interval])'),
      "d.ts": validDashboard("d", "sum(rate(http_requests_total[$__rate_interval]))"),
    });
    const streamed = await runBuild({ content: REPO_CONTENT, dashboardsDir: defs, write: false, lint: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(streamed).toBeInstanceOf(BuildError);
    const built = await buildTree({ content: REPO_CONTENT, dashboardsDir: defs, write: false });
    const whole = lintTree({
      content: REPO_CONTENT,
      files: built.files,
      env: built.env,
      repoRoot: REPO,
      treeLabel: relative(REPO, built.out) || ".",
      sources: new Map(built.dashboards.map((d) => [PATHS.dashboard(d.folderUid, d.definition.uid), d.definition.file!])),
      previous: [],
      inBuild: true,
      definitions: built.dashboards.map((d) => d.definition),
    });
    const rules = new Set(whole.findings.map((f) => f.rule));
    expect([...rules].sort()).toEqual(expect.arrayContaining(["promql-gauge-rate", "target-rate-interval"]));
    expect((streamed as BuildError).problems).toEqual(whole.findings.map(toProblem));
  });
});
