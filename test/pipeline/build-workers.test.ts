// Worker threads in the build without the cache (src/pipeline/parallel.ts): whatever thread checks
// which dashboards, the tree is byte-identical and the messages are the same, in the same order, as
// on one thread; a failed build writes nothing; a worker that dies fails the build with one message.
// Builds run as a user runs them (scripts/launch.mjs: workers load the launcher's bundle), with
// GRAFANA_AS_CODE_WORKERS=off against =2 (forced: the workers take part however small the build).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateDashboards } from "../../bench/generate.js";
import { MIN_DASHBOARDS, workerCount, WORKERS_ENV } from "../../src/pipeline/parallel.js";
import { EXIT, UserError } from "../../src/errors.js";
import { expectNoStack, runCli } from "../fixtures/command.js";
import { IMPORTS, validDashboard } from "../fixtures/definitions.js";

const tmp = mkdtempSync(join(tmpdir(), "build-workers-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(dir, full)] = readFileSync(full, "latin1");
    }
  };
  walk(dir);
  return out;
}

function defsDir(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  for (const [file, body] of Object.entries(files)) writeFileSync(join(dir, file), IMPORTS + body);
  return dir;
}

/** n valid dashboards u000…, with `change` applied to some of them (uid → definition body). */
function estate(n: number, change: Record<string, string> = {}): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const uid = `u${String(i).padStart(3, "0")}`;
    files[`${uid}.ts`] = change[uid] ?? validDashboard(uid);
  }
  return files;
}

