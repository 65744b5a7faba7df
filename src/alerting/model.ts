// The one internal shape every alerting output is emitted from: rule groups holding alerting and
// recording rules, Prometheus' own model. Alert definitions and SLOs are expanded into it; the
// cross-cutting annotations are added to it; Prometheus rule files, Grafana-managed rules and the
// tests' promtool runs all read it.
import type { DashboardLink, Severity } from "./define.js";

export interface AlertRule {
  kind: "alert";
  /** The alertname. Several rules may share one (an SLO's window pairs); `variant` tells them apart. */
  name: string;
  expr: string;
  for: string;
  /** Includes severity. */
  labels: Record<string, string> & { severity: Severity };
  /** summary and description from the definition; runbook_url and dashboard_url added by links.ts. */
  annotations: Record<string, string>;
  dashboard: DashboardLink;
  /** e.g. "1h/5m" for an SLO window pair: part of the Grafana title and uid. */
  variant?: string;
  /** Set by links.ts for a single-panel link: Grafana-managed rules are attached to that panel. */
  panel?: { dashboardUid: string; panelId: number };
}

export interface RecordingRule {
  kind: "record";
  record: string;
  expr: string;
  labels: Record<string, string>;
}

export type Rule = AlertRule | RecordingRule;

export interface RuleGroup {
  /** Prometheus rule group name; also the rule file name. */
  name: string;
  /** Definition file, relative to the repository, for messages and file headers. */
  file: string;
  interval?: string;
  /** Set on a group of LogQL rules, which the Loki ruler evaluates (src/alerting/lokiRules.ts). */
  language?: "logql";
  rules: Rule[];
  /** Set on an SLO's group: problems in its recording rules name the SLO and its alert. */
  slo?: { name: string; alert: string };
}

export function alertRules(groups: RuleGroup[]): { group: RuleGroup; rule: AlertRule }[] {
  return groups.flatMap((group) => group.rules.filter((r): r is AlertRule => r.kind === "alert").map((rule) => ({ group, rule })));
}

export function recordingRules(groups: RuleGroup[]): { group: RuleGroup; rule: RecordingRule }[] {
  return groups.flatMap((group) => group.rules.filter((r): r is RecordingRule => r.kind === "record").map((rule) => ({ group, rule })));
}
