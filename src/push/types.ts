import type { DesiredAccess } from "./access.js";
// Shapes shared by the push: what the build asks for (desired state, already in the HTTP API's
// form), and what the push did with each object.

export interface BuildFile {
  /** Relative to the build root, with forward slashes, e.g. grafana/provisioning/dashboards/ml/x.json */
  path: string;
  content: string;
}

export type Kind = "folders" | "datasources" | "dashboards" | "rule-groups" | "contact-points" | "policies" | "teams" | "folder-permissions";

export const KINDS: readonly Kind[] = [
  "folders",
  "datasources",
  "dashboards",
  "rule-groups",
  "contact-points",
  "policies",
  "teams",
  "folder-permissions",
] as const;

export interface DesiredFolder {
  uid: string;
  title: string;
  parentUid?: string;
}

/** POST /api/datasources and PUT /api/datasources/uid/:uid body, env vars already expanded. */
export interface DesiredDatasource {
  uid: string;
  name: string;
  type: string;
  access: string;
  url?: string;
  user?: string;
  database?: string;
  isDefault: boolean;
  basicAuth: boolean;
  basicAuthUser?: string;
  withCredentials?: boolean;
  jsonData: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
}

export interface DesiredDashboard {
  uid: string;
  title: string;
  folderUid: string;
  /** The dashboard model as it will be sent (no id, no version, ownership tag added). */
  model: Record<string, unknown>;
  file: string;
}

/** The provisioning API's rule shape (PUT /api/v1/provisioning/folder/:folderUid/rule-groups/:group). */
export interface ApiAlertRule {
  uid: string;
  title: string;
  folderUID: string;
  ruleGroup: string;
  condition: string;
  data: Array<{
    refId: string;
    queryType?: string;
    relativeTimeRange: { from: number; to: number };
    datasourceUid: string;
    model: Record<string, unknown>;
  }>;
  noDataState: string;
  execErrState: string;
  for: string;
  /** The API's spelling (the provisioning file says keepFiringFor). */
  keep_firing_for?: string;
  annotations: Record<string, string>;
  labels: Record<string, string>;
  isPaused: boolean;
  notification_settings?: Record<string, unknown>;
  record?: Record<string, unknown>;
  orgID?: number;
}

export interface DesiredRuleGroup {
  title: string;
  folderUid: string;
  /** Seconds. */
  interval: number;
  rules: ApiAlertRule[];
  file: string;
}

export interface DesiredContactPoint {
  uid: string;
  name: string;
  type: string;
  settings: Record<string, unknown>;
  disableResolveMessage: boolean;
}

export interface DesiredState {
  folders: DesiredFolder[];
  datasources: DesiredDatasource[];
  dashboards: DesiredDashboard[];
  ruleGroups: DesiredRuleGroup[];
  contactPoints: DesiredContactPoint[];
  /** The notification policy tree, if the build has one. */
  policy?: Record<string, unknown>;
  /** Folder permissions and teams (build/grafana/access.json); absent: the push leaves access alone. */
  access?: DesiredAccess;
  /** orgId values seen in the files, for a warning when they differ from the target org. */
  orgIds: number[];
  /** Values substituted from the environment into secret fields; redacted from every output. */
  secrets: string[];
  warnings: string[];
}

export type Op = "create" | "update" | "unchanged" | "delete";
export type Status = "created" | "updated" | "unchanged" | "deleted" | "failed" | "planned";

export interface ItemResult {
  kind: Kind;
  id: string;
  title?: string;
  /** What the plan decided; undefined when the live object could not even be read. */
  op?: Op;
  status: Status;
  /** Field paths that differ (never values: they may hold secrets). */
  changes?: string[];
  error?: string;
  note?: string;
}
