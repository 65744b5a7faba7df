// The emitted tree: deterministic, checkable, and accepted by the real tools that read it.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BUNDLE_DIR } from "../../src/pipeline/bundleCache.mjs";
import { runBuild } from "../../src/commands/build.js";
import { REPO } from "../fixtures/definitions.js";
import { readFiles } from "../fixtures/outputTree.js";
import { REPO_CONTENT } from "../../scripts/content.js";

const tmp = mkdtempSync(join(tmpdir(), "build-output-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const tree = readFiles;

function cli(args: string[]) {
  return spawnSync(join(REPO, "node_modules/.bin/tsx"), [join(REPO, "scripts/build.ts"), ...args], { cwd: REPO, encoding: "utf8" });
}

describe("determinism", () => {
  it("two builds produce byte-identical trees", async () => {
    await runBuild({ content: REPO_CONTENT, out: join(tmp, "a") });
    await runBuild({ content: REPO_CONTENT, out: join(tmp, "b") });
    const a = tree(join(tmp, "a"));
    expect(Object.keys(a).length).toBeGreaterThan(4);
    expect(tree(join(tmp, "b"))).toEqual(a);
  });

  it("--check passes on a fresh tree and detects a one-character change, a missing and a stale file", () => {
    const out = join(tmp, "check");
    expect(cli(["--out", out]).status).toBe(0);
    const ok = cli(["--out", out, "--check"]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/up to date/);

    const file = join(out, "grafana/provisioning/dashboards/services/fastapi-overview.json");
    const original = readFileSync(file, "utf8");
    writeFileSync(file, original.replace('"schemaVersion": 42', '"schemaVersion": 43'));
    writeFileSync(join(out, "prometheus/leftover.yml"), "x: 1\n");
    rmSync(join(out, "prometheus/prometheus.yml"));
    const stale = cli(["--out", out, "--check"]);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toMatch(/changed\s+grafana\/provisioning\/dashboards\/services\/fastapi-overview\.json/);
    expect(stale.stderr).toMatch(/missing\s+prometheus\/prometheus\.yml/);
    expect(stale.stderr).toMatch(/stale\s+prometheus\/leftover\.yml/);
    // --check never writes
    expect(readFileSync(file, "utf8")).not.toBe(original);
  });

  it("a rebuild removes files the build no longer produces", async () => {
    const out = join(tmp, "stale");
    await runBuild({ content: REPO_CONTENT, out });
    // as if an earlier build had produced old.json: it is in the manifest
    writeFileSync(join(out, "grafana/provisioning/dashboards/services/old.json"), "{}");
    const manifest = JSON.parse(readFileSync(join(out, ".manifest.json"), "utf8"));
    manifest.files.push("grafana/provisioning/dashboards/services/old.json");
    writeFileSync(join(out, ".manifest.json"), JSON.stringify(manifest));
    await runBuild({ content: REPO_CONTENT, out });
    expect(Object.keys(tree(out))).not.toContain("grafana/provisioning/dashboards/services/old.json");
  });

  it("the committed build/ matches the sources", async () => {
    const r = await runBuild({ content: REPO_CONTENT, check: true });
    expect(r.differences).toEqual([]);
  });
});

describe("npm run build's launcher", () => {
  const launch = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [join(REPO, "scripts/launch.mjs"), ...args], { cwd: REPO, encoding: "utf8", env: { ...process.env, ...env } });

  it("the bundled build and the TypeScript-loader build write byte-identical trees", () => {
    const bundled = launch(["--out", join(tmp, "bundled")]);
    expect(bundled.status, bundled.stderr).toBe(0);
    const loader = launch(["--out", join(tmp, "loader")], { GRAFANA_AS_CODE_NO_BUNDLE: "1" });
    expect(loader.status, loader.stderr).toBe(0);
    const a = tree(join(tmp, "bundled"));
    expect(Object.keys(a).length).toBeGreaterThan(20);
    expect(tree(join(tmp, "loader"))).toEqual(a);
    // no half-written bundle of this build left in the cache
    expect(readdirSync(BUNDLE_DIR).filter((f) => f.endsWith(`.${bundled.pid}.tmp`))).toEqual([]);
  });

  it("reports bad input with a non-zero exit, like the CLI behind it", () => {
    const r = launch(["--env", "staging", "--out", join(tmp, "never-bundled")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown environment "staging"; known: dev, prod/);
  });
});

describe("environments", () => {
  let prod: Record<string, string>;
  beforeAll(async () => {
    await runBuild({ content: REPO_CONTENT, env: "prod", out: join(tmp, "prod") });
    prod = tree(join(tmp, "prod"));
  });

  it("prod datasources use https and take credentials from the environment", () => {
    const doc = parse(prod["grafana/provisioning/datasources/datasources.yaml"]);
    for (const ds of doc.datasources) {
      expect(ds.url, ds.uid).toMatch(/^https:\/\//);
      for (const v of Object.values(ds.secureJsonData ?? {})) expect(v).toMatch(/^\$\{GRAFANA_[A-Z_]+\}$/);
    }
    expect(doc.datasources.find((d: { uid: string }) => d.uid === "loki").secureJsonData).toEqual({ basicAuthPassword: "${GRAFANA_LOKI_PASSWORD}" });
    expect(doc.datasources.find((d: { uid: string }) => d.uid === "jaeger").jsonData.httpHeaderName1).toBe("Authorization");
  });

  it("an unknown --env is a clear error with a non-zero exit", () => {
    const r = cli(["--env", "staging", "--out", join(tmp, "never")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown environment "staging"; known: dev, prod/);
    expect(() => readdirSync(join(tmp, "never"))).toThrow();
  });
});

describe("real tools accept the output", () => {
  it("promtool check config passes on prometheus.yml", () => {
    const out = execFileSync("promtool", ["check", "config", join(REPO, "build/prometheus/prometheus.yml")], { encoding: "utf8" });
    expect(out).toMatch(/SUCCESS/);
  });

  it("promtool check config rejects a broken prometheus.yml (the check is real)", () => {
    const bad = join(tmp, "bad-prometheus.yml");
    writeFileSync(bad, readFileSync(join(REPO, "build/prometheus/prometheus.yml"), "utf8").replace("scrape_interval: 15s", "scrape_interval: fifteen"));
    expect(spawnSync("promtool", ["check", "config", bad]).status).not.toBe(0);
  });
});
