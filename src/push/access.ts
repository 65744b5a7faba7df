// Folder permissions and teams (src/model/access.ts, emitted as build/grafana/access.json): provisioning
// files cannot carry them, so the push applies them through Grafana's HTTP API, after the folders.
//
//   teams               GET /api/teams/search?name=… ; POST /api/teams for a missing one.
//                       Ownership: Grafana's team has no label, tag or free-form field (its API
//                       knows a name, an email and preferences), so the name carries the marker:
//                       teamPrefix, declared in config, starts the name of every team of the
//                       build. A team whose name starts with it is this project's; `--prune`
//                       deletes one the build no longer lists (DELETE /api/teams/<id>), and never
//                       any other team. Without a teamPrefix no team is ever deleted.
//   folder permissions  GET /api/folders/<uid>/permissions ; POST replaces the whole list, so the
//                       push sends what it does not manage back unchanged: grants to users and to
//                       teams that are not ours stay. What it manages — the grants of its own
//                       teams (those of the build, and any named with teamPrefix) and of the
//                       Viewer/Editor basic roles — it sets exactly as configured;
//                       Grafana's Admin role always sees everything and is never sent.
// A second push with nothing changed writes nothing. The planners are planners/teams.ts and
// planners/folderPermissions.ts.
import { UserError } from "../errors.js";
import type { BuildFile } from "./types.js";

export const ACCESS_FILE = "grafana/access.json";

export interface DesiredAccess {
  /** The start of the name of every team this project manages; absent: teams are never deleted. */
  teamPrefix?: string;
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
  if (doc.teamPrefix !== undefined && (typeof doc.teamPrefix !== "string" || !doc.teamPrefix)) throw bad("teamPrefix: expected a non-empty string");
  const teamPrefix = doc.teamPrefix as string | undefined;
  const teams = doc.teams.map((t, i) => {
    if (!isObj(t) || typeof t.name !== "string" || !t.name) throw bad(`teams[${i}]: expected {name, email?}`);
    if (teamPrefix !== undefined && !t.name.startsWith(teamPrefix)) throw bad(`teams[${i}]: "${t.name}" does not start with teamPrefix "${teamPrefix}"`);
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
  return { ...(teamPrefix !== undefined ? { teamPrefix } : {}), teams, folders };
}

/** Whether a live team is this project's: one of the build, or named with its teamPrefix. */
export function isOwnedTeam(access: DesiredAccess, name: string): boolean {
  return access.teams.some((t) => t.name === name) || (access.teamPrefix !== undefined && name.startsWith(access.teamPrefix));
}

/** One grant as compared and reported: "team ops: View", "role Viewer: View". */
export const grantLabel = (who: string, level: number) => `${who}: ${NAME_OF_LEVEL.get(level) ?? level}`;

