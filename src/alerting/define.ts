// What an alert definition file exports. Alerts and SLOs are written once, as typed objects, in
// alerts/; the build turns them into Prometheus rule files, an Alertmanager configuration and, when
// enabled, Grafana-managed alert provisioning. Annotations every alert needs (runbook_url,
// dashboard_url) are added by the build, not written per alert.
import type { Config, ServiceKey } from "../model/config.js";

export const SEVERITIES = ["critical", "warning"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A panel of a dashboard this build emits, by dashboard uid and panel title (ids are assigned at build time). */
export interface PanelRef {
  dashboard: string;
  panel: string;
}

/**
 * Where the alert is seen: one panel, or one panel per value of the alert's job label (a rule that
 * covers services with a dashboard each).
 */
export type DashboardLink = PanelRef | { byJob: Record<string, PanelRef> };

export interface AlertSpec {
  /** The alertname, PascalCase; docs/runbooks/<name>.md must exist. */
  name: string;
  severity: Severity;
  /**
   * PromQL (a logql group: a LogQL metric query) returning the series that breach, with the value shown as $value. It must return
   * nothing when there is no traffic and when its metrics are absent (use the helpers in
   * src/query/build.ts: rateRatio() filters out zero denominators).
   */
  expr: string;
  /** How long the condition must hold before the alert fires, e.g. "5m". */
  for: string;
  /** One line; Prometheus template syntax: {{ $labels.job }}, {{ $value | humanizePercentage }}. */
  summary: string;
  description: string;
  /** Extra labels; severity is set from `severity`. */
  labels?: Record<string, string>;
  dashboard: DashboardLink;
  /**
   * Tells apart rules sharing one alertname at different severities (e.g. a warning for the jobs an
   * SLO pages for, critical elsewhere); part of the Grafana title and uid.
   */
  variant?: string;
}

/** A recording rule: the series `record` holds what `expr` evaluates to. */
export interface RecordSpec {
  /** The recorded series, level:metric:operations (e.g. service:log_lines_error:rate5m). */
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

/**
 * The query language of a group's rules. promql groups go to Prometheus (build/prometheus/rules/);
 * logql groups to the Loki ruler (build/loki/rules/<tenant>/<group>.yaml): every expression must be
 * a LogQL metric query over the log streams of config.services.
 */
export type RuleLanguage = "promql" | "logql";

export interface AlertContext {
  config: Config;
  thresholds: Config["alerting"]["thresholds"];
  /** The Prometheus job of a configured service. */
  job(service: ServiceKey): string;
}

export interface AlertGroupDefinition {
  kind: "alert-group";
  /** Rule group name and file name: build/prometheus/rules/<name>.yaml (logql: build/loki/rules/<tenant>/<name>.yaml). */
  name: string;
  /** Evaluation interval of the group; Prometheus' global one when absent. */
  interval?: string;
  /** Default promql. logql: evaluated by the Loki ruler (see RuleLanguage). */
  language?: RuleLanguage;
  alerts(ctx: AlertContext): AlertSpec[];
  /** Recording rules of the group, in the group's language (log-derived metrics for logql). */
  records?(ctx: AlertContext): RecordSpec[];
  /** Set by the collector: the file the definition came from, for error messages. */
  file?: string;
}

export interface SloSpec {
  /** Alertname of the SLO's burn-rate alerts (one rule per window pair). */
  alert: string;
  /** What the SLO is about, in words, for annotations: "FastAPI availability". */
  title: string;
  /** Target share of good events over 30 days, e.g. 0.999. */
  objective: number;
  /**
   * Counter selectors: good events and all events, e.g. http_requests_total{job="fastapi", status!~"5.."}
   * and http_requests_total{job="fastapi"}. The build rates them over each window.
   */
  good: string;
  total: string;
  /** Labels the SLI keeps (default ["job"]). */
  by?: string[];
  /**
   * The good series may be absent while there is traffic, and then means "no good events" (e.g. a
   * non-5xx selector when every request failed). Leave false where an absent good series can only
   * mean a wrong selector (a histogram bucket always exists): counting it as 0 would page.
   */
  goodMayBeAbsent?: boolean;
  dashboard: DashboardLink;
}

export interface SloDefinition {
  kind: "slo";
  /** slo label value and rule group name (slo-<name>). */
  name: string;
  build(ctx: AlertContext): SloSpec;
  file?: string;
}

export type AlertingDefinition = AlertGroupDefinition | SloDefinition;

export function defineAlertGroup(d: Omit<AlertGroupDefinition, "kind">): AlertGroupDefinition {
  return { kind: "alert-group", ...d };
}

export function defineSlo(d: Omit<SloDefinition, "kind">): SloDefinition {
  return { kind: "slo", ...d };
}

export function alertContext(config: Config): AlertContext {
  return { config, thresholds: config.alerting.thresholds, job: (service) => config.services[service].job };
}
