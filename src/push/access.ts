// Folder permissions and teams (src/model/access.ts, emitted as build/grafana/access.json): provisioning
// files cannot carry them, so the push applies them through Grafana's HTTP API, after the folders.
//
//   teams               GET /api/teams/search?name=… ; POST /api/teams for a missing one. Teams are
//                       never deleted: Grafana's team has no field to mark it as this project's.
//   folder permissions  GET /api/folders/<uid>/permissions ; POST replaces the whole list, so the
//                       push sends what it does not manage back unchanged: grants to users and to
//                       teams outside access.teams stay. What it manages — the grants of its own
//                       teams and of the Viewer/Editor basic roles — it sets exactly as configured;
//                       Grafana's Admin role always sees everything and is never sent.
// A second push with nothing changed writes nothing. The planners are planners/teams.ts and
// planners/folderPermissions.ts.
import { UserError } from "../errors.js";
import type { BuildFile } from "./types.js";

export const ACCESS_FILE = "grafana/access.json";

export interface DesiredAccess {
  teams: { name: string; email?: string }[];
  folders: { uid: string; title: string; teams: { team: string; permission: FolderPermission }[]; roles: { role: "Viewer" | "Editor"; permission: FolderPermission }[] }[];
}

export type FolderPermission = "View" | "Edit" | "Admin";
/** Grafana's permission levels in the folder permissions API. */
export const PERMISSION_LEVEL: Record<FolderPermission, number> = { View: 1, Edit: 2, Admin: 4 };

export type Obj = Record<string, unknown>;
/** What Grafana grants on a folder it creates (everyone with the Viewer or Editor role sees it). */
export const NEW_FOLDER_GRANTS: Obj[] = [
  { role: "Viewer", permission: 1 },
  { role: "Editor", permission: 2 },
];
export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
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
export const grantLabel = (who: string, level: number) => `${who}: ${NAME_OF_LEVEL.get(level) ?? level}`;

