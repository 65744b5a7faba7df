// Grafana-managed alerting, provisioned from files (alerting.mode grafana or both): rule groups,
// contact points and the notification policy, under build/grafana/provisioning/alerting/.
//
// Rules are built with the Foundation SDK's alerting builders, which produce the HTTP API shape
// (folderUID, ruleGroup, orgID on every rule, interval in seconds). Grafana's file provisioning
// reads another shape, so toFileGroup() converts deliberately:
//   rule.folderUID / ruleGroup / orgID   → group.folder (title) / group.name / group.orgId
//   group.interval (seconds)             → group.interval "60s"
//   id, provenance, updated              → dropped (Grafana owns them)
//   panel link                           → rule.dashboardUid + rule.panelId
// Each rule evaluates the very PromQL Prometheus would (query A, instant) and fires for every series
// it returns (math B: is_number($A) || is_nan($A) || is_inf($A)), so both modes alert on the same
// condition. In annotations $value becomes $values.A.Value: Grafana's $value is a text listing all
// queries' values.
//
// Escaping: Grafana expands $VAR / ${VAR} in provisioning files and reads $$ as "$", but not in every
// field of an alert rule. Since Grafana 9.2 a rule's annotations and its queries' models are read
// raw (pkg/services/provisioning/alerting/rules_types.go: Annotations and Model use .Raw, so
// templates such as {{ $labels.job }} and math like $A keep their "$"); everything else (title,
// labels, for, ...) is expanded. grafanaRulesValue() escapes exactly the expanded fields: escaping
// an annotation would hand Grafana the broken template "{{ $$labels.job }}". Contact points and the
// policy are expanded throughout and escaped as a whole (toProvisioningValue; secrets as ${VAR}).
import { ContactPointBuilder, NotificationPolicyBuilder, QueryBuilder, RuleBuilder, RuleGroupBuilder } from "@grafana/grafana-foundation-sdk/alerting";
import type { ContactPoint, NotificationPolicy, Rule, RuleGroup as SdkRuleGroup } from "@grafana/grafana-foundation-sdk/alerting";
import { TypeMathBuilder } from "@grafana/grafana-foundation-sdk/expr";
import { DataqueryBuilder } from "@grafana/grafana-foundation-sdk/prometheus";
import { createHash } from "node:crypto";
import type { Config } from "../model/config.js";
import { DATASOURCE_UIDS } from "../datasourceUids.js";
import { envRef, toProvisioningValue } from "../emit/provisioningYaml.js";
import { RECEIVER_OF } from "./alertmanager.js";
import { seconds } from "./slo.js";
import type { AlertRule, RuleGroup } from "./model.js";

export const GRAFANA_ALERTING_DIR = "grafana/provisioning/alerting";
export const GRAFANA_FILES = {
  rules: `${GRAFANA_ALERTING_DIR}/rules.yaml`,
  contactPoints: `${GRAFANA_ALERTING_DIR}/contact-points.yaml`,
  policies: `${GRAFANA_ALERTING_DIR}/notification-policies.yaml`,
} as const;

const EXPR_UID = "__expr__";
/** Query A looks back this far; the PromQL's own ranges are independent of it. */
const LOOKBACK_SECONDS = 600;
export const CONDITION_EXPRESSION = "is_number($A) || is_nan($A) || is_inf($A)";

