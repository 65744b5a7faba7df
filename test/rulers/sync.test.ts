// Syncing the build's rule groups to Mimir's and Loki's rulers (strict doubles of their HTTP APIs):
// first sync, no-op, a changed rule, prune of owned namespaces only, retries through a 5xx/429
// storm, tenants, and a group the ruler refuses.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { rulersMain, type RulerTargetConfig } from "../../src/rulers/cli.js";
import { canonicalGroup } from "../../src/rulers/normalize.js";
import { RulerDouble } from "../fixtures/ruler-double.js";

const REPO = resolve(import.meta.dirname, "../..");
const PASSWORD = "ruler-Pa55word-never-printed";
const LOKI_RULES = {
  groups: [
    {
      name: "log-errors",
      rules: [
        {
          alert: "ErrorLogBurst",
          expr: 'sum by (service) (count_over_time({service="fastapi"} | json | level="error" [5m])) > 10',
          for: "5m",
          labels: { severity: "warning" },
          annotations: { summary: "{{ $labels.service }} logs many errors" },
        },
      ],
    },
  ],
};

let dir: string;
let mimir: RulerDouble;
let loki: RulerDouble;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "rulers-"));
  cpSync(join(REPO, "build/prometheus/rules"), join(dir, "prometheus/rules"), { recursive: true });
  mkdirSync(join(dir, "loki/rules/stacks"), { recursive: true });
  writeFileSync(join(dir, "loki/rules/stacks/log-errors.yaml"), stringify(LOKI_RULES));
  mimir = await RulerDouble.start({ root: "/prometheus/config/v1/rules", auth: { user: "rules-sync", password: PASSWORD } });
  loki = await RulerDouble.start({ root: "/loki/api/v1/rules" });
});

