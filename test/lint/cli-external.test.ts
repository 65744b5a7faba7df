// npm run lint -- FILE.json|DIR: dashboards nobody here wrote, as a user runs it.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectNoStack, runCli } from "../fixtures/command.js";
import { dashboard, panel, SEL, target } from "./externalFixtures.js";

const tmp = mkdtempSync(join(tmpdir(), "lint-cli-external-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, content: string) => {
  const p = join(tmp, name);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, content);
  return p;
};

const bad = dashboard([panel("Fixed range", "timeseries", [target(`sum(rate(http_requests_total{${SEL}}[5m]))`)])], { editable: true });

describe("npm run lint -- FILE.json", () => {
  it("an export: findings with rule, peerRule, file, dashboard, panel, target index; exit 1", async () => {
    const p = file("export/dash.json", JSON.stringify(bad, null, 2));
    const r = await runCli("lint", ["--format", "json", p]);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { findings: Record<string, unknown>[] };
    expect(out.findings).toContainEqual(expect.objectContaining({ rule: "target-rate-interval", peerRule: "target-rate-interval-rule", file: p, dashboardUid: "ext-fixture", dashboardTitle: "External fixture", panelTitle: "Fixed range", targetIndex: 0 }));
  });

  it("--rule with dashboard-linter's name runs only what that rule reports", async () => {
    const p = file("api/dash.json", JSON.stringify({ dashboard: bad, meta: {} }));
    const r = await runCli("lint", ["--format", "json", "--rule", "uneditable-dashboard", p]);
    const out = JSON.parse(r.stdout) as { findings: { rule: string; peerRule?: string }[] };
    expect(out.findings.map((f) => [f.rule, f.peerRule])).toEqual([["dashboard-editable", "uneditable-dashboard"]]);
  });

  it("hostile input: one line per file on stderr, exit 2, no stack trace; the readable ones are still linted", async () => {
    const dir = join(tmp, "hostile");
    file("hostile/array.json", "[]");
    file("hostile/broken.json", '{"panels": [');
    file("hostile/ok.json", JSON.stringify(dashboard([panel("Fine", "timeseries", [target(`sum(rate(http_requests_total{${SEL}}[$__rate_interval]))`)])])));
    const r = await runCli("lint", [dir]);
    expect(r.status).toBe(2);
    expectNoStack(r);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/^lint: .*hostile\/array\.json: the file is a JSON array, not a dashboard object$/),
      expect.stringMatching(/^lint: .*hostile\/broken\.json: invalid JSON: /),
      "lint: 2 inputs could not be read as a dashboard",
    ]);
    expect(r.stdout).toContain("lint: clean");
  });

  it("--format sarif and --fix (what changed on stderr, the fixed file linted again)", async () => {
    const p = file("fix/dash.json", JSON.stringify(bad, null, 2));
    const r = await runCli("lint", ["--format", "sarif", "--fix", "--rule", "target-rate-interval,dashboard-editable", p]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ version: "2.1.0", runs: [{ results: [] }] });
    expect(r.stderr).toMatch(/^fixed .*dash\.json:\d+ dashboard-editable: editable: false \(was true\)$/m);
    expect(r.stderr).toContain("fix: 1 file changed");
    expect(JSON.parse(readFileSync(p, "utf8"))).toMatchObject({ editable: false });
    const again = await runCli("lint", ["--fix", "--rule", "target-rate-interval,dashboard-editable", p]);
    expect(again.stdout).toContain("fix: 0 files changed");
  });

  it("a .lint file beside the dashboard is honoured", async () => {
    const p = file("dotlint/dash.json", JSON.stringify(bad, null, 2));
    file("dotlint/.lint", "exclusions:\n  uneditable-dashboard:\n    reason: edited by hand in Grafana\n");
    const r = await runCli("lint", ["--format", "json", "--rule", "uneditable-dashboard", p]);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { excluded: unknown[] }).excluded).toHaveLength(1);
  });

  it("the corpus file copied as is lints (real dashboards)", async () => {
    const src = join(import.meta.dirname, "../../../shared/corpus/dashboards/rfmoz-grafana-dashboards/haproxy.json");
    try {
      copyFileSync(src, join(tmp, "haproxy.json"));
    } catch {
      console.warn(`skipped: ${src} is absent (../shared is not mounted)`);
      return;
    }
    const r = await runCli("lint", [join(tmp, "haproxy.json")]);
    expect(r.status).toBe(1);
    expectNoStack(r);
    expect(r.stdout).toMatch(/lint: \d+ errors/);
  });
});