/** Grafana rule uids: 1-40 of [a-zA-Z0-9_-], stable across builds. */
export function grafanaRuleUid(rule: Pick<AlertRule, "name" | "variant">): string {
  const slug = [rule.name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2"), rule.variant ?? ""]
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  if (slug.length <= 40) return slug;
  const hash = createHash("sha256").update(slug).digest("hex").slice(0, 8);
  return `${slug.slice(0, 31).replace(/-$/, "")}-${hash}`;
}

/**
 * Title of the Grafana rule (its alertname there). Rules sharing an alertname (an SLO's window pairs)
 * get their variant appended: Grafana before 12 requires titles unique within a folder.
 */
export function grafanaRuleTitle(rule: Pick<AlertRule, "name" | "variant">): string {
  return rule.variant ? `${rule.name} ${rule.variant}` : rule.name;
}

/** Prometheus' $value is the value; Grafana's is a text of every query's value. */
export function grafanaAnnotation(text: string): string {
  return text.replace(/\$value\b(?!s)/g, "$values.A.Value");
}

function ruleBuilder(group: RuleGroup, rule: AlertRule, config: Config, folderUid: string): RuleBuilder {
  const query = new DataqueryBuilder()
    .expr(rule.expr)
    .instant()
    .refId("A")
    .datasource({ type: "prometheus", uid: DATASOURCE_UIDS.prometheus });
  const condition = new TypeMathBuilder().expression(CONDITION_EXPRESSION).refId("B").datasource({ type: "__expr__", uid: EXPR_UID });
  const annotations = Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, grafanaAnnotation(v)]));
  return new RuleBuilder(grafanaRuleTitle(rule))
    .uid(grafanaRuleUid(rule))
    .orgID(config.grafana.orgId)
    .folderUID(folderUid)
    .ruleGroup(group.name)
    .queries([
      new QueryBuilder("A").datasourceUid(DATASOURCE_UIDS.prometheus).relativeTimeRange({ from: LOOKBACK_SECONDS, to: 0 }).model(query),
      new QueryBuilder("B").datasourceUid(EXPR_UID).model(condition),
    ])
    .condition("B")
    .forDuration(rule.for)
    .labels({ ...rule.labels })
    .annotations(annotations)
    // No series means nothing breaches (and no traffic must not alert); a failing query is an error state.
    .noDataState("OK")
    .execErrState("Error")
    .isPaused(false);
}

/** The SDK's rule groups (HTTP API shape), one per rule group with alerts. */
export function grafanaRuleGroups(groups: RuleGroup[], config: Config): { group: RuleGroup; sdk: SdkRuleGroup }[] {
  const folderUid = grafanaFolderUid(config);
  return groups
    .map((group) => ({ group, alerts: group.rules.filter((r): r is AlertRule => r.kind === "alert") }))
    .filter(({ alerts }) => alerts.length > 0)
    .map(({ group, alerts }) => ({
      group,
      sdk: new RuleGroupBuilder(group.name)
        .folderUid(folderUid)
        .interval(seconds(group.interval ?? config.alerting.grafana.interval))
        .rules(alerts.map((r) => ruleBuilder(group, r, config, folderUid)))
        .build(),
    }));
}

/** A stable folder uid derived from the folder title (the file format names folders by title). */
export function grafanaFolderUid(config: Config): string {
  return folderUidForTitle(config.alerting.grafana.folder);
}

/** The uid the alerting folder of a given title gets; push uses it to create the same folder. */
export function folderUidForTitle(title: string): string {
  return "alerts-" + createHash("sha256").update(title).digest("hex").slice(0, 12);
}

// --- conversion to the file-provisioning shape ---

function toFileRule(rule: Rule, source: AlertRule) {
  return {
    uid: rule.uid,
    title: rule.title,
    condition: rule.condition,
    data: rule.data.map((q) => ({
      refId: q.refId,
      datasourceUid: q.datasourceUid,
      relativeTimeRange: q.relativeTimeRange ?? { from: 0, to: 0 },
      // Plain JSON: the SDK's dataquery objects carry a marker method (_implementsDataqueryVariant).
      model: JSON.parse(JSON.stringify(q.model)) as Record<string, unknown>,
    })),
    for: rule.for,
    noDataState: rule.noDataState,
    execErrState: rule.execErrState,
    labels: rule.labels,
    annotations: rule.annotations,
    isPaused: rule.isPaused ?? false,
    ...(source.panel ? { dashboardUid: source.panel.dashboardUid, panelId: source.panel.panelId } : {}),
  };
}

