// What every planner shares: the task list a plan is made of, the planner interface, and the
// listings (one or a few calls each) several planners read. A planner reads the live objects of
// its kind, compares them with the build and adds one task per object to a phase; the scheduler
// (./scheduler.ts) runs the phases in rank order.
import { CredentialsRejected, HttpError, NetworkError, type GrafanaClient } from "./http.js";
import { RESPONSES as R, ResponseError } from "./responses.js";
import type { DesiredState, ItemResult, Kind, Op } from "./types.js";

export type Obj = Record<string, unknown>;

export const enc = encodeURIComponent;

export interface PushOptions {
  client: GrafanaClient;
  desired: DesiredState;
  kinds: Set<Kind>;
  prune: boolean;
  dryRun: boolean;
  disableProvenance: boolean;
  /** Write objects holding secrets even when they compare equal (secrets cannot be read back). */
  rewriteSecrets?: boolean;
  /** Version-history message for dashboards. */
  message: string;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface Task {
  item: ItemResult;
  /** Runs the write; absent for unchanged items and failed reads. */
  run?: () => Promise<void>;
  /** Tasks that must succeed first. */
  deps: Task[];
  /** Set once run (or skipped). */
  done?: Promise<boolean>;
}

/** Live listings shared between planners; fetched once, at the start, when some planner asks. */
export const LISTINGS = ["dashboards", "folders", "alertRules", "datasources", "contactPoints"] as const;
export type Listing = (typeof LISTINGS)[number];

export interface Planner {
  kind: Kind;
  /** The phases this planner adds tasks to, with their rank in the apply order (lower first). */
  phases: Record<string, number>;
  /** Whether it runs at all, given that its kind was asked for (default: yes). */
  enabled?(o: PushOptions): boolean;
  listings?(o: PushOptions): Listing[];
  /** How many live objects it reads one by one, for the progress line. */
  reads?(o: PushOptions): number;
  plan(p: Plan): Promise<void>;
}

/**
 * Failures that say the server as a whole cannot be worked with (unreachable, out of time, not
 * answering as Grafana, credentials gone): they stop the run instead of failing object by object.
 */
export function isFatal(e: unknown): e is NetworkError | ResponseError | CredentialsRejected {
  return e instanceof NetworkError || e instanceof ResponseError || e instanceof CredentialsRejected;
}

export function errMessage(e: unknown): string {
  if (e instanceof HttpError || e instanceof NetworkError || e instanceof CredentialsRejected) return e.message;
  return (e as Error)?.message ?? String(e);
}

/** Runs fn over items with every call started at once; the client's semaphore bounds the requests. */
export async function each<T>(items: T[], fn: (t: T) => Promise<void>, progress?: () => void): Promise<void> {
  await Promise.all(
    items.map(async (t) => {
      await fn(t);
      progress?.();
    }),
  );
}

/** The tasks of one run, by phase, and what planners need to make them. */
export class Plan {
  readonly client: GrafanaClient;
  readonly provenanceHeaders: Record<string, string>;
  private readonly byPhase = new Map<string, Task[]>();
  private readonly index = new Map<string, Map<string, Task>>();

  constructor(
    readonly o: PushOptions,
    private readonly listings: Map<Listing, Obj[]>,
    /** Called after each one-by-one read. */
    readonly readProgress: () => void,
  ) {
    this.client = o.client;
    this.provenanceHeaders = o.disableProvenance ? { "X-Disable-Provenance": "true" } : {};
  }

  get desired(): DesiredState {
    return this.o.desired;
  }

  has(k: Kind): boolean {
    return this.o.kinds.has(k);
  }

  /** A shared listing; empty when no planner asked for it. */
  listing(name: Listing): Obj[] {
    return this.listings.get(name) ?? [];
  }

  tasks(phase: string): Task[] {
    let list = this.byPhase.get(phase);
    if (!list) this.byPhase.set(phase, (list = []));
    return list;
  }

  /** The task of a phase for an object id (the last one added). */
  find(phase: string, id: string): Task | undefined {
    return this.index.get(phase)?.get(id);
  }

  add(phase: string, item: ItemResult, run?: () => Promise<void>, deps: Task[] = []): Task {
    const t: Task = { item, run, deps };
    this.tasks(phase).push(t);
    if (!this.index.has(phase)) this.index.set(phase, new Map());
    this.index.get(phase)!.set(item.id, t);
    return t;
  }

  /** A live object that exists: unchanged when nothing differs, else an update running `run`. */
  compared(phase: string, item: ItemResult, changes: string[], run: () => Promise<void>, deps: Task[] = []): Task {
    if (changes.length === 0) {
      item.op = "unchanged";
      return this.add(phase, item);
    }
    item.op = "update";
    item.changes = changes;
    return this.add(phase, item, run, deps);
  }

  /** A live object that could not be read: a failed item, unless the server as a whole failed. */
  failedRead(phase: string, kind: Kind, id: string, title: string | undefined, e: unknown): Task {
    if (isFatal(e)) throw e;
    return this.add(phase, { kind, id, title, status: "failed", error: `could not read the live object: ${errMessage(e)}` });
  }
}

export function statusFor(op: Op): ItemResult["status"] {
  return op === "create" ? "created" : op === "update" ? "updated" : op === "delete" ? "deleted" : "unchanged";
}

/** Fetches one shared listing. */
export function fetchListing(client: GrafanaClient, name: Listing): Promise<Obj[]> {
  switch (name) {
    case "dashboards":
      return searchAll(client, "dash-db");
    case "folders":
      return searchAll(client, "dash-folder");
    case "alertRules":
      return client.json<Obj[]>("GET", "/api/v1/provisioning/alert-rules", R.ruleList).then((r) => r.body ?? []);
    case "datasources":
      return client.json<Obj[]>("GET", "/api/datasources", R.datasourceList).then((r) => r.body ?? []);
    case "contactPoints":
      return client.json<Obj[]>("GET", "/api/v1/provisioning/contact-points", R.contactPointList).then((r) => r.body ?? []);
  }
}

/** Every hit of /api/search for one type, page by page. */
async function searchAll(client: GrafanaClient, type: "dash-db" | "dash-folder"): Promise<Obj[]> {
  const limit = 5000;
  const out: Obj[] = [];
  for (let page = 1; ; page++) {
    const res = await client.json<Obj[]>("GET", `/api/search?type=${type}&limit=${limit}&page=${page}`, R.search);
    const hits = res.body ?? [];
    out.push(...hits);
    if (hits.length < limit) return out;
  }
}
