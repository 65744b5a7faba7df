// What is firing, on the dashboards: the alert list on Home and an annotation of firing alerts on each
// service dashboard.
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import type { Config } from "../../config/index.js";
import { datasources } from "../../datasources/index.js";
import { DATASOURCE_UIDS } from "../../src/datasourceUids.js";
import { PROMETHEUS_VAR } from "../../src/presets/targets.js";
import { regexLiteral } from "../../src/query/build.js";

/**
 * Firing alerts of `jobs` as annotations, from the ALERTS series Prometheus keeps for the rules it
 * evaluates. Grafana's built-in "Annotations & Alerts" only shows Grafana-managed alerts, which the
 * default alerting mode (prometheus) has none of; ALERTS exists in every mode, as the SLO recording
 * rules always run in Prometheus.
 */
export function firingAlertsAnnotation(jobs: string[]): dashboard.AnnotationQueryBuilder {
  const job = jobs.length === 1 ? `job="${jobs[0]}"` : `job=~"${jobs.map(regexLiteral).join("|")}"`;
  return new dashboard.AnnotationQueryBuilder()
    .name("Firing alerts")
    .datasource(PROMETHEUS_VAR)
    .enable(true)
    .iconColor("red")
    .expr(`ALERTS{alertstate="firing", ${job}}`)
    .step("60s")
    .titleFormat("{{alertname}}")
    .textFormat("{{severity}} alert on {{job}}")
    .tagKeys("severity,job");
}

/** The options of Grafana's alert list panel (unified alerting), as its panel editor saves them. */
interface AlertListOptions {
  viewMode: "list" | "stat";
  groupMode: "default" | "custom";
  groupBy: string[];
  maxItems: number;
  /** 1 alphabetical, 3 importance (firing first), 4 time. */
  sortOrder: 1 | 2 | 3 | 4 | 5;
  dashboardAlerts: boolean;
  alertName: string;
  alertInstanceLabelFilter: string;
  /** Rule source by datasource name; "grafana" for Grafana-managed rules, "" for all sources. */
  datasource: string;
  showInstances: boolean;
  stateFilter: { firing: boolean; pending: boolean; noData: boolean; normal: boolean; error: boolean };
}

/** Which rules the alert list reads: Prometheus' own, Grafana's, or both, as config.alerting.mode says. */
export function alertRuleSource(config: Config): string {
  // Grafana's alert list selects a rule source by datasource name, not uid.
  const prometheus = datasources(config).find((d) => d.uid === DATASOURCE_UIDS.prometheus)!.name;
  return { prometheus, grafana: "grafana", both: "" }[config.alerting.mode];
}

/** Grafana's alert list: firing and pending alerts, most important first, each instance with its labels. */
export function alertListPanel(
  config: Config,
  p: { title: string; description: string; width?: number; height?: number },
): cog.Builder<dashboard.Panel> {
  const options: AlertListOptions = {
    viewMode: "list",
    groupMode: "default",
    groupBy: [],
    maxItems: 20,
    sortOrder: 3,
    dashboardAlerts: false,
    alertName: "",
    alertInstanceLabelFilter: "",
    datasource: alertRuleSource(config),
    showInstances: true,
    stateFilter: { firing: true, pending: true, noData: false, normal: false, error: true },
  };
  const panel = {
    type: "alertlist",
    title: p.title,
    description: p.description,
    gridPos: { x: 0, y: 0, w: p.width ?? 24, h: p.height ?? 8 },
    options,
  } as unknown as dashboard.Panel;
  return { build: () => structuredClone(panel) };
}