export function toFileGroup(sdk: SdkRuleGroup, group: RuleGroup, config: Config) {
  const sources = group.rules.filter((r): r is AlertRule => r.kind === "alert");
  const rules = sdk.rules ?? [];
  // Everything the file shape takes once per group must agree across the SDK's rules.
  for (const r of rules) {
    if (r.ruleGroup !== sdk.title || r.folderUID !== sdk.folderUid || r.orgID !== config.grafana.orgId) {
      throw new Error(`rule "${r.title}" disagrees with its group "${sdk.title}" on group, folder or org`);
    }
  }
  return {
    orgId: config.grafana.orgId,
    name: sdk.title!,
    folder: config.alerting.grafana.folder,
    interval: `${sdk.interval}s`,
    rules: rules.map((r, i) => toFileRule(r, sources[i])),
  };
}

/**
 * The rules document as written: "$" escaped as "$$" in the fields Grafana expands, annotations and
 * query models left as they are (Grafana reads those raw).
 */
export function grafanaRulesValue(doc: ReturnType<typeof grafanaRulesDocument>) {
  return {
    ...(toProvisioningValue({ ...doc, groups: [] }) as object),
    groups: doc.groups.map((g) => ({
      ...(toProvisioningValue({ ...g, rules: [] }) as object),
      rules: g.rules.map(({ annotations, data, ...rest }) => ({
        ...(toProvisioningValue(rest) as object),
        annotations,
        data: data.map(({ model, ...q }) => ({ ...(toProvisioningValue(q) as object), model })),
      })),
    })),
  };
}

export function grafanaRulesDocument(groups: RuleGroup[], config: Config) {
  return {
    apiVersion: 1,
    groups: grafanaRuleGroups(groups, config).map(({ group, sdk }) => toFileGroup(sdk, group, config)),
  };
}

// --- contact points and notification policy ---

export function grafanaContactPoints(config: Config): ContactPoint[] {
  const g = config.alerting.grafana;
  return [
    new ContactPointBuilder()
      .name(RECEIVER_OF.critical)
      .uid("pager-pagerduty")
      .type("pagerduty")
      .settings({ integrationKey: envRef(g.pagerdutyIntegrationKeyEnv), severity: "critical", summary: '{{ template "default.title" . }}' })
      .disableResolveMessage(false)
      .build(),
    new ContactPointBuilder()
      .name(RECEIVER_OF.warning)
      .uid("chat-slack")
      .type("slack")
      .settings({ url: envRef(g.slackWebhookUrlEnv), recipient: config.alerting.receivers.chat.channel })
      .disableResolveMessage(false)
      .build(),
  ];
}

export function grafanaContactPointsDocument(config: Config) {
  const byName = new Map<string, ContactPoint[]>();
  for (const cp of grafanaContactPoints(config)) byName.set(cp.name!, [...(byName.get(cp.name!) ?? []), cp]);
  return {
    apiVersion: 1,
    contactPoints: [...byName].map(([name, receivers]) => ({
      orgId: config.grafana.orgId,
      name,
      receivers: receivers.map((r) => ({ uid: r.uid, type: r.type, settings: r.settings, disableResolveMessage: r.disableResolveMessage ?? false })),
    })),
  };
}

export function grafanaPolicy(config: Config): NotificationPolicy {
  const r = config.alerting.routing;
  return new NotificationPolicyBuilder()
    .receiver(RECEIVER_OF.warning)
    .groupBy(r.groupBy)
    .groupWait(r.groupWait)
    .groupInterval(r.groupInterval)
    .repeatInterval(r.repeatInterval)
    .routes([
      // As in Alertmanager: a page also reaches the chat channel.
      new NotificationPolicyBuilder().receiver(RECEIVER_OF.critical).objectMatchers([["severity", "=", "critical"]]).continueVal(true),
      new NotificationPolicyBuilder().receiver(RECEIVER_OF.warning).objectMatchers([["severity", "=~", "critical|warning"]]),
    ])
    .build();
}

export function grafanaPoliciesDocument(config: Config) {
  // A provisioned policy tree replaces the organisation's whole tree.
  return { apiVersion: 1, policies: [{ orgId: config.grafana.orgId, ...grafanaPolicy(config) }] };
}