afterEach(async () => {
  await Promise.all([mimir.close(), loki.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const fileGroups = () =>
  readdirSync(join(dir, "prometheus/rules"))
    .sort()
    .flatMap((f) => (parse(readFileSync(join(dir, "prometheus/rules", f), "utf8")) as { groups: Record<string, unknown>[] }).groups.map((g) => ({ file: f, g })));

function targets(over: Partial<RulerTargetConfig> = {}): Record<string, RulerTargetConfig> {
  return {
    mimir: { url: mimir.url, tenant: "stacks", basicAuth: { user: "rules-sync", passwordEnv: "MIMIR_RULER_PASSWORD" }, namespaces: "per-file", namespacePrefix: "grafana-as-code", ...over },
    loki: { url: loki.url, namespaces: "per-file", namespacePrefix: "grafana-as-code" },
  };
}

async function sync(argv: string[] = [], t = targets()) {
  let stdout = "";
  let stderr = "";
  const code = await rulersMain({
    argv: ["--dir", dir, "--env", "prod", ...argv],
    env: { MIMIR_RULER_PASSWORD: PASSWORD },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    rulersFor: () => t,
    client: { backoffBaseMs: 5, backoffCapMs: 20 },
  });
  expect(stdout + stderr).not.toContain(PASSWORD);
  return { code, stdout, stderr };
}

describe("Mimir and Loki rulers", () => {
  it("first sync writes every group; the second writes nothing", async () => {
    const groups = fileGroups();
    const first = await sync();
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(mimir.writes()).toHaveLength(groups.length);
    expect(mimir.writes().every((w) => w.method === "POST" && w.tenant === "stacks")).toBe(true);
    expect(loki.writes()).toMatchObject([{ method: "POST", path: "/loki/api/v1/rules/grafana-as-code-log-errors", tenant: "stacks" }]);
    expect(first.stdout).toContain(`mimir ruler ${mimir.url} (tenant stacks): ${groups.length} created, 0 updated, 0 deleted, 0 unchanged`);
    // One namespace per file, every group of the file in it.
    const stored = mimir.groupsOf("stacks");
    for (const { file, g } of groups) {
      const ns = `grafana-as-code-${file.replace(/\.yaml$/, "")}`;
      expect(canonicalGroup(stored[ns].find((s) => s.name === g.name)!)).toEqual(canonicalGroup(g));
    }

    mimir.clearLog();
    loki.clearLog();
    const second = await sync();
    expect(second.code).toBe(0);
    expect(mimir.writes()).toEqual([]);
    expect(loki.writes()).toEqual([]);
    expect(second.stdout).toContain(`0 created, 0 updated, 0 deleted, ${groups.length} unchanged`);
  });

  it("a changed rule rewrites its group only; --dry-run shows the diff and writes nothing", async () => {
    await sync();
    const file = join(dir, "prometheus/rules/hosts.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("> 0.9", "> 0.95"));
    mimir.clearLog();
    const dry = await sync(["--dry-run", "--only", "mimir"]);
    expect(dry.code).toBe(0);
    expect(mimir.writes()).toEqual([]);
    expect(dry.stdout).toMatch(/~ update grafana-as-code-hosts\/hosts\n/);
    expect(dry.stdout).toMatch(/^ {6}- .*> 0\.9$/m);
    expect(dry.stdout).toMatch(/^ {6}\+ .*> 0\.95$/m);
    const real = await sync(["--only", "mimir"]);
    expect(real.code).toBe(0);
    expect(mimir.writes().map((w) => w.path)).toEqual(["/prometheus/config/v1/rules/grafana-as-code-hosts"]);
  });

  it("--format json: one document with every group's plan, for tools", async () => {
    const r = await sync(["--only", "mimir", "--dry-run", "--format", "json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: true, exitCode: 0, dryRun: true, rulers: [{ kind: "mimir", tenant: "stacks" }] });
    expect(doc.rulers[0].groups).toHaveLength(fileGroups().length);
    expect(doc.rulers[0].groups.every((g: { op: string; status: string }) => g.op === "create" && g.status === "planned")).toBe(true);
    expect(mimir.writes()).toEqual([]);
  });

  it("--prune deletes stale groups in owned namespaces only", async () => {
    mimir.seed("stacks", "team-payments", { name: "payments", rules: [{ alert: "PaymentsDown", expr: "up == 0" }] });
    mimir.seed("stacks", "grafana-as-code-removed", { name: "removed", rules: [{ record: "job:up:sum", expr: "sum by (job) (up)" }] });
    mimir.seed("stacks", "grafana-as-code-hosts", { name: "old-hosts", rules: [{ record: "x:y", expr: "up" }] });
    const withoutPrune = await sync(["--only", "mimir"]);
    expect(withoutPrune.code).toBe(0);
    expect(mimir.writes().filter((w) => w.method === "DELETE")).toEqual([]);
    mimir.clearLog();
    const pruned = await sync(["--only", "mimir", "--prune"]);
    expect(pruned.code, pruned.stdout).toBe(0);
    expect(mimir.writes().map((w) => `${w.method} ${w.path}`).sort()).toEqual([
      "DELETE /prometheus/config/v1/rules/grafana-as-code-hosts/old-hosts",
      "DELETE /prometheus/config/v1/rules/grafana-as-code-removed/removed",
    ]);
    expect(mimir.groupsOf("stacks")["team-payments"]).toHaveLength(1);
  });

  it("retries a storm of 5xx and 429 answers and completes", async () => {
    mimir.inject("GET", /rules$/, { status: 503 }, 2);
    mimir.inject("POST", /rules\//, { status: 429, retryAfter: "0" }, 3);
    mimir.inject("POST", /rules\//, { status: 500, body: "internal error" }, 3);
    const r = await sync(["--only", "mimir"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(Object.values(mimir.groupsOf("stacks")).flat()).toHaveLength(fileGroups().length);
    const second = await sync(["--only", "mimir"]);
    expect(second.stdout).toContain("0 created, 0 updated");
  });

  it("a storm longer than the retries stops that ruler with exit 3, naming the endpoint", async () => {
    mimir.inject("GET", /rules$/, { status: 503, body: "overloaded" }, 100);
    const r = await sync(["--only", "mimir", "--retries", "2"]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("stopped: GET /prometheus/config/v1/rules: 503 overloaded");
  });

  it("tenants are isolated: another tenant sees none of the groups; no tenant is refused", async () => {
    await sync(["--only", "mimir"]);
    const other = await fetch(`${mimir.url}/prometheus/config/v1/rules`, {
      headers: { "X-Scope-OrgID": "someone-else", Authorization: `Basic ${Buffer.from(`rules-sync:${PASSWORD}`).toString("base64")}` },
    });
    expect(other.status).toBe(404);
    expect(await other.text()).toBe("no rule groups found\n");
    const none = await sync(["--only", "mimir"], targets({ tenant: undefined }));
    expect(none.code).toBe(3);
    expect(none.stdout).toContain("stopped: GET /prometheus/config/v1/rules: 401 no org id: the ruler rejected the credentials or the tenant");
    const wrong = await sync(["--only", "mimir"], targets({ tenant: "another" }));
    expect(wrong.code).toBe(0);
    expect(wrong.stdout).toMatch(/tenant another\): \d+ created/);
    expect(Object.keys(mimir.groupsOf("stacks")).length).toBeGreaterThan(0);
  });

  it("a group the ruler refuses (400) fails with the ruler's message; the others are written", async () => {
    writeFileSync(
      join(dir, "prometheus/rules/zz-bad.yaml"),
      stringify({ groups: [{ name: "bad", rules: [{ record: "not a metric name", expr: "up" }] }] }),
    );
    const r = await sync(["--only", "mimir"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '✗ create grafana-as-code-zz-bad/bad: POST /prometheus/config/v1/rules/grafana-as-code-zz-bad: 400 group "bad", rule 1, "not a metric name": invalid recording rule name: not a metric name',
    );
    expect(Object.values(mimir.groupsOf("stacks")).flat()).toHaveLength(fileGroups().length - 1);
  });

  it("wrong credentials: exit 3, nothing written, the password never printed", async () => {
    let stdout = "";
    const code = await rulersMain({
      argv: ["--dir", dir, "--only", "mimir"],
      env: { MIMIR_RULER_PASSWORD: "wrong-password" },
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true },
      rulersFor: () => targets(),
    });
    expect(code).toBe(3);
    expect(stdout).toContain("401 Unauthorized");
    expect(stdout).not.toContain("wrong-password");
    expect(mimir.writes()).toEqual([]);
  });

  it("a missing credential variable is a usage error naming it", async () => {
    let stderr = "";
    const code = await rulersMain({
      argv: ["--dir", dir],
      env: {},
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
      rulersFor: () => targets(),
    });
    expect(code).toBe(2);
    expect(stderr).toBe("rules: MIMIR_RULER_PASSWORD is not set (rulers.mimir.basicAuth.passwordEnv)\n");
  });
});

describe("namespaces", () => {
  it("per-stack: the files a stack lists share its namespace; a file no stack lists is refused, naming it", async () => {
    const stems = readdirSync(join(dir, "prometheus/rules")).map((f) => f.replace(/\.yaml$/, ""));
    const fastapi = stems.filter((s) => s.includes("fastapi"));
    const stacks = { fastapi, platform: stems.filter((s) => !s.includes("fastapi")) };
    const r = await sync(["--only", "mimir"], targets({ namespaces: "per-stack", stacks }));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const stored = mimir.groupsOf("stacks");
    expect(Object.keys(stored).sort()).toEqual(["grafana-as-code-fastapi", "grafana-as-code-platform"]);
    expect(stored["grafana-as-code-fastapi"]).toHaveLength(fileGroups().filter((x) => x.file.includes("fastapi")).length);
    const missing = await sync(["--only", "mimir"], targets({ namespaces: "per-stack", stacks: { fastapi } }));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^rules: prometheus\/rules\/\S+\.yaml: no stack of the ruler's `stacks` lists "\S+" \(namespaces: per-stack\)\n$/);
  });

  it("single: every group in one namespace", async () => {
    const r = await sync(["--only", "mimir"], targets({ namespaces: "single", namespacePrefix: "stacks-rules" }));
    expect(r.code).toBe(0);
    expect(Object.keys(mimir.groupsOf("stacks"))).toEqual(["stacks-rules"]);
    expect(mimir.groupsOf("stacks")["stacks-rules"]).toHaveLength(fileGroups().length);
  });
});

describe("Loki ruler", () => {
  it("one tenant per folder, isolated; prune keeps other namespaces", async () => {
    mkdirSync(join(dir, "loki/rules/pixerase"), { recursive: true });
    writeFileSync(join(dir, "loki/rules/pixerase/worker-exceptions.yaml"), stringify({ groups: [{ name: "worker-exceptions", rules: [{ alert: "WorkerExceptions", expr: 'sum(count_over_time({service="pixerase-worker"} |= "Traceback" [5m])) > 5', for: "10m" }] }] }));
    loki.seed("stacks", "ops-handwritten", { name: "keep-me", rules: [{ alert: "X", expr: 'count_over_time({job="x"}[1m]) > 1' }] });
    loki.seed("stacks", "grafana-as-code-gone", { name: "gone", rules: [{ alert: "Y", expr: 'count_over_time({job="y"}[1m]) > 1' }] });
    const r = await sync(["--only", "loki", "--prune"]);
    expect(r.code, r.stdout).toBe(0);
    expect(Object.keys(loki.groupsOf("stacks")).sort()).toEqual(["grafana-as-code-log-errors", "ops-handwritten"]);
    expect(Object.keys(loki.groupsOf("pixerase"))).toEqual(["grafana-as-code-worker-exceptions"]);
    expect(loki.writes().map((w) => `${w.method} ${w.tenant} ${w.path}`).sort()).toEqual([
      "DELETE stacks /loki/api/v1/rules/grafana-as-code-gone/gone",
      "POST pixerase /loki/api/v1/rules/grafana-as-code-worker-exceptions",
      "POST stacks /loki/api/v1/rules/grafana-as-code-log-errors",
    ]);
    loki.clearLog();
    expect((await sync(["--only", "loki", "--prune"])).code).toBe(0);
    expect(loki.writes()).toEqual([]);
  });

  it("the build's own log rules (build/loki/rules/<tenant>/) reach the Loki ruler under their tenant, as written", async () => {
    rmSync(join(dir, "loki"), { recursive: true });
    cpSync(join(REPO, "build/loki"), join(dir, "loki"), { recursive: true });
    const r = await sync(["--only", "loki"]);
    expect(r.code, r.stdout).toBe(0);
    for (const tenant of readdirSync(join(dir, "loki/rules"))) {
      for (const f of readdirSync(join(dir, "loki/rules", tenant))) {
        const { groups } = parse(readFileSync(join(dir, "loki/rules", tenant, f), "utf8")) as { groups: Record<string, unknown>[] };
        const stored = loki.groupsOf(tenant)[`grafana-as-code-${f.replace(/\.yaml$/, "")}`];
        expect(stored.map((g) => canonicalGroup(g))).toEqual(groups.map((g) => canonicalGroup(g)));
      }
    }
    expect(loki.writes().length).toBeGreaterThan(0);
  });

  it("no loki/rules folder in the build: nothing to sync", async () => {
    rmSync(join(dir, "loki"), { recursive: true });
    const r = await sync(["--only", "loki"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("loki ruler");
    expect(r.stdout).toContain("no rule files in the build");
    expect(loki.requests).toEqual([]);
  });

  it("an answer that is not a ruler's (an HTML page) stops that ruler, exit 3", async () => {
    loki.inject("GET", /rules$/, { status: 200, body: "<html>login</html>" }, 1);
    const r = await sync(["--only", "loki"]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('stopped: GET /loki/api/v1/rules answered 200 text/plain, not YAML or JSON: "<html>login</html>"');
    expect(loki.writes()).toEqual([]);
  });
});

describe("comparing groups", () => {
  it("durations, empty fields and key order do not make a difference; a value does", async () => {
    const { sameGroup } = await import("../../src/rulers/normalize.js");
    const file = { name: "g", interval: "60s", rules: [{ alert: "A", expr: "up == 0\n", for: "300s", labels: {}, annotations: { b: "2", a: "1" } }] };
    const ruler = { name: "g", interval: "1m", rules: [{ annotations: { a: "1", b: "2" }, for: "5m", expr: "up == 0", alert: "A" }] };
    expect(sameGroup(file, ruler)).toBe(true);
    expect(sameGroup(file, { ...ruler, rules: [{ ...ruler.rules[0], for: "10m" }] })).toBe(false);
    expect(sameGroup(file, { ...ruler, interval: undefined })).toBe(false);
  });
});

describe.skipIf(spawnSync("promtool", ["--version"]).status !== 0)("the rules Mimir receives are the ones promtool checks", () => {
  it("promtool passes the build's files and the groups the ruler stored", async () => {
    const files = readdirSync(join(dir, "prometheus/rules")).map((f) => join(dir, "prometheus/rules", f));
    const built = spawnSync("promtool", ["check", "rules", "--lint=all", "--lint-fatal", ...files], { encoding: "utf8" });
    expect(built.status, built.stdout + built.stderr).toBe(0);
    expect((await sync(["--only", "mimir"])).code).toBe(0);
    const back = join(dir, "from-ruler");
    mkdirSync(back);
    for (const [ns, groups] of Object.entries(mimir.groupsOf("stacks"))) writeFileSync(join(back, `${ns}.yaml`), stringify({ groups }));
    const stored = spawnSync("promtool", ["check", "rules", "--lint=all", "--lint-fatal", ...readdirSync(back).map((f) => join(back, f))], { encoding: "utf8" });
    expect(stored.status, stored.stdout + stored.stderr).toBe(0);
    const canon = (gs: Record<string, unknown>[]) => gs.map((g) => canonicalGroup(g)).sort((a, b) => String(a.name).localeCompare(String(b.name)));
    expect(canon(Object.values(mimir.groupsOf("stacks")).flat())).toEqual(canon(fileGroups().map((x) => x.g)));
  });
});

describe("bad input", () => {
  it("a rule file that is not one: exit 1 naming the file and field, nothing sent", async () => {
    writeFileSync(join(dir, "prometheus/rules/broken.yaml"), stringify({ groups: [{ name: "", rules: [] }] }));
    let stderr = "";
    const code = await rulersMain({
      argv: ["--dir", dir, "--only", "mimir"],
      env: { MIMIR_RULER_PASSWORD: PASSWORD },
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
      rulersFor: () => targets(),
    });
    expect(code).toBe(1);
    expect(stderr).toBe("rules: prometheus/rules/broken.yaml: groups[0].name: a group needs a name\n");
    expect(mimir.requests).toEqual([]);
  });
});
