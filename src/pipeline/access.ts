// build/grafana/access.json: the folder permissions and teams of src/model/access.ts, for
// `npm run push` (provisioning files cannot carry folder permissions). Outside provisioning/, so
// Grafana's file provider never reads it.
import type { Config } from "../model/config.js";
import { compareText } from "../emit/textOrder.js";

export const ACCESS_PATH = "grafana/access.json";

export interface AccessDocument {
  generator: "grafana-as-code";
  /** The start of the names of the teams this project manages (absent: teams are never deleted). */
  teamPrefix?: string;
  /** Teams the push creates when missing. */
  teams: { name: string; email?: string }[];
  /** Every folder of the build with its grants besides Admin (none = admin only). */
  folders: { uid: string; title: string; teams: { team: string; permission: string }[]; roles: { role: string; permission: string }[] }[];
}

export function accessDocument(config: Config): AccessDocument {
  const teamName = (key: string) => config.access.teams[key].name;
  const folders = Object.entries(config.folders)
    .map(([key, f]) => {
      const grants = config.access.folders[key] ?? { teams: {}, roles: {} };
      return {
        uid: f.uid,
        title: f.title,
        teams: Object.entries(grants.teams)
          .map(([team, permission]) => ({ team: teamName(team), permission }))
          .sort((a, b) => compareText(a.team, b.team)),
        roles: Object.entries(grants.roles)
          .filter(([, p]) => p !== undefined)
          .map(([role, permission]) => ({ role, permission: permission! }))
          .sort((a, b) => compareText(a.role, b.role)),
      };
    })
    .sort((a, b) => compareText(a.uid, b.uid));
  const teams = Object.values(config.access.teams)
    .map((t) => ({ name: t.name, ...(t.email ? { email: t.email } : {}) }))
    .sort((a, b) => compareText(a.name, b.name));
  const prefix = config.access.teamPrefix;
  return { generator: "grafana-as-code", ...(prefix !== undefined ? { teamPrefix: prefix } : {}), teams, folders };
}
