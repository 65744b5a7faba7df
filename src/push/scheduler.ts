// The push itself: fetch the listings the planners share, let each planner read what Grafana holds
// and decide per object (create / update / unchanged / delete), then apply the phases in rank
// order. Reads and writes go through one client whose semaphore bounds the requests in flight; one
// object's failure never stops the others, except that an object waits for what it lives in (a
// dashboard for its folder) and fails with it.
import { CredentialsRejected } from "./http.js";
import { errMessage, fetchListing, isFatal, LISTINGS, Plan, statusFor, type Listing, type Obj, type PushOptions, type Task } from "./plan.js";
import { PLANNERS } from "./planners/index.js";
import type { ItemResult } from "./types.js";

export { isFatal, type PushOptions } from "./plan.js";

export interface PushResult {
  items: ItemResult[];
  /** Set when the run stopped early for everything (credentials rejected mid-run). */
  aborted?: string;
}

const CREDENTIALS_GONE = "Grafana rejected the credentials (401) during the push; remaining writes were not attempted";

export async function push(o: PushOptions): Promise<PushResult> {
  const { client } = o;
  const planners = PLANNERS.filter((p) => o.kinds.has(p.kind) && (p.enabled?.(o) ?? true));

  // ---- Reading ----------------------------------------------------------------------------------
  const asked = new Set(planners.flatMap((p) => p.listings?.(o) ?? []));
  const wanted = LISTINGS.filter((name) => asked.has(name));
  const fetched = await Promise.all(wanted.map((name) => fetchListing(client, name)));
  const listings = new Map<Listing, Obj[]>(wanted.map((name, i) => [name, fetched[i]]));
  const wantReads = planners.reduce((n, p) => n + (p.reads?.(o) ?? 0), 0);
  let reads = 0;
  const plan = new Plan(o, listings, () => o.onProgress?.("reading", ++reads, wantReads));
  // One planner after another: later ones depend on the tasks of earlier ones (a dashboard on its folder).
  for (const p of planners) await p.plan(plan);

  const ranks = new Map<string, number>();
  for (const p of PLANNERS) for (const [phase, rank] of Object.entries(p.phases)) ranks.set(phase, rank);
  const order: Task[][] = [...ranks.entries()].sort((a, b) => a[1] - b[1]).map(([phase]) => plan.tasks(phase));
  // Stable output: reads finish in any order.
  for (const phase of order) phase.sort((a, b) => a.item.id.localeCompare(b.item.id));
  const all = order.flat();

  if (o.dryRun) return { items: all.map((t) => t.item) };

  // ---- Applying ---------------------------------------------------------------------------------
  const writes = all.filter((t) => t.run).length;
  let applied = 0;
  let aborted: string | undefined;
  const start = (t: Task): Promise<boolean> => {
    t.done ??= (async () => {
      const depsOk = await Promise.all(t.deps.map(start));
      if (t.item.status === "failed") return false;
      if (!t.run) {
        t.item.status = t.item.op === "unchanged" ? "unchanged" : t.item.status;
        return true;
      }
      const failedDep = t.deps.find((_, i) => !depsOk[i]);
      if (failedDep) {
        t.item.status = "failed";
        t.item.error = `not attempted: ${failedDep.item.kind} ${failedDep.item.id} failed`;
        o.onProgress?.("applying", ++applied, writes);
        return false;
      }
      if (client.unauthorized) aborted ??= CREDENTIALS_GONE;
      if (aborted) {
        t.item.status = "failed";
        t.item.error = client.unauthorized ? "not attempted: credentials rejected (401)" : "not attempted: the push stopped";
        o.onProgress?.("applying", ++applied, writes);
        return false;
      }
      try {
        await t.run();
        t.item.status = statusFor(t.item.op!);
        return true;
      } catch (e) {
        t.item.status = "failed";
        t.item.error = errMessage(e);
        if (e instanceof CredentialsRejected) aborted ??= CREDENTIALS_GONE;
        else if (isFatal(e)) {
          aborted ??= `${e.message}; remaining writes were not attempted`;
          // Writes already waiting for a connection slot must not go out either.
          client.stop();
        }
        return false;
      } finally {
        o.onProgress?.("applying", ++applied, writes);
      }
    })();
    return t.done;
  };
  // Phases in order; inside a phase everything runs at once (bounded by the client).
  for (const phase of order) await Promise.all(phase.map(start));
  return { items: all.map((t) => t.item), aborted };
}
