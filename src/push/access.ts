// Folder permissions and teams (config/access.ts, emitted as build/grafana/access.json): provisioning
// files cannot carry them, so the push applies them through Grafana's HTTP API, after the folders.
//
//   teams               GET /api/teams/search?name=… ; POST /api/teams for a missing one. Teams are
//                       never deleted: Grafana's team has no field to mark it as this project's.
//   folder permissions  GET /api/folders/<uid>/permissions ; POST replaces the whole list, so the
//                       push sends what it does not manage back unchanged: grants to users and to
//                       teams outside access.teams stay. What it manages — the grants of its own
//                       teams and of the Viewer/Editor basic roles — it sets exactly as configured;
//                       Grafana's Admin role always sees everything and is never sent.
// A second push with nothing changed reads and writes nothing (0 writes).
import { UserError } from "../errors.js";
import { toHttpError, type GrafanaClient } from "./http.js";
import type { BuildFile, ItemResult } from "./types.js";

export const ACCESS_FILE = "grafana/access.json";

export interface DesiredAccess {
  teams: { name: string; email?: string }[];
  folders: { uid: string; title: string; teams: { team: string; permission: FolderPermission }[]; roles: { role: "Viewer" | "Editor"; permission: FolderPermission }[] }[];
}

type FolderPermission = "View" | "Edit" | "Admin";
/** Grafana's permission levels in the folder permissions API. */
const PERMISSION_LEVEL: Record<FolderPermission, number> = { View: 1, Edit: 2, Admin: 4 };

type Obj = Record<string, unknown>;
/** What Grafana grants on a folder it creates (everyone with the Viewer or Editor role sees it). */
const NEW_FOLDER_GRANTS: Obj[] = [
  { role: "Viewer", permission: 1 },
  { role: "Editor", permission: 2 },
];
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const PERMISSIONS = Object.keys(PERMISSION_LEVEL) as FolderPermission[];
const NAME_OF_LEVEL = new Map(Object.entries(PERMISSION_LEVEL).map(([n, l]) => [l, n]));

/** Reads build/grafana/access.json; none in the tree means the push leaves access alone. */
export function parseAccess(files: BuildFile[]): DesiredAccess | undefined {
  const f = files.find((x) => x.path === ACCESS_FILE);
  if (!f) return undefined;
  const bad = (why: string) => new UserError(`${ACCESS_FILE}: ${why}`);
  let doc: unknown;
  try {
    doc = JSON.parse(f.content);
  } catch (e) {
    throw bad(`not JSON: ${(e as Error).message}`);
  }
  if (!isObj(doc) || !Array.isArray(doc.teams) || !Array.isArray(doc.folders)) throw bad("expected {teams: [...], folders: [...]}");
  const teams = doc.teams.map((t, i) => {
    if (!isObj(t) || typeof t.name !== "string" || !t.name) throw bad(`teams[${i}]: expected {name, email?}`);
    return { name: t.name, ...(typeof t.email === "string" ? { email: t.email } : {}) };
  });
  const permission = (p: unknown, at: string): FolderPermission => {
    if (!PERMISSIONS.includes(p as FolderPermission)) throw bad(`${at}: permission must be one of ${PERMISSIONS.join(", ")}`);
    return p as FolderPermission;
  };
  const folders = doc.folders.map((x, i) => {
    if (!isObj(x) || typeof x.uid !== "string" || !Array.isArray(x.teams) || !Array.isArray(x.roles)) throw bad(`folders[${i}]: expected {uid, title, teams, roles}`);
    return {
      uid: x.uid,
      title: typeof x.title === "string" ? x.title : x.uid,
      teams: x.teams.map((g, j) => {
        const at = `folders[${i}].teams[${j}]`;
        if (!isObj(g) || typeof g.team !== "string" || !teams.some((t) => t.name === g.team)) throw bad(`${at}: names no team of teams`);
        return { team: g.team, permission: permission(g.permission, at) };
      }),
      roles: x.roles.map((g, j) => {
        const at = `folders[${i}].roles[${j}]`;
        if (!isObj(g) || (g.role !== "Viewer" && g.role !== "Editor")) throw bad(`${at}: role must be Viewer or Editor`);
        return { role: g.role as "Viewer" | "Editor", permission: permission(g.permission, at) };
      }),
    };
  });
  return { teams, folders };
}

