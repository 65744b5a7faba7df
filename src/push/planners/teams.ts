// Teams of build/grafana/access.json (../access.ts): created when missing, before the folder
// permissions that name them; never deleted (Grafana's team has no field to mark it as ours).
import { toHttpError } from "../http.js";
import { isObj, type Obj } from "../access.js";
import type { Plan, Planner } from "../plan.js";
import type { ItemResult } from "../types.js";

export const TEAMS = "teams";

/** Team name → id, filled while planning (existing teams) and applying (created ones). */
export const teamIds = new WeakMap<Plan, Map<string, number>>();

export function idsOf(p: Plan): Map<string, number> {
  let m = teamIds.get(p);
  if (!m) teamIds.set(p, (m = new Map()));
  return m;
}

export const teams: Planner = {
  kind: "teams",
  phases: { [TEAMS]: 15 },
  enabled: (o) => !!o.desired.access,
  reads: (o) => o.desired.access?.teams.length ?? 0,
  async plan(p) {
    const ids = idsOf(p);
    for (const t of p.desired.access!.teams) {
      const item: ItemResult = { kind: "teams", id: t.name, status: "planned" };
      const path = `/api/teams/search?name=${encodeURIComponent(t.name)}`;
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
  },
};
