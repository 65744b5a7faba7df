// Lint inside the build: the repository's definitions lint clean (exclusions with reasons only);
// errors fail the build before anything is written; warnings come back with the result.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BuildError } from "../../src/errors.js";
import { lintBuild } from "../../src/lint/inBuild.js";
import type { BuiltDashboard } from "../../src/pipeline/dashboards.js";
import { runBuild } from "../../src/commands/build.js";
import { config, dashboardFile, goodDashboard, tree, withExpr } from "./fixtures.js";
import { REPO_CONTENT } from "../../scripts/content.js";

const tmp = mkdtempSync(join(tmpdir(), "lint-build-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

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
