// A real Prometheus server on 127.0.0.1, preloaded with generated series: the data of `npm run
// preview` and of the tests that prove queries and alert expressions return data.
//
// The series are written as OpenMetrics, turned into TSDB blocks with
// `promtool tsdb create-blocks-from openmetrics`, and served by `prometheus` from a temporary
// data directory (with `cache`, the blocks are kept and linked in on the next start: ./blockCache.ts).
// Samples end at start-up time unless a fixed `end` is given (previews: the same window on every
// run); retention is 100 years, so a window in the past stays loaded.

import { execFile, spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, readdirSync, rmSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { blockCacheKey, cachedBlocks, linkBlocks } from "./blockCache.js";
import { toOpenMetrics, sampleNames, type SeriesSpec } from "./openmetrics.js";

export { toOpenMetrics, type SeriesSpec } from "./openmetrics.js";

export interface LocalPrometheus {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Unix seconds at which all generated series have recent samples (the last sample); use as query time. */
  time: number;
  /** Unix seconds of the first generated sample. */
  start: number;
  /** Seconds between generated samples. */
  step: number;
  /** Number of generated samples per series (the last one is at `time`). */
  samples: number;
  /** Process id of the prometheus server. */
  pid: number;
  /** Temporary directory holding the config, the OpenMetrics input and the TSDB; removed by stop(). */
  dir: string;
  /** Instant query via /api/v1/query at `time` (default: this.time). Throws with Prometheus' error text on a bad query. */
  query(expr: string, time?: number): Promise<{ resultType: string; result: unknown[] }>;
  /** Range query via /api/v1/query_range; returns the result (a matrix). */
  queryRange(expr: string, start: number, end: number, step: number): Promise<unknown[]>;
  /** SIGTERM, wait for exit, remove the temporary directory. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartPrometheusOptions {
  series: SeriesSpec[];
  /** Length of the generated window. Default 90. */
  minutes?: number;
  /** Unix seconds of the last sample. Default: now. */
  end?: number;
  /** Seed of the generated values (see toOpenMetrics). */
  seed?: number;
  /** Seconds between samples. Default 15. */
  stepSeconds?: number;
  /** Rule files (recording/alerting) to load; relative paths resolve against the working directory. */
  rulesFiles?: string[];
  /**
   * Keep the TSDB blocks under `dir` and start from them next time. `inputs` is the plain data the
   * series are made from (catalog, targets, window, seed); with the generator's code and the promtool
   * binary it forms the key, so it must change whenever the series would.
   */
  cache?: { dir: string; inputs: unknown };
}

const DIR_PREFIX = "prom-fixture-";
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 15_000;
const POLL_MS = 20;

/** Servers this process started and has not stopped yet; killed when the process exits. */
const running = new Set<{ child: ChildProcess; dir: string }>();
let exitHookInstalled = false;

/** The tests' name for it. */
export type TestPrometheus = LocalPrometheus;

export async function startPrometheus(opts: StartPrometheusOptions): Promise<LocalPrometheus> {
  const prometheusBin = findBinary("prometheus");
  const promtoolBin = findBinary("promtool");

  const minutes = opts.minutes ?? 90;
  const step = opts.stepSeconds ?? 15;
  if (!(minutes > 0) || !(step > 0)) throw new Error(`startPrometheus: minutes (${minutes}) and stepSeconds (${step}) must be > 0`);
  const samples = Math.floor((minutes * 60) / step) + 1;
  if (samples < 2) throw new Error(`startPrometheus: ${minutes} minutes at ${step}s steps gives fewer than 2 samples`);
  if (opts.end !== undefined && !(Number.isInteger(opts.end) && opts.end > 0)) throw new Error(`startPrometheus: end (${opts.end}) must be whole unix seconds`);
  const time = opts.end ?? Math.floor(Date.now() / 1000);
  const start = time - (samples - 1) * step;
  const openMetrics = () => toOpenMetrics(opts.series, { start, step, samples, seed: opts.seed });

  sweepStaleDirs();
  const dir = await mkdtemp(join(tmpdir(), `${DIR_PREFIX}${process.pid}-`));
  const dataDir = join(dir, "data");
  const inputFile = join(dir, "series.om");
  const configFile = join(dir, "prometheus.yml");
  try {
    // JSON is YAML.
    const config: Record<string, unknown> = { global: { scrape_interval: "15s", evaluation_interval: "5s" } };
    if (opts.rulesFiles?.length) config.rule_files = opts.rulesFiles.map((f) => (isAbsolute(f) ? f : resolve(f)));
    await writeFile(configFile, JSON.stringify(config, null, 2));
    const createBlocks = async (into: string) => {
      await writeFile(inputFile, openMetrics());
      await run(promtoolBin, ["tsdb", "create-blocks-from", "openmetrics", "--quiet", inputFile, into]);
      await rm(inputFile, { force: true });
    };
    if (opts.cache) {
      const key = blockCacheKey({ inputs: opts.cache.inputs, start, step, samples, seed: opts.seed ?? 0 }, promtoolBin);
      linkBlocks(await cachedBlocks({ dir: opts.cache.dir, key }, createBlocks), dataDir);
    } else {
      await createBlocks(dataDir);
    }

    const expectedNames = [...new Set(opts.series.flatMap(sampleNames))];
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await freePort();
      const server = await launch(prometheusBin, configFile, dataDir, dir, port).catch((err: unknown) => {
        lastError = err;
        return undefined;
      });
      if (!server) {
        // Another process took the port between probing and binding: try another.
        if (/address already in use/i.test(String(lastError))) continue;
        throw lastError;
      }
      const instance = makeInstance(server, { url: `http://127.0.0.1:${port}`, time, start, step, samples, dir });
      try {
        await waitForSeries(instance, server, expectedNames);
      } catch (err) {
        await instance.stop();
        throw err;
      }
      return instance;
    }
    throw lastError;
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------

interface Server {
  child: ChildProcess;
  entry: { child: ChildProcess; dir: string };
  exited: Promise<void>;
  log: () => string;
}

async function launch(bin: string, configFile: string, dataDir: string, dir: string, port: number): Promise<Server> {
  const args = [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${dataDir}`,
    "--storage.tsdb.retention.time=100y",
    `--web.listen-address=127.0.0.1:${port}`,
    "--log.level=info",
  ];
  // setpriv --pdeathsig makes the kernel kill the server if this process dies without running
  // exit handlers (SIGKILL, crashed worker), so no server outlives a failed test run.
  const setpriv = tryFindBinary("setpriv");
  const child = setpriv
    ? spawn(setpriv, ["--pdeathsig", "KILL", "--", bin, ...args], { stdio: ["ignore", "ignore", "pipe"] })
    : spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => {
    log = (log + chunk).slice(-64 * 1024);
  });
  let hasExited = false;
  const exited = new Promise<void>((resolveExit) => {
    child.once("exit", () => {
      hasExited = true;
      resolveExit();
    });
  });
  const spawnError = new Promise<never>((_, reject) => child.once("error", reject));
  spawnError.catch(() => undefined);

  const entry = { child, dir };
  running.add(entry);
  installExitHook();
  const server: Server = { child, entry, exited, log: () => log };

  const url = `http://127.0.0.1:${port}/-/ready`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (true) {
    if (hasExited) {
      running.delete(entry);
      throw new Error(`prometheus exited during start-up (code ${child.exitCode}, signal ${child.signalCode}):\n${tail(log)}`);
    }
    const ok = await Promise.race([
      fetch(url, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.ok,
        () => false,
      ),
      spawnError,
    ]).catch(async (err: unknown) => {
      running.delete(entry);
      throw new Error(`could not start ${bin}: ${String(err)}`);
    });
    if (ok) return server;
    if (Date.now() > deadline) {
      await killAndWait(server);
      throw new Error(`prometheus did not become ready within ${START_TIMEOUT_MS} ms:\n${tail(log)}`);
    }
    await sleep(POLL_MS);
  }
}

/** Blocks are loaded on start-up; make sure every generated sample name is queryable at `time`. */
async function waitForSeries(instance: LocalPrometheus, server: Server, names: string[]): Promise<void> {
  const expr = `count by (__name__) ({__name__=~"${names.join("|")}"})`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  let found: string[] = [];
  while (true) {
    const { result } = await instance.query(expr);
    found = (result as { metric: { __name__: string } }[]).map((r) => r.metric.__name__);
    if (found.length === names.length) return;
    if (Date.now() > deadline) {
      const missing = names.filter((n) => !found.includes(n));
      throw new Error(
        `prometheus is up but these generated series are not queryable at ${instance.time}: ${missing.join(", ")}\n${tail(server.log())}`,
      );
    }
    await sleep(POLL_MS);
  }
}

function makeInstance(
  server: Server,
  info: { url: string; time: number; start: number; step: number; samples: number; dir: string },
): LocalPrometheus {
  let stopping: Promise<void> | undefined;
  return {
    ...info,
    pid: server.child.pid!,
    async query(expr, time = info.time) {
      const data = await api(info.url, "/api/v1/query", { query: expr, time: String(time) }, expr);
      return data as { resultType: string; result: unknown[] };
    },
    async queryRange(expr, start, end, step) {
      const data = await api(
        info.url,
        "/api/v1/query_range",
        { query: expr, start: String(start), end: String(end), step: String(step) },
        expr,
      );
      return (data as { result: unknown[] }).result;
    },
    stop() {
      stopping ??= (async () => {
        await killAndWait(server);
        await rm(info.dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

async function api(base: string, path: string, params: Record<string, string>, expr: string): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = await res.text();
  let json: { status?: string; data?: unknown; errorType?: string; error?: string };
  try {
    json = JSON.parse(body);
  } catch {
    throw new Error(`Prometheus ${path} returned HTTP ${res.status} (not JSON): ${body.slice(0, 500)}\n  query: ${expr}`);
  }
  if (json.status !== "success") {
    throw new Error(`Prometheus ${path} failed (${json.errorType ?? `HTTP ${res.status}`}): ${json.error ?? body}\n  query: ${expr}`);
  }
  return json.data;
}

async function killAndWait(server: Server): Promise<void> {
  const { child } = server;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill("SIGTERM");
    // The deadline's timer is cleared once the server has exited: a pending timer would keep the
    // process alive for the whole timeout after the work is done.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<boolean>((r) => (timer = setTimeout(() => r(true), STOP_TIMEOUT_MS)));
    const timedOut = await Promise.race([server.exited.then(() => false), deadline]);
    clearTimeout(timer);
    if (timedOut) {
      child.kill("SIGKILL");
      await server.exited;
    }
  }
  running.delete(server.entry);
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const { child, dir } of running) {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // best effort; swept by the next run
      }
    }
  });
}

/** Remove temp dirs left by processes that died without cleaning up (their pid is in the name). */
function sweepStaleDirs(): void {
  let entries: string[];
  try {
    entries = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of entries) {
    const m = /^prom-fixture-(\d+)-/.exec(name);
    if (!m || Number(m[1]) === process.pid) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ESRCH") rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
  }
}

function findBinary(name: string): string {
  const found = tryFindBinary(name);
  if (!found) {
    throw new Error(
      `"${name}" was not found on PATH. Previews and the tests run the real prometheus and promtool binaries: ` +
        `install them with \`apt-get install -y prometheus\` (Debian/Ubuntu).`,
    );
  }
  return found;
}

function tryFindBinary(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

function run(bin: string, args: string[]): Promise<string> {
  return new Promise((resolveRun, reject) => {
    execFile(bin, args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${bin} ${args.join(" ")} failed: ${String(stderr || err.message).trim()}`));
      else resolveRun(stdout);
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === "object" ? resolvePort(addr.port) : reject(new Error("no port"))));
    });
  });
}

/** Prometheus' error lines first (a bad rule file is reported long before the last line), then the log's tail. */
function tail(log: string, lines = 20): string {
  const all = log.trimEnd().split("\n");
  const errors = all.filter((l) => /level=error/.test(l));
  const last = all.slice(-lines).join("\n");
  return errors.length ? `${errors.join("\n")}\n--- last log lines ---\n${last}` : last;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
