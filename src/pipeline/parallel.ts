// Worker threads for the build without the cache, when there are many dashboards and more than one
// core: the main thread and the workers take slices of the uid order (src/pipeline/slices.ts) from
// one shared counter, each builds, checks, lints and serialises its slices, and the main thread
// merges the results in order, so the tree and the messages do not depend on who took which slice.
// Workers load the bundle the launcher made (buildWorker.mjs) and import the definitions themselves.
import { availableParallelism, loadavg } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { BuildError, EXIT, UserError } from "../errors.js";
import { REPO_ROOT } from "../repoRoot.mjs";
import { debugRequested } from "../cli/report.mjs";
import { BUNDLE_DIR, bundlePath } from "./bundleCache.mjs";
import type { DashboardDefinition } from "../definitions.js";
import type { RecordingRuleGroup } from "../query/recorded.js";
import { BATCH } from "./dashboardChecks.js";
import { checkSlice, mergeSlices, seenBefore, slicesOf, type SliceInputs, type SliceResult, type SliceSink } from "./slices.js";
import { WORKER_ROLE, type WorkerJob } from "./parallelWorker.js";

/**
 * off (the default, also 0), auto, or a number of worker threads (forced, whatever the build's size).
 * Off by default: on the 2-core machines this was measured on, idle or loaded, a worker cost 15–30%
 * more CPU time and never shortened the build (README, Performance).
 */
export const WORKERS_ENV = "GRAFANA_AS_CODE_WORKERS";

/**
 * Under auto, fewer dashboards than this build on the main thread alone: a worker's start (loading
 * the bundle and its packages, importing every definition: about 0.7 s of CPU where measured) pays
 * back only over several hundred dashboards; at 100 a worker made the build slower.
 */
export const MIN_DASHBOARDS = 400;

/** Workers at most under auto: each holds its own copy of the engine and the definitions. */
const MAX_AUTO = 3;

/** The globals the launcher sets (src/pipeline/vendor.mjs's packages excepted: a worker loads them itself). */
const NOT_PASSED = new Set(["grafana-as-code.vendor", "grafana-as-code.preloadedDefinitions"]);

export interface WorkerPlan {
  workers: number;
  /**
   * Forced for a build smaller than MIN_DASHBOARDS: the main thread starts its own slices once the
   * workers are up, so that they take part however small the build (otherwise it may finish first).
   */
  waitForWorkers: boolean;
  bundle: string;
}

/** The bundle this engine runs from (the launcher's), or undefined when it runs from its sources. */
export function runningBundle(): string | undefined {
  // Run with a delta bundle (src/pipeline/deltaBundle.mjs) that workers would not load: none.
  if ((globalThis as Record<symbol, unknown>)[Symbol.for("grafana-as-code.deltaBundle")]) return undefined;
  const file = fileURLToPath(import.meta.url);
  return dirname(file) === BUNDLE_DIR && file === bundlePath(basename(file, ".js")) ? file : undefined; // a run bundle, named as the launcher names them
}

/**
 * How many workers a build of `dashboards` starts (0: none); throws on a bad GRAFANA_AS_CODE_WORKERS.
 * Under auto, one per core left idle by the machine's load (the last minute's average): a worker
 * only shortens the build on a core nobody else is using, and costs CPU time of its own either way.
 */
export function workerCount(
  dashboards: number,
  value = process.env[WORKERS_ENV],
  cores = availableParallelism(),
  load = loadavg()[0],
): { workers: number; forced: boolean } {
  const v = (value ?? "").trim().toLowerCase();
  if (v === "auto") {
    const idle = Math.floor(cores - load);
    return { workers: dashboards >= MIN_DASHBOARDS ? Math.max(0, Math.min(cores - 1, idle, MAX_AUTO)) : 0, forced: false };
  }
  if (v === "" || v === "off" || v === "0") return { workers: 0, forced: false };
  if (/^[1-9][0-9]?$/.test(v)) return { workers: Number(v), forced: true };
  throw new UserError(`${WORKERS_ENV}=${value}: expected off (or 0), auto, or a number of worker threads from 1 to 99`, EXIT.usage);
}

/** Workers for this build, or undefined: none when the engine does not run from the launcher's bundle. */
export function planWorkers(dashboards: number): WorkerPlan | undefined {
  const { workers, forced } = workerCount(dashboards);
  const bundle = runningBundle();
  return workers > 0 && bundle ? { workers, waitForWorkers: forced && dashboards < MIN_DASHBOARDS, bundle } : undefined;
}

function revive(data: unknown): Error {
  const d = data as { name: string; message: string; stack?: string; problems?: unknown; exitCode?: number; file?: string };
  let e: Error;
  if (d.name === "BuildError" && Array.isArray(d.problems)) e = new BuildError(d.problems);
  else if (d.name === "UserError") e = new UserError(d.message, (d.exitCode ?? EXIT.invalid) as 1, d.file);
  else e = Object.assign(new Error(d.message), data as object);
  if (d.stack) e.stack = d.stack;
  return e;
}

/** What the build command asks of the workers (BuildOptions.parallel). */
export interface ParallelHooks {
  /** Handed to the command's hooks in each worker (structured-cloneable). */
  command: unknown;
  /** A dashboard a worker checked, with what the command's hook there kept about it. */
  onRemote?: (uid: string, payload: unknown, build: Pick<SliceInputs, "config" | "out" | "inputs">) => void;
}

