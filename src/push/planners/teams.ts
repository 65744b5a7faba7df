// Teams of build/grafana/access.json (../access.ts): created when missing, before the folder
// permissions that name them. With --prune and a teamPrefix, a team named with the prefix that the
// build no longer lists is deleted after the folder permissions are set; no other team ever is.
import { toHttpError } from "../http.js";
import { isObj, type DesiredAccess, type Obj } from "../access.js";
import { enc, type Plan, type Planner } from "../plan.js";
import type { ItemResult } from "../types.js";

export const TEAMS = "teams";
export const TEAMS_DELETE = "teams-delete";

/** Team name → id, filled while planning (existing teams) and applying (created ones). */
export const teamIds = new WeakMap<Plan, Map<string, number>>();

export function idsOf(p: Plan): Map<string, number> {
  let m = teamIds.get(p);
  if (!m) teamIds.set(p, (m = new Map()));
  return m;
}

const prunes = (o: { prune: boolean; desired: { access?: DesiredAccess } }) => o.prune && o.desired.access?.teamPrefix !== undefined;

export const teams: Planner = {
  kind: "teams",
  // Deletions after the folder permissions (16): a grant never names a team that is gone.
  phases: { [TEAMS]: 15, [TEAMS_DELETE]: 17 },
  enabled: (o) => !!o.desired.access,
  reads: (o) => (o.desired.access?.teams.length ?? 0) + (prunes(o) ? 1 : 0),
  async plan(p) {
    const ids = idsOf(p);
    for (const t of p.desired.access!.teams) {
      const item: ItemResult = { kind: "teams", id: t.name, status: "planned" };
      const path = `/api/teams/search?name=${enc(t.name)}`;
      let id: number | undefined;
      try {
        const res = await p.client.request<Obj>("GET", path);
        p.readProgress();
        // Grafana answers 404 when no team has the name (Team HTTP API); some versions an empty list.
        if (res.status !== 404) {
          if (res.status !== 200 || !isObj(res.body) || !Array.isArray(res.body.teams)) throw toHttpError("GET", path, res);
          const found = (res.body.teams as unknown[]).find((x) => isObj(x) && x.name === t.name) as Obj | undefined;
          if (typeof found?.id === "number") id = found.id;
        }
      } catch (e) {
        p.failedRead(TEAMS, "teams", t.name, undefined, e);
        continue;
      }
      if (id !== undefined) {
        ids.set(t.name, id);
        p.compared(TEAMS, item, [], async () => {});
        continue;
      }
      item.op = "create";
      p.add(TEAMS, item, async () => {
        const res = await p.client.request<Obj>("POST", "/api/teams", { body: { name: t.name, ...(t.email ? { email: t.email } : {}) } });
        if (res.status !== 200 || !isObj(res.body) || typeof res.body.teamId !== "number") throw toHttpError("POST", "/api/teams", res);
        ids.set(t.name, res.body.teamId);
      });
    }
    if (prunes(p.o)) await planPrune(p);
  },
};

async function planPrune(p: Plan): Promise<void> {
  const access = p.desired.access!;
  const prefix = access.teamPrefix!;
  let live: Obj[];
  try {
    live = await teamsNamed(p, prefix);
    p.readProgress();
  } catch (e) {
    p.failedRead(TEAMS_DELETE, "teams", `${prefix}*`, undefined, e);
    return;
  }
  const wanted = new Set(access.teams.map((t) => t.name));
  const stale = live.filter((t) => !wanted.has(String(t.name))).sort((a, b) => String(a.name).localeCompare(String(b.name)));
  for (const t of stale) {
    const id = t.id as number;
    const members = typeof t.memberCount === "number" && t.memberCount > 0 ? `; its ${t.memberCount} member(s) lose it` : "";
    p.add(
      TEAMS_DELETE,
      { kind: "teams", id: String(t.name), op: "delete", status: "planned", note: `named with teamPrefix "${prefix}", no longer in the build${members}` },
      async () => {
        const path = `/api/teams/${id}`;
        const res = await p.client.request<Obj>("DELETE", path);
        // 404: already gone, which is what was asked.
        if (res.status !== 200 && res.status !== 404) throw toHttpError("DELETE", path, res);
      },
    );
  }
}

/** Every live team whose name starts with `prefix` (the search matches anywhere in the name), page by page. */
async function teamsNamed(p: Plan, prefix: string): Promise<Obj[]> {
  const perPage = 1000;
  const out: Obj[] = [];
  for (let page = 1; ; page++) {
    const path = `/api/teams/search?query=${enc(prefix)}&perpage=${perPage}&page=${page}`;
    const res = await p.client.request<Obj>("GET", path);
    const body: unknown = res.body;
    if (res.status !== 200) throw toHttpError("GET", path, res);
    const teams = isObj(body) && typeof body.totalCount === "number" && Array.isArray(body.teams) ? (body.teams as unknown[]) : undefined;
    if (!teams || !teams.every((t) => isObj(t) && typeof t.id === "number" && typeof t.name === "string")) {
      throw new Error(`GET ${path}: the answer is not {totalCount, teams: [{id, name}, …]}`);
    }
    out.push(...(teams as Obj[]).filter((t) => String(t.name).startsWith(prefix)));
    if (teams.length < perPage || page * perPage >= ((body as Obj).totalCount as number)) return out;
  }
}
