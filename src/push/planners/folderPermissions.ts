// Folder permissions of build/grafana/access.json (../access.ts says what is managed and kept),
// after the folders and teams they name.
import { toHttpError } from "../http.js";
import { grantLabel, isObj, isOwnedTeam, NEW_FOLDER_GRANTS, PERMISSION_LEVEL, type Obj } from "../access.js";
import type { Plan, Planner, Task } from "../plan.js";
import type { ItemResult } from "../types.js";
import { FOLDERS } from "./folders.js";
import { idsOf, TEAMS } from "./teams.js";

export const FOLDER_PERMISSIONS = "folder-permissions";

export const folderPermissions: Planner = {
  kind: "folder-permissions",
  phases: { [FOLDER_PERMISSIONS]: 16 },
  enabled: (o) => !!o.desired.access,
  reads: (o) => o.desired.access?.folders.length ?? 0,
  async plan(p) {
    const access = p.desired.access!;
    for (const f of access.folders) {
      const item: ItemResult = { kind: "folder-permissions", id: f.uid, title: f.title, status: "planned" };
      const path = `/api/folders/${encodeURIComponent(f.uid)}/permissions`;
      const folderTask = p.find(FOLDERS, f.uid);
      let live: Obj[];
      try {
        const res = await p.client.request<unknown>("GET", path);
        p.readProgress();
        // A folder this push creates is not there yet: it will have what Grafana gives a new folder.
        if (res.status === 404 && folderTask?.item.op === "create") live = NEW_FOLDER_GRANTS;
        else if (res.status === 200 && Array.isArray(res.body)) live = (res.body as unknown[]).filter(isObj);
        else throw toHttpError("GET", path, res);
      } catch (e) {
        p.failedRead(FOLDER_PERMISSIONS, "folder-permissions", f.uid, f.title, e);
        continue;
      }
      const kept: Obj[] = [];
      const current: string[] = [];
      for (const g of live) {
        if (g.inherited === true) continue;
        const level = Number(g.permission);
        if (typeof g.role === "string" && g.role) {
          if (g.role === "Viewer" || g.role === "Editor") current.push(grantLabel(`role ${g.role}`, level));
          continue; // Admin: implicit, never sent
        }
        if (typeof g.teamId === "number" && g.teamId > 0) {
          // A team of ours the build no longer lists (named with teamPrefix) loses its grants.
          if (typeof g.team === "string" && isOwnedTeam(access, g.team)) current.push(grantLabel(`team ${g.team}`, level));
          else kept.push({ teamId: g.teamId, permission: level });
        } else if (typeof g.userId === "number" && g.userId > 0) kept.push({ userId: g.userId, permission: level });
      }
      const wanted = [
        ...f.roles.map((r) => grantLabel(`role ${r.role}`, PERMISSION_LEVEL[r.permission])),
        ...f.teams.map((t) => grantLabel(`team ${t.team}`, PERMISSION_LEVEL[t.permission])),
      ];
      const changes = [...wanted.filter((w) => !current.includes(w)).map((w) => `+${w}`), ...current.filter((c) => !wanted.includes(c)).map((c) => `-${c}`)].sort();
      const deps: Task[] = [...(folderTask?.run ? [folderTask] : []), ...f.teams.map((t) => p.find(TEAMS, t.team)).filter((t): t is Task => !!t?.run)];
      p.compared(
        FOLDER_PERMISSIONS,
        item,
        changes,
        async () => {
          const ids = idsOf(p);
          const missing = f.teams.find((t) => !ids.has(t.team));
          if (missing) throw new Error(`team "${missing.team}" could not be found or created`);
          const body = {
            items: [
              ...f.roles.map((r) => ({ role: r.role, permission: PERMISSION_LEVEL[r.permission] })),
              ...f.teams.map((t) => ({ teamId: ids.get(t.team)!, permission: PERMISSION_LEVEL[t.permission] })),
              ...kept,
            ],
          };
          const w = await p.client.request<Obj>("POST", path, { body });
          if (w.status !== 200) throw toHttpError("POST", path, w);
        },
        deps,
      );
    }
  },
};