/** Times vary from run to run, and the output folders differ; everything else a build prints must not. */
const timeless = (s: string) => s.replace(/\b\d+ ms\b/g, "N ms").replace(/-(one|two)\//g, "-OUT/");

async function build(dir: string, out: string, workers: string, extra: Record<string, string> = {}) {
  return runCli("build", ["--dashboards", dir, "--out", out, "--lint", "--no-cache"], { [WORKERS_ENV]: workers, ...extra });
}

/** The same build on one thread and with two workers: same exit, same messages, same tree (or none). */
async function bothWays(dir: string) {
  const [outOne, outTwo] = [`${dir}-one`, `${dir}-two`];
  return { one: await build(dir, outOne, "off"), two: await build(dir, outTwo, "2"), outOne, outTwo };
}

/** A definition whose builder throws. */
const throwing = (uid: string, message: string) => `export default defineDashboard({ uid: "${uid}", folder: "services", build: () => { throw new Error("${message}"); } });\n`;

/** Each text appears in `s`, in this order. */
function inOrder(s: string, texts: string[]): void {
  const at = texts.map((t) => s.indexOf(t));
  expect(at.every((i) => i >= 0), s).toBe(true);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
}

describe("how many workers a build starts", () => {
  it("none unless asked for", () => {
    expect(workerCount(10_000, undefined, 16, 0)).toEqual({ workers: 0, forced: false });
    expect(workerCount(10_000, "", 16, 0)).toEqual({ workers: 0, forced: false });
  });

  it("under auto: none for a small build, one core or a busy machine, one per idle core (at most three) for a large one", () => {
    expect(workerCount(MIN_DASHBOARDS - 1, "auto", 8, 0)).toEqual({ workers: 0, forced: false });
    expect(workerCount(MIN_DASHBOARDS, "auto", 1, 0)).toEqual({ workers: 0, forced: false });
    expect(workerCount(MIN_DASHBOARDS, "auto", 2, 0.4)).toEqual({ workers: 1, forced: false });
    expect(workerCount(MIN_DASHBOARDS, "auto", 2, 1.2)).toEqual({ workers: 0, forced: false });
    expect(workerCount(MIN_DASHBOARDS, "auto", 2, 9)).toEqual({ workers: 0, forced: false });
    expect(workerCount(10_000, " Auto ", 16, 0)).toEqual({ workers: 3, forced: false });
    expect(workerCount(10_000, "auto", 16, 14.5)).toEqual({ workers: 1, forced: false });
  });

  it("as many as GRAFANA_AS_CODE_WORKERS says, none with off or 0, and refuses anything else (usage)", () => {
    expect(workerCount(1, "2", 1, 20)).toEqual({ workers: 2, forced: true });
    expect(workerCount(10_000, "off", 16, 0)).toEqual({ workers: 0, forced: false });
    expect(workerCount(10_000, "0", 16, 0)).toEqual({ workers: 0, forced: false });
    for (const bad of ["two", "-1", "1.5", "100"]) {
      const e = (() => {
        try {
          workerCount(10, bad, 2);
        } catch (err) {
          return err;
        }
      })();
      expect(e, bad).toBeInstanceOf(UserError);
      expect((e as UserError).exitCode).toBe(EXIT.usage);
      expect((e as UserError).message).toContain(`${WORKERS_ENV}=${bad}`);
    }
  });
});

describe("a build with worker threads", { timeout: 240_000 }, () => {
  it("writes the tree byte for byte as one thread does, and the workers take part", async () => {
    const dir = generateDashboards(join(tmp, "fastapi"), 40);
    const { one, two, outOne, outTwo } = await bothWays(dir);
    expect(one.status, one.stderr).toBe(0);
    expect(two.status, two.stderr).toBe(0);
    expect(timeless(two.stdout)).toBe(timeless(one.stdout));
    expect(Object.keys(tree(outOne))).toHaveLength(40 + 6); // the dashboards, 5 generated files and the manifest
    expect(tree(outTwo)).toEqual(tree(outOne));
    // The account --debug gives: slices checked by the main thread and by each worker.
    const debug = await build(dir, join(tmp, "fastapi-debug"), "2", { GRAFANA_AS_CODE_DEBUG: "1" });
    const taken = /debug: 3 slices of dashboards checked by the main thread \((\d+)\) and 2 worker thread\(s\) \((\d+), (\d+);/.exec(debug.stderr);
    expect(taken, debug.stderr).not.toBeNull();
    expect(Number(taken![2]) + Number(taken![3])).toBeGreaterThan(0);
    expect(tree(join(tmp, "fastapi-debug"))).toEqual(tree(outOne));
  });

  it("fails on definitions that do not build with the same messages, in the same order, and writes nothing", async () => {
    const dir = defsDir("unbuilt", estate(40, {
      u002: throwing("u002", "no builder here"),
      u017: validDashboard("other-uid").replace('uid: "other-uid",', 'uid: "u017",'),
      u033: throwing("u033", "nor here"),
    }));
    const { one, two, outOne, outTwo } = await bothWays(dir);
    expect(one.status, one.stderr).toBe(EXIT.invalid);
    inOrder(one.stderr, ["no builder here", "uid-mismatch", "nor here", "3 problem(s); nothing was written"]);
    expect(two.status).toBe(one.status);
    expect(two.stderr).toBe(one.stderr);
    expectNoStack(two);
    expect(existsSync(outOne) || existsSync(outTwo)).toBe(false);
  });

  it("fails on the dashboards' own checks and on lint with the same messages, in the same order", async () => {
    // A duplicate uid across slices (u015 and U015 are 16 dashboards apart in uid order), a query that
    // does not parse, a numeric panel without unit; separately, lint errors spread over the slices.
    const checks = defsDir("unchecked", {
      ...estate(40, {
        u005: validDashboard("u005", "sum(rate(http_requests_total{job=~\"$job\"}[$__rate_interval])"),
        u030: validDashboard("u030").replace('unit: "reqps", description: "rate", targets', 'description: "rate", targets'),
      }),
      "U015.ts": validDashboard("U015"),
    });
    const lint = defsDir("linted", estate(40, {
      u001: validDashboard("u001", 'sum(rate(http_requests_total{job=~"$job"}[5m]))'),
      u020: validDashboard("u020", 'rate(process_resident_memory_bytes{job=~"$job"}[$__rate_interval])'),
      u039: validDashboard("u039", 'sum(rate(http_requests_total{job=~"$job"}[5m]))'),
    }));
    const stderr: string[] = [];
    for (const dir of [checks, lint]) {
      const { one, two, outOne, outTwo } = await bothWays(dir);
      expect(one.status, one.stderr).toBe(EXIT.invalid);
      expect(two.status).toBe(one.status);
      expect(two.stderr).toBe(one.stderr);
      expect(existsSync(outOne) || existsSync(outTwo)).toBe(false);
      stderr.push(one.stderr);
    }
    // Every dashboard's structure problems first, then the queries' (the kinds' order).
    inOrder(stderr[0], ['uid "U015" is also used by', 'dashboard "u030"', 'dashboard "u005"']);
    for (const uid of ["u001", "u020", "u039"]) expect(stderr[1]).toContain(`dashboard "${uid}"`);
  });

  it("ends as one thread does when there is no dashboard to share", async () => {
    const dir = defsDir("empty", { "none.ts": "export default [];\n" });
    const { one, two } = await bothWays(dir);
    expect(two.status).toBe(one.status);
    expect(timeless(two.stdout)).toBe(timeless(one.stdout));
    expect(timeless(two.stderr)).toBe(timeless(one.stderr));
  });

  it("fails with one message, exit 3 and nothing written when a worker dies", async () => {
    const dir = defsDir("crash", {
      ...estate(20),
      "u010.ts": `import { isMainThread } from "node:worker_threads";\nif (!isMainThread) process.exit(7);\n${validDashboard("u010")}`,
    });
    const out = join(tmp, "crash-out");
    const r = await build(dir, out, "1");
    expect(r.status, r.stderr).toBe(EXIT.io);
    expect(r.stderr).toMatch(/^error: build worker 1 of 1 stopped before its dashboards were checked \(exit code 7\); nothing was written\. GRAFANA_AS_CODE_WORKERS=off builds on one thread\n\nbuild failed\n$/);
    expectNoStack(r);
    expect(existsSync(out)).toBe(false);
  });
});
