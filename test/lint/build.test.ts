// Lint inside the build: the repository's definitions lint clean (exclusions with reasons only);
// errors fail the build before anything is written; warnings come back with the result.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BuildError } from "../../src/errors.js";
import { lintBuild } from "../../src/lint/inBuild.js";
import { allPanels, type BuiltDashboard } from "../../src/pipeline/dashboards.js";
import { runBuild } from "../../src/commands/build.js";
import { config, dashboardFile, dashboardWith, goodDashboard, panel, tree, withExpr } from "./fixtures.js";
import { REPO_CONTENT } from "../../scripts/content.js";

const tmp = mkdtempSync(join(tmpdir(), "lint-build-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `v` with every object and list in it frozen: a write to it throws (modules run in strict mode). */
function deepFreeze<T>(v: T): T {
  if (v && typeof v === "object") {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

const built = (json: ReturnType<typeof goodDashboard>): BuiltDashboard => ({
  definition: { kind: "dashboard", uid: json.uid!, folder: "services", file: "dashboards/fixture.ts" },
  folderUid: "services",
  json,
});

describe("lint in the build", () => {
  it("the repository's build lints clean, with every exclusion used", async () => {
    const r = await runBuild({ content: REPO_CONTENT, write: false });
    expect(r.lint, "the build lints").toBeDefined();
    expect(r.lint!.findings).toEqual([]);
    expect(r.lint!.excluded.map((e) => e.finding.rule).sort()).toEqual(["contract-duration-seconds", "prod-scrape-tls"]);
    for (const { exclusion } of r.lint!.excluded) expect(exclusion.reason.length).toBeGreaterThan(40);
  });

  it("fails on an error, naming the definition file, with the fix", () => {
    const d = withExpr("Resident memory", 'sum(rate(http_requests_total{job=~"$job", instance=~"$instance"}[5m]))');
    const err = (() => {
      try {
        lintBuild({ env: "dev", out: join(tmp, "none"), files: tree({ dashboards: [d] }), dashboards: [built(d)] }, config, REPO_CONTENT);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BuildError);
    expect((err as BuildError).problems).toMatchObject([
      { code: "target-rate-interval", file: "dashboards/fixture.ts", dashboardUid: "lint-fixture", panelTitle: "Resident memory", refId: "A", message: expect.stringContaining("fix: write rate(x[$__rate_interval])") },
    ]);
  });

  it("does not run again what the build's validation has just checked", () => {
    const d = withExpr("Resident memory", "sum(process_resident_memory_bytes{job=~\"$job\", instance=~\"$instance\"}");
    const report = lintBuild({ env: "dev", out: join(tmp, "none"), files: tree({ dashboards: [d] }), dashboards: [built(d)] }, config, REPO_CONTENT);
    expect(report.rules).not.toContain("query-syntax");
    expect(report.rules).not.toContain("catalog-metric-label");
    expect(report.findings).toEqual([]);
  });

  it("lints the build's own dashboard object without changing it (frozen, it lints as a copy does)", () => {
    // Findings from several rules that read panels, targets, variables and the whole document.
    const d = dashboardWith((d) => {
      panel(d, "Resident memory").targets[0].expr = 'sum(rate(process_cpu_seconds_total{job="x"}[5m]))';
      const logs = allPanels(d).find((p) => p.type === "logs") as unknown as { targets: { expr: string }[] };
      logs.targets[0].expr = 'sum(count_over_time({service="app"} [5m]))';
      (d as { links?: unknown[] }).links = [{ title: "admin", url: "https://admin:s3cret@grafana.example.com/d/x" }];
      d.templating!.list!.find((v) => v.type === "query")!.refresh = 1;
    });
    const problems = (json: typeof d) => {
      try {
        lintBuild({ env: "dev", out: join(tmp, "none"), files: tree({ dashboards: [json] }), dashboards: [built(json)] }, config, REPO_CONTENT);
      } catch (e) {
        return (e as BuildError).problems;
      }
      return [];
    };
    const expected = problems(structuredClone(d));
    expect(new Set(expected.map((p) => p.code))).toEqual(new Set(["target-rate-interval", "target-job-instance-matchers", "target-logql-auto", "datasource-literal-secret", "template-refresh"]));
    const frozen = deepFreeze(structuredClone(d));
    expect(problems(frozen)).toEqual(expected);
    expect(frozen).toEqual(d);
  });

  it("returns warnings without failing", () => {
    const out = join(tmp, "out");
    const before = { ...goodDashboard("old-uid"), title: goodDashboard().title };
    mkdirSync(join(out, "grafana/provisioning/dashboards/services"), { recursive: true });
    writeFileSync(join(out, dashboardFile(before).path), dashboardFile(before).content);
    const report = lintBuild({ env: "dev", out, files: tree(), dashboards: [built(goodDashboard())] }, config, REPO_CONTENT);
    expect(report.errors).toBe(0);
    expect(report.findings).toMatchObject([{ rule: "dashboard-uid-stable", severity: "warning", file: "dashboards/fixture.ts" }]);
  });
});
