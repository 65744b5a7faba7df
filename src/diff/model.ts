// The shape of a semantic diff report. Renderers (text, Markdown, JSON) and the pictures read only
// this; `npm run diff -- --format json` prints it as is.
import type { QueryLanguage } from "./format.js";
import type { Segment } from "./text.js";
import type { Json, ValueChange } from "./values.js";

export type Status = "added" | "removed" | "changed";

export interface Side {
  /** What was built: a git ref, "working tree", or a directory. */
  label: string;
  ref?: string;
  commit?: string;
  dir: string;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A panel or row as the diff sees it. */
export interface PanelRef {
  id?: number;
  title: string;
  type: string;
  gridPos?: Box;
  /** Title of the row the panel sits under ("" when above the first row). */
  row: string;
}

/** A semantic property of a panel, variable or dashboard that differs. */
export interface FieldChange {
  /** What it is, for people: title, description, unit, thresholds, legend, visualisation, datasource, option, ... */
  field: string;
  /** Where it is in the JSON, e.g. fieldConfig.defaults.unit. */
  path: string;
  before?: Json;
  after?: Json;
  secret?: true;
  /** Word-level diff when both sides are (long) strings. */
  words?: Segment[];
}

export interface QueryChange {
  refId: string;
  status: Status;
  lang: QueryLanguage;
  /** Query text (expr, query, ...) on each side, when it has one. */
  before?: string;
  after?: string;
  /** Set when the query text differs. */
  words?: Segment[];
  /** Other target settings (legend format, instant, datasource, ...). */
  fields: FieldChange[];
}

export interface PanelChange {
  status: Status;
  kind: "panel" | "row";
  before?: PanelRef;
  after?: PanelRef;
  /** Display title (head side when it exists). */
  title: string;
  moved: boolean;
  resized: boolean;
  /** Properties that differ (title, description, unit, thresholds, legend, visualisation, row, options...). */
  fields: FieldChange[];
  queries: QueryChange[];
}

export interface NamedChange {
  name: string;
  /** In configuration sections: the list the item belongs to (scrape_configs, receivers, contactPoints...). */
  list?: string;
  status: Status;
  fields: FieldChange[];
  /** The whole item when added or removed (secrets redacted). */
  value?: Json;
}

export interface DashboardChange {
  uid: string;
  status: Status;
  title: string;
  titleBefore?: string;
  folder: { before?: string; after?: string };
  file: { before?: string; after?: string };
  /** Panel and row counts on each side. */
  panelCount: { before: number; after: number };
  settings: FieldChange[];
  panels: PanelChange[];
  variables: NamedChange[];
  links: NamedChange[];
  annotations: NamedChange[];
  /**
   * Panels whose id changed: ids follow a panel's identity (its key, else its title), so this means
   * the identity changed and links with the old viewPanel= id no longer open the panel.
   */
  idChanges: { title: string; titleBefore?: string; before: number; after: number }[];
  images?: { svg: string; png?: string };
}

export interface DatasourceChange {
  uid: string;
  name: string;
  type: string;
  status: Status;
  url: { before?: string; after?: string };
  /** Each differing setting, categorised; secret ones carry no values. */
  fields: (FieldChange & { category: "url" | "correlation" | "secret" | "setting" })[];
  /** Secret-related fields present on an added or removed datasource (names only). */
  secretFields?: string[];
}

export interface RuleChange {
  group: string;
  name: string;
  kind: "alert" | "record";
  source: "prometheus" | "grafana";
  status: Status;
  file: { before?: string; after?: string };
  expr: { before?: string; after?: string; words?: Segment[]; lang: QueryLanguage };
  /** The expression differs only in numeric literals: the threshold(s) moved from → to. */
  threshold?: { before: string[]; after: string[] };
  for?: { before?: string; after?: string };
  severity?: { before?: string; after?: string };
  labels: FieldChange[];
  annotations: FieldChange[];
  /** Anything else (keep_firing_for, Grafana query settings, no-data state, ...). */
  fields: FieldChange[];
  /** Grafana rules: queries other than the condition's text. */
  queries?: QueryChange[];
}

export interface GroupSettingsChange {
  group: string;
  source: "prometheus" | "grafana";
  status: Status;
  fields: ValueChange[];
}

export interface SectionChange {
  /** e.g. "Prometheus", "Alertmanager", "Grafana alerting", "Folders". */
  section: string;
  items: NamedChange[];
  settings: ValueChange[];
}

export interface FileChange {
  path: string;
  status: Status;
  note?: string;
}

export interface Counts {
  dashboardsAdded: number;
  dashboardsRemoved: number;
  dashboardsChanged: number;
  panelsAdded: number;
  panelsRemoved: number;
  panelsChanged: number;
  panelsMoved: number;
  rowsAdded: number;
  rowsRemoved: number;
  rowsChanged: number;
  queriesAdded: number;
  queriesRemoved: number;
  queriesChanged: number;
  variablesAdded: number;
  variablesRemoved: number;
  variablesChanged: number;
  linksChanged: number;
  alertsAdded: number;
  alertsRemoved: number;
  alertsChanged: number;
  alertThresholdsChanged: number;
  alertSeveritiesChanged: number;
  recordingRulesAdded: number;
  recordingRulesRemoved: number;
  recordingRulesChanged: number;
  ruleGroupsChanged: number;
  datasourcesAdded: number;
  datasourcesRemoved: number;
  datasourcesChanged: number;
  foldersAdded: number;
  foldersRemoved: number;
  foldersChanged: number;
  scrapeJobsChanged: number;
  /** Alertmanager receivers. */
  receiversChanged: number;
  /** Grafana contact points. */
  contactPointsChanged: number;
  otherChanges: number;
}

export interface DiffReport {
  version: 1;
  base: Side;
  head: Side;
  changed: boolean;
  /** One line: "3 dashboards changed, 5 panels added, ..." or "No changes". */
  headline: string;
  counts: Counts;
  dashboards: DashboardChange[];
  datasources: DatasourceChange[];
  alerts: RuleChange[];
  ruleGroups: GroupSettingsChange[];
  /** Folders, Prometheus configuration, Alertmanager, other Grafana alerting resources. */
  sections: SectionChange[];
  files: FileChange[];
  /** Files that could not be read on either side. */
  warnings: string[];
}
