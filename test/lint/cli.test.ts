// npm run lint as a command: help, the rule table, formats and exit codes, on trees written to disk.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import type { TreeFile } from "../../src/lint/context.js";
import { REPO, tree, withExpr } from "./fixtures.js";

const run = promisify(execFile);
const tmp = mkdtempSync(join(tmpdir(), "lint-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function writeTree(name: string, files: TreeFile[]): string {
  const dir = join(tmp, name);
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  return dir;
}

async function lint(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/lint.ts", ...args], { cwd: REPO });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const good = writeTree("good", tree());
const bad = writeTree("bad", tree({ dashboards: [withExpr("Resident memory", 'sum(rate(http_requests_total{job=~"$job", instance=~"$instance"}[5m]))')] }));

describe("npm run lint", () => {
  it("--help and --rules", async () => {
    const help = await lint("--help");
    expect(help).toMatchObject({ code: 0 });
    expect(help.stdout).toContain("Usage: npm run lint -- [options]");
    const rules = await lint("--rules");
    expect(rules.stdout.split("\n")[0]).toMatch(/^rule\s+dashboard-linter\s+severity\s+purpose/);
    expect(rules.stdout).toContain("target-rate-interval");
  });

  it("exits 0 on a clean tree and 1 on errors, grouped by file", async () => {
    const ok = await lint("--dir", good);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^lint: clean, 0 errors, 0 warnings, 2 excluded/m);
    const failing = await lint("--dir", bad);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/grafana\/provisioning\/dashboards\/services\/lint-fixture\.json\n {2}error {3}target-rate-interval \(dashboard-linter: target-rate-interval-rule\) {2}dashboard "lint-fixture" › panel "Resident memory" › query A/);
  });

  it("--format json and github", async () => {
    const json = JSON.parse((await lint("--dir", bad, "--format", "json")).stdout);
    expect(json.summary).toMatchObject({ errors: 1, warnings: 0, excluded: 2 });
    expect(json.findings[0]).toMatchObject({ rule: "target-rate-interval", peerRule: "target-rate-interval-rule", dashboardUid: "lint-fixture", dashboardTitle: "Fixture lint-fixture", panelTitle: "Resident memory", refId: "A", targetIndex: 0 });
    const gh = await lint("--dir", bad, "--format", "github", "--rule", "target-rate-interval");
    expect(gh.stdout.split("\n")[0]).toMatch(/^::error file=.*lint-fixture\.json,title=target-rate-interval \(target-rate-interval-rule\)::dashboard "lint-fixture" › panel "Resident memory" › query A: rate\(\) ranges over \[5m\]/);
  });

  it("rejects a bad exclusions file with the line, and bad usage with 2", async () => {
    const file = join(tmp, "bad-exclusions.yaml");
    writeFileSync(file, "exclusions:\n  - rule: alert-for\n    alert: X\n");
    const r = await lint("--dir", good, "--exclusions", file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad-exclusions\.yaml:2: exclusions\.0\.reason: is required/);
    expect((await lint("--format", "xml")).code).toBe(2);
    expect((await lint("--rule", "no-such-rule")).code).toBe(2);
  });
});