/** One grant as compared and reported: "team ops: View", "role Viewer: View". */
const grantLabel = (who: string, level: number) => `${who}: ${NAME_OF_LEVEL.get(level) ?? level}`;

async function findTeam(client: GrafanaClient, name: string): Promise<number | undefined> {
  const path = `/api/teams/search?name=${encodeURIComponent(name)}`;
  const res = await client.request<Obj>("GET", path);
  if (res.status === 404) return undefined;
  if (res.status !== 200 || !isObj(res.body) || !Array.isArray(res.body.teams)) throw toHttpError("GET", path, res);
  const team = (res.body.teams as unknown[]).find((t) => isObj(t) && t.name === name) as Obj | undefined;
  return typeof team?.id === "number" ? team.id : undefined;
}

export async function pushAccess(o: { client: GrafanaClient; access: DesiredAccess; dryRun: boolean }): Promise<ItemResult[]> {
  const { client, access } = o;
  const items: ItemResult[] = [];
  const teamIds = new Map<string, number>();
  const fail = (item: ItemResult, e: unknown) => Object.assign(item, { status: "failed", error: (e as Error).message ?? String(e) });

  for (const t of access.teams) {
    const item: ItemResult = { kind: "teams", id: t.name, status: "planned" };
    items.push(item);
    try {
      const id = await findTeam(client, t.name);
      if (id !== undefined) {
        teamIds.set(t.name, id);
        Object.assign(item, { op: "unchanged", status: o.dryRun ? "planned" : "unchanged" });
        continue;
      }
      item.op = "create";
      if (o.dryRun) continue;
      const res = await client.request<Obj>("POST", "/api/teams", { body: { name: t.name, ...(t.email ? { email: t.email } : {}) } });
      if (res.status !== 200 || !isObj(res.body) || typeof res.body.teamId !== "number") throw toHttpError("POST", "/api/teams", res);
      teamIds.set(t.name, res.body.teamId);
      item.status = "created";
    } catch (e) {
      fail(item, e);
    }
  }

  const ours = new Set(access.teams.map((t) => t.name));
  for (const f of access.folders) {
    const item: ItemResult = { kind: "folder-permissions", id: f.uid, title: f.title, status: "planned" };
    items.push(item);
    const path = `/api/folders/${encodeURIComponent(f.uid)}/permissions`;
    try {
      const res = await client.request<unknown>("GET", path);
      // In a dry run a folder the push would create is not there yet: it will have what Grafana gives a new folder.
      const live = res.status === 404 && o.dryRun ? NEW_FOLDER_GRANTS : res.status === 200 && Array.isArray(res.body) ? (res.body as unknown[]).filter(isObj) : undefined;
      if (!live) throw toHttpError("GET", path, res);
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
          if (typeof g.team === "string" && ours.has(g.team)) current.push(grantLabel(`team ${g.team}`, level));
          else kept.push({ teamId: g.teamId, permission: level });
        } else if (typeof g.userId === "number" && g.userId > 0) kept.push({ userId: g.userId, permission: level });
      }
      const wanted = [...f.roles.map((r) => grantLabel(`role ${r.role}`, PERMISSION_LEVEL[r.permission])), ...f.teams.map((t) => grantLabel(`team ${t.team}`, PERMISSION_LEVEL[t.permission]))];
      const changes = [...wanted.filter((w) => !current.includes(w)).map((w) => `+${w}`), ...current.filter((c) => !wanted.includes(c)).map((c) => `-${c}`)].sort();
      if (!changes.length) {
        Object.assign(item, { op: "unchanged", status: o.dryRun ? "planned" : "unchanged" });
        continue;
      }
      Object.assign(item, { op: "update", changes });
      if (o.dryRun) continue;
      const missing = f.teams.find((t) => !teamIds.has(t.team));
      if (missing) throw new Error(`team "${missing.team}" could not be found or created`);
      const body = {
        items: [
          ...f.roles.map((r) => ({ role: r.role, permission: PERMISSION_LEVEL[r.permission] })),
          ...f.teams.map((t) => ({ teamId: teamIds.get(t.team)!, permission: PERMISSION_LEVEL[t.permission] })),
          ...kept,
        ],
      };
      const w = await client.request<Obj>("POST", path, { body });
      if (w.status !== 200) throw toHttpError("POST", path, w);
      item.status = "updated";
    } catch (e) {
      fail(item, e);
    }
  }
  return items;
}
