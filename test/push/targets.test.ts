// One build pushed to several Grafanas from a targets file: all at once, each with its own
// credentials and folders, one down without stopping the others.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { main } from "../../src/push/cli.js";
import { loadTargets } from "../../src/push/targets.js";
import { GrafanaDouble } from "../fixtures/grafana-double.js";
import { sampleFiles, writeTree } from "../fixtures/push-tree/sampleTree.js";

const TOKENS = { A: "glsa_target_A_secret", B: "glsa_target_B_secret" };
const PASSWORD = "target-C-Pa55word";
let dir: string;
let a: GrafanaDouble;
let b: GrafanaDouble;
let c: GrafanaDouble;
let downUrl: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "push-targets-"));
  await writeTree(dir, sampleFiles());
  [a, b, c] = await Promise.all([
    GrafanaDouble.start({ token: TOKENS.A }),
    GrafanaDouble.start({ token: TOKENS.B }),
    GrafanaDouble.start({ user: "admin", password: PASSWORD }),
  ]);
  // A port nothing listens on: a Grafana that is down.
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  downUrl = `http://127.0.0.1:${(probe.address() as net.AddressInfo).port}`;
  await new Promise((r) => probe.close(r));
});

afterEach(async () => {
  await Promise.all([a.close(), b.close(), c.close()]);
  await rm(dir, { recursive: true, force: true });
});

async function targetsFile(targets: unknown[]): Promise<string> {
  const file = join(dir, "targets.yaml");
  await writeFile(file, stringify({ targets }));
  return file;
}

async function push(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main({
    argv: ["--dir", dir, ...argv],
    env: { GA_TOKEN: TOKENS.A, GB_TOKEN: TOKENS.B, GC_PASSWORD: PASSWORD, GRAFANA_LOKI_PASSWORD: "l", GRAFANA_WEBHOOK_PASSWORD: "w" },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    client: { backoffBaseMs: 5, backoffCapMs: 20 },
  });
  for (const secret of [...Object.values(TOKENS), PASSWORD]) expect(stdout + stderr).not.toContain(secret);
  return { code, stdout, stderr };
}

describe("--targets", () => {
  it("pushes to every target at once; one down fails alone, named, exit 1", async () => {
    const file = await targetsFile([
      { name: "platform", url: a.url, tokenEnv: "GA_TOKEN" },
      { name: "ml-team", url: b.url, tokenEnv: "GB_TOKEN", orgId: 1, folders: ["ml"] },
      { name: "edge", url: c.url, basicAuth: { user: "admin", passwordEnv: "GC_PASSWORD" } },
      { name: "old-dc", url: downUrl, tokenEnv: "GA_TOKEN" },
    ]);
    const r = await push(["--targets", file, "--retries", "1"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^push: 1 of 4 targets failed: old-dc \(exit 3: Grafana at http:\/\/127\.0\.0\.1:\d+ is not reachable: GET \/api\/health: ECONNREFUSED/);
    expect(r.stdout).toContain(`== target platform (${a.url}): ok`);
    expect(r.stdout).toContain(`== target ml-team (${b.url}, org 1): ok`);
    expect(r.stdout).toContain(`== target edge (${c.url}): ok`);
    expect(r.stdout).toMatch(/== target old-dc \(.*\): failed, exit 3/);
    // Whole build on A and C; only the ml folder (and its subfolder llm) on B.
    expect([...a.dashboards.keys()].sort()).toEqual(["api", "db", "model", "tokens"]);
    expect([...c.dashboards.keys()].sort()).toEqual(["api", "db", "model", "tokens"]);
    expect([...b.dashboards.keys()].sort()).toEqual(["model", "tokens"]);
    expect([...b.folders.keys()].sort()).toEqual(["llm", "ml"]);
    expect(b.rules.size).toBe(0);
  });

  it("targets run concurrently: all three are in flight before any finishes", async () => {
    const file = await targetsFile([
      { name: "a", url: a.url, tokenEnv: "GA_TOKEN" },
      { name: "b", url: b.url, tokenEnv: "GB_TOKEN" },
      { name: "c", url: c.url, basicAuth: { user: "admin", passwordEnv: "GC_PASSWORD" } },
    ]);
    for (const g of [a, b, c]) g.inject(undefined, /^\/api\/health$/, { type: "slow", delayMs: 300 }, 1);
    const t0 = Date.now();
    const r = await push(["--targets", file]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("targets: all 3 done");
    const firsts = [a, b, c].map((g) => g.started + g.requests[0].at);
    // Started together, not one after another (each health check alone takes 300 ms).
    expect(Math.max(...firsts) - Math.min(...firsts)).toBeLessThan(250);
    expect(Date.now() - t0).toBeGreaterThan(300);
  });

  it("a second push to every target writes nothing", async () => {
    const file = await targetsFile([
      { name: "a", url: a.url, tokenEnv: "GA_TOKEN" },
      { name: "b", url: b.url, tokenEnv: "GB_TOKEN", folders: ["services"] },
    ]);
    expect((await push(["--targets", file])).code).toBe(0);
    a.clearLog();
    b.clearLog();
    const again = await push(["--targets", file]);
    expect(again.code).toBe(0);
    expect([...a.writes(), ...b.writes()]).toEqual([]);
  });

  it("a bad targets file names the file and field (exit 1); a missing one is usage (exit 2)", async () => {
    const file = await targetsFile([{ name: "x", url: "ftp://nope", tokenEnv: "lower" }, { name: "x", url: a.url }]);
    expect(() => loadTargets(file)).toThrow(/targets\.yaml targets\[0\]\.url: must be an http\(s\) URL/);
    const r = await push(["--targets", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("targets[0].tokenEnv: must be an environment variable name");
    expect(r.stderr).toContain("targets[1]: give exactly one of tokenEnv and basicAuth");
    expect(r.stderr).toContain('targets[1].name: "x" names two targets');
    const missing = await push(["--targets", join(dir, "nope.yaml")]);
    expect(missing.code).toBe(2);
  });
});
