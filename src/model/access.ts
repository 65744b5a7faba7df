// Who may see which dashboard folder (the values: access in config/environments.ts). Grafana's Admin role sees every folder; everyone else sees a
// folder only through a grant here. Provisioning files cannot carry folder permissions, so
// `npm run push` applies these through Grafana's folder permissions API and creates the teams.
//
// v1: admin only (every folder maps to no grant). v2: the `ops` team views the service and
// infrastructure folders and edits none. Viewers without a grant see nothing.
import { z } from "zod";

export const FOLDER_PERMISSIONS = ["View", "Edit", "Admin"] as const;
export type FolderPermission = (typeof FOLDER_PERMISSIONS)[number];
/** Grafana's numeric permission levels in the folder permissions API. */
export const PERMISSION_LEVEL: Record<FolderPermission, number> = { View: 1, Edit: 2, Admin: 4 };

const permission = z.enum(FOLDER_PERMISSIONS);

export const accessSchema = z
  .object({
    /**
     * The start of every team name this project manages. Grafana's team has no field for an
     * ownership marker, so the name carries it: `npm run push -- --prune` deletes a team whose name
     * starts with this prefix and that `teams` no longer lists, and never any other team. Without
     * a prefix, teams are created but never deleted.
     */
    teamPrefix: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_.-]*[-_.:/]$/, 'a lower-case prefix ending in a separator (- _ . : /), e.g. "o11y-"')
      .optional(),
    /** Teams the push creates when missing: key → Grafana team name (and optional email). */
    teams: z
      .record(
        z.string().regex(/^[a-z][a-zA-Z0-9]*$/),
        z.object({ name: z.string().min(1), email: z.string().email().optional() }).strict(),
      )
      .default({}),
    /**
     * Every folder key of `folders` → its grants besides Admin: per team key, and per basic role
     * (Viewer / Editor: everyone with that org role). `{}` is admin only.
     */
    folders: z
      .record(
        z.string(),
        z
          .object({
            teams: z.record(z.string(), permission).default({}),
            roles: z.object({ Viewer: permission.optional(), Editor: permission.optional() }).strict().default({}),
          })
          .strict(),
      )
      .default({}),
  })
  .strict();

export type AccessConfig = z.infer<typeof accessSchema>;