/**
 * The build's dashboards checked by the main thread and the plan's workers, merged into `into` in
 * uid order (or the build's error thrown), as buildTree's one-thread loop does.
 */
export async function checkInParallel(
  plan: WorkerPlan,
  s: SliceInputs & { env: string; dashboardsDir: string; hooks: ParallelHooks },
  into: SliceSink,
): Promise<void> {
  const slices = slicesOf(s.defs, BATCH);
  const { provisioned, recorded, referenceSchemas } = s.checks;
  const job = {
    uids: s.defs.map((d) => d.uid),
    env: s.env,
    out: s.out,
    dashboardsDir: s.dashboardsDir,
    referenceSchemas,
    panelIds: s.panelIds,
    provisioned,
    recorded,
    // What the rule groups record, which is all lint reads of them (recordedSeries).
    ruleGroups: s.inputs.ruleGroups.map((g): RecordingRuleGroup => ({ rules: g.rules.map((r) => (r.kind === "record" ? { kind: r.kind, record: r.record, expr: r.expr, labels: r.labels } : { kind: "alert" })) })),
    command: s.hooks.command,
  };
  const results = await runSlices(plan, slices, job, (k) => checkSlice(slices[k], seenBefore(slices, k, s.defs), s));
  const onRemote = s.hooks.onRemote;
  mergeSlices(results, s.defs as DashboardDefinition[], { ...into, onRemote: onRemote && ((uid, payload) => onRemote(uid, payload, s)) });
}

type WorkerMessage = { ready: number } | { done: true } | { slice: number; result: SliceResult };

/**
 * Checks `slices` on the main thread (`local`) and `plan.workers` worker threads; returns every
 * slice's result, by slice. A worker that stops before its slices are back (an exception, an exit,
 * memory) fails the build: nothing is written.
 */
export async function runSlices(
  plan: WorkerPlan,
  slices: number[][],
  job: Omit<WorkerJob, "role" | "bundle" | "root" | "globals" | "counter" | "slices">,
  local: (k: number) => SliceResult,
): Promise<SliceResult[]> {
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const results: SliceResult[] = new Array(slices.length);
  let pending = slices.length;
  let finished = false;
  let ready = 0;
  let settle!: { resolve: () => void; reject: (e: Error) => void };
  const all = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  if (pending === 0) settle.resolve();
  let up!: () => void;
  const allUp = new Promise<void>((resolve) => (up = resolve));
  const started = performance.now();
  const readyAt: number[] = [];
  const taken = new Array<number>(plan.workers + 1).fill(0);
  const delivered = (k: number, r: SliceResult, by: number) => {
    taken[by]++;
    results[k] = r;
    if (--pending === 0) settle.resolve();
  };
  const data: WorkerJob = { ...job, role: WORKER_ROLE, bundle: plan.bundle, root: REPO_ROOT, globals: launcherGlobals(), counter: counter.buffer as SharedArrayBuffer, slices };
  const workers = Array.from({ length: plan.workers }, (_, i) => {
    const worker = new Worker(join(REPO_ROOT, "src/pipeline/buildWorker.mjs"), { workerData: data });
    const stopped = (why: string) => {
      if (finished) return;
      finished = true;
      settle.reject(new UserError(`build worker ${i + 1} of ${plan.workers} stopped before its dashboards were checked (${why}); nothing was written. ${WORKERS_ENV}=off builds on one thread`, EXIT.io));
      up();
    };
    let done = false;
    worker.on("message", (m: WorkerMessage) => {
      if ("ready" in m) {
        readyAt.push(Math.round(m.ready - (performance.timeOrigin + started)));
        if (++ready === plan.workers) up();
      } else if ("done" in m) done = true;
      else delivered(m.slice, m.result.error === undefined ? m.result : { ...m.result, error: revive(m.result.error) }, i + 1);
    });
    worker.on("error", (e) => stopped(e.message.split("\n")[0]));
    worker.on("exit", (code) => {
      if (!done) stopped(`exit code ${code}`);
    });
    return worker;
  });
  try {
    if (plan.waitForWorkers) await allUp;
    // Slices until none is left; the workers' results wait in their ports meanwhile.
    for (let k = Atomics.add(counter, 0, 1); k < slices.length && !finished; k = Atomics.add(counter, 0, 1)) delivered(k, local(k), 0);
    await all;
    if (debugRequested()) console.error(`debug: ${slices.length} slices of dashboards checked by the main thread (${taken[0]}) and ${plan.workers} worker thread(s) (${taken.slice(1).join(", ")}; up after ${readyAt.join(", ")} ms) in ${Math.round(performance.now() - started)} ms`);
    return results;
  } finally {
    finished = true;
    // A worker still starting (the main thread took every slice) is not waited for.
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** The values the launcher set on globalThis (repository root, digests, paths) that a worker sets too. */
function launcherGlobals(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of Object.getOwnPropertySymbols(globalThis)) {
    const name = s.description;
    if (!name?.startsWith("grafana-as-code.") || NOT_PASSED.has(name) || Symbol.for(name) !== s) continue;
    const value = (globalThis as Record<symbol, unknown>)[s];
    try {
      structuredClone(value);
      out[name] = value;
    } catch {
      // a value only this thread can hold (a module, a function): not the launcher's
    }
  }
  return out;
}
