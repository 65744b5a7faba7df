// One ruler's sync, as mimirtool/cortextool `rules sync` does it: read what the ruler holds for a
// tenant (GET <api>, a YAML map namespace → groups), POST each group that is new or differs, and
// with --prune DELETE the groups of namespaces this project owns that the build no longer has.
// A second sync of the same build writes nothing. One group's refusal (a 400 with the ruler's
// message) fails that group only; a ruler that cannot be worked with (unreachable, out of time,
// credentials rejected, answers that are not a ruler's) stops this ruler's sync.
import { z } from "zod";
import { CredentialsRejected, HttpError, NetworkError, toHttpError, type HttpClient } from "../http/client.js";
import { ResponseError } from "../http/answers.js";
import { groupDiff, sameGroup } from "./normalize.js";
import { ownsNamespace, type DesiredGroup, type NamespacePolicy } from "./source.js";

type Obj = Record<string, unknown>;

export interface GroupResult {
  tenant?: string;
  namespace: string;
  group: string;
  op: "create" | "update" | "unchanged" | "delete";
  status: "planned" | "done" | "failed";
  /** --dry-run: the lines that change ("-" on the ruler, "+" in the build). */
  diff?: string[];
  error?: string;
}

export interface RulerSyncOptions {
  client: HttpClient;
  /** The rules API root: /prometheus/config/v1/rules (Mimir/Cortex) or /loki/api/v1/rules (Loki). */
  api: string;
  tenant?: string;
  desired: DesiredGroup[];
  policy: NamespacePolicy;
  prune: boolean;
  dryRun: boolean;
}

export interface RulerSyncResult {
  groups: GroupResult[];
  /** Set when the ruler as a whole failed; nothing after that point was attempted. */
  aborted?: string;
}

/** GET <api>: namespaces and their groups, each group at least a name and a list of rules. */
const listing = z.record(z.array(z.object({ name: z.string(), rules: z.array(z.record(z.unknown())).nullish() }).passthrough()).nullish());

const enc = encodeURIComponent;

function isFatal(e: unknown): boolean {
  return e instanceof NetworkError || e instanceof ResponseError || e instanceof CredentialsRejected;
}

export async function syncRuler(o: RulerSyncOptions): Promise<RulerSyncResult> {
  const { client, api } = o;
  let live: Record<string, Obj[]>;
  try {
    const res = await client.request<Record<string, Obj[]>>("GET", api, { schema: listing });
    // 404 "no rule groups found": the tenant has none yet.
    if (res.status === 404) live = {};
    else if (res.status === 200) live = Object.fromEntries(Object.entries(res.body ?? {}).map(([ns, gs]) => [ns, gs ?? []]));
    else throw toHttpError("GET", api, res);
  } catch (e) {
    return { groups: [], aborted: failure(e) };
  }

  const plan: { result: GroupResult; run?: () => Promise<void> }[] = [];
  const wanted = new Set<string>();
  for (const d of o.desired) {
    wanted.add(`${d.namespace}\u0000${d.group.name}`);
    const current = (live[d.namespace] ?? []).find((g) => g.name === d.group.name);
    const result: GroupResult = { tenant: o.tenant, namespace: d.namespace, group: d.group.name, op: current ? "update" : "create", status: "planned" };
    if (current && sameGroup(current, d.group)) {
      plan.push({ result: { ...result, op: "unchanged" } });
      continue;
    }
    if (o.dryRun) result.diff = groupDiff(current, d.group);
    const path = `${api}/${enc(d.namespace)}`;
    plan.push({
      result,
      run: async () => {
        const res = await client.request("POST", path, { body: d.group });
        if (res.status < 200 || res.status >= 300) throw toHttpError("POST", path, res);
      },
    });
  }
  if (o.prune) {
    for (const [namespace, groups] of Object.entries(live).sort(([a], [b]) => a.localeCompare(b))) {
      if (!ownsNamespace(namespace, o.policy)) continue;
      for (const g of groups) {
        const name = String(g.name);
        if (wanted.has(`${namespace}\u0000${name}`)) continue;
        const path = `${api}/${enc(namespace)}/${enc(name)}`;
        const result: GroupResult = { tenant: o.tenant, namespace, group: name, op: "delete", status: "planned" };
        if (o.dryRun) result.diff = groupDiff(g, undefined);
        plan.push({
          result,
          run: async () => {
            const res = await client.request("DELETE", path);
            // Already gone (another sync, a person): what --prune wanted.
            if (res.status === 404) return;
            if (res.status < 200 || res.status >= 300) throw toHttpError("DELETE", path, res);
          },
        });
      }
    }
  }
  plan.sort((a, b) => `${a.result.namespace}/${a.result.group}`.localeCompare(`${b.result.namespace}/${b.result.group}`));
  if (o.dryRun) return { groups: plan.map((p) => p.result) };

  let aborted: string | undefined;
  await Promise.all(
    plan.map(async (p) => {
      if (!p.run) return void (p.result.status = "done");
      if (aborted) {
        p.result.status = "failed";
        p.result.error = "not attempted: the sync of this ruler stopped";
        return;
      }
      try {
        await p.run();
        p.result.status = "done";
      } catch (e) {
        p.result.status = "failed";
        p.result.error = e instanceof Error ? e.message : String(e);
        if (isFatal(e)) {
          aborted ??= failure(e);
          client.stop();
        }
      }
    }),
  );
  return { groups: plan.map((p) => p.result), aborted };
}

function failure(e: unknown): string {
  if (e instanceof HttpError && e.status === 401) return `${e.message}: the ruler rejected the credentials or the tenant`;
  if (e instanceof Error) return e.message;
  return String(e);
}
