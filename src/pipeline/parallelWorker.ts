// The worker's side of src/pipeline/parallel.ts: the bundle's entry point (scripts/build.ts) runs
// serveSlices instead of the build command when it is started as a build worker. The worker collects
// the definitions itself (from the same bundle: the same list as the main thread's, checked), takes
// slices from the shared counter until none is left, and posts each slice's result back.
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import type { RepoContent } from "../model/content.js";
import type { RecordingRuleGroup } from "../query/recorded.js";
import type { ExtraNames } from "../query/catalogCheck.js";
import { collectDashboards } from "./collect.js";
import type { CheckedDashboard } from "./index.js";
import type { PanelIdLock } from "./panelIds.js";
import { checkSlice, seenBefore, type SliceResult } from "./slices.js";

export const WORKER_ROLE = "grafana-as-code.build-worker";

/** What a worker is started with (structured-cloneable). */
export interface WorkerJob {
  role: typeof WORKER_ROLE;
  /** The launcher's bundle, the repository, and the globals the launcher set (by Symbol.for name). */
  bundle: string;
  root: string;
  globals: Record<string, unknown>;
  /** The next slice to take (Atomics.add), shared by every thread of the build. */
  counter: SharedArrayBuffer;
  slices: number[][];
  /** The main thread's definitions' uids, in collection order: the worker's must be the same. */
  uids: string[];
  env: string;
  out: string;
  dashboardsDir: string;
  referenceSchemas: boolean;
  panelIds: PanelIdLock;
  provisioned: Map<string, string>;
  recorded: ExtraNames;
  ruleGroups: RecordingRuleGroup[];
  /** For the command's hooks in the worker (what the build command needs: whether it lints). */
  command: unknown;
}

/** The job when this thread is a build worker, else undefined. */
export function buildWorkerJob(): WorkerJob | undefined {
  return !isMainThread && (workerData as { role?: unknown } | null)?.role === WORKER_ROLE ? (workerData as WorkerJob) : undefined;
}

/** The worker's hooks: what the command does with each dashboard checked here, and what it sends back. */
export interface WorkerHooks {
  onDashboard?: (d: CheckedDashboard) => void;
  payload?: (uid: string) => unknown;
}

export async function serveSlices(job: WorkerJob, content: RepoContent, hooks: WorkerHooks): Promise<void> {
  const config = content.loadConfig(job.env);
  const defs = await collectDashboards(job.dashboardsDir, config);
  const same = defs.length === job.uids.length && defs.every((d, i) => d.uid === job.uids[i]);
  if (!same) throw new Error(`the worker's definitions (${defs.length}) are not the build's (${job.uids.length})`);
  const inputs = { provisioned: job.provisioned, ruleGroups: job.ruleGroups };
  const checks = { provisioned: job.provisioned, catalog: content.catalog, recorded: job.recorded, referenceSchemas: job.referenceSchemas };
  const port = parentPort!;
  // When it was ready (for --debug's account of the threads).
  port.postMessage({ ready: performance.timeOrigin + performance.now() });
  const counter = new Int32Array(job.counter);
  for (let k = Atomics.add(counter, 0, 1); k < job.slices.length; k = Atomics.add(counter, 0, 1)) {
    const r: SliceResult = checkSlice(job.slices[k], seenBefore(job.slices, k, defs), { defs, config, panelIds: job.panelIds, checks, out: job.out, inputs, ...hooks });
    port.postMessage({ slice: k, result: r.error === undefined ? r : { ...r, error: errorData(r.error) } });
  }
  port.postMessage({ done: true });
}

/** An error as data a worker can post (the main thread rethrows it with its kind, message and problems). */
function errorData(e: unknown): unknown {
  if (!(e instanceof Error)) return { name: "Error", message: String(e) };
  const { name, message, stack } = e;
  const own = e as Error & Record<string, unknown>;
  const pick = ["problems", "exitCode", "file", "code", "syscall", "path", "dest", "errno"].filter((k) => own[k] !== undefined);
  return { name, message, stack, ...Object.fromEntries(pick.map((k) => [k, own[k]])) };
}
