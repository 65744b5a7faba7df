// The shape of build/ops/dashboards.json: what a backend (the Ops UI) needs to deep-link into the
// dashboards without querying Prometheus, Loki or Tempo itself. Documented as a JSON Schema in
// schemas/ops-dashboards.schema.json; URLs are built with ./dashboardUrl.ts.

export interface OpsVariable {
  name: string;
  label: string;
  /** The value the dashboard opens with (several for a multi-value variable); null when Grafana picks. */
  default: string | string[] | null;
  /** The URL query parameter that sets it: var-<name>. */
  param: string;
}

export interface OpsPanel {
  /** Stable: follows the panel's key (see README, "Adding a dashboard"). */
  id: number;
  title: string;
  /** Grafana's panel type (timeseries, stat, table, logs, …). */
  kind: string;
  description: string;
  /** /d/<uid>/<slug>?viewPanel=<id> */
  path: string;
  /** /d-solo/<uid>/<slug>?panelId=<id> (an embeddable panel alone) */
  soloPath: string;
}

export interface OpsDashboard {
  uid: string;
  title: string;
  folder: { uid: string; title: string };
  tags: string[];
  /** /d/<uid>/<slug> */
  path: string;
  variables: OpsVariable[];
  panels: OpsPanel[];
}

export interface OpsAlertLink {
  /** Set when the alert links a different panel per job (the alert's job label). */
  job?: string;
  dashboardUid: string;
  panelId: number;
}

export interface OpsAlert {
  name: string;
  severity: string;
  group: string;
  links: OpsAlertLink[];
}

export interface OpsIndex {
  generator: "grafana-as-code";
  env: string;
  dashboards: OpsDashboard[];
  alerts: OpsAlert[];
}
