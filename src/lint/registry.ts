// Every lint rule, in the order `npm run lint -- --rules` lists them. Adding a rule: write
// src/lint/rules/<id>.ts (default export defineRule({...})), add it here, and give it a test with
// a passing and a failing fixture in test/lint/rules/<id>.test.ts.
import alertAnnotations from "./rules/alert-annotations.js";
import alertFor from "./rules/alert-for.js";
import alertGroupSize from "./rules/alert-group-size.js";
import alertGroupUnique from "./rules/alert-group-unique.js";
import alertLinks from "./rules/alert-links.js";
import alertName from "./rules/alert-name.js";
import alertNoGrafanaVariables from "./rules/alert-no-grafana-variables.js";
import alertRawCounter from "./rules/alert-raw-counter.js";
import alertSeverity from "./rules/alert-severity.js";
import alertTemplateLabels from "./rules/alert-template-labels.js";
import catalogMetricLabel from "./rules/catalog-metric-label.js";
import contractCounterTotal from "./rules/contract-counter-total.js";
import contractDurationSeconds from "./rules/contract-duration-seconds.js";
import contractHighCardinality from "./rules/contract-high-cardinality.js";
import dashboardEditable from "./rules/dashboard-editable.js";
import dashboardShape from "./rules/dashboard-shape.js";
import dashboardUid from "./rules/dashboard-uid.js";
import dashboardUidStable from "./rules/dashboard-uid-stable.js";
import datasourceLiteralSecret from "./rules/datasource-literal-secret.js";
import folderAccess from "./rules/folder-access.js";
import panelDatasource from "./rules/panel-datasource.js";
import panelTargets from "./rules/panel-targets.js";
import panelTitleDescription from "./rules/panel-title-description.js";
import panelTitleUnique from "./rules/panel-title-unique.js";
import panelUnits from "./rules/panel-units.js";
import prodFolderAccess from "./rules/prod-folder-access.js";
import prodHttps from "./rules/prod-https.js";
import prodScrapeTls from "./rules/prod-scrape-tls.js";
import promqlGaugeRate from "./rules/promql-gauge-rate.js";
import promqlHistogramLe from "./rules/promql-histogram-le.js";
import querySyntax from "./rules/query-syntax.js";
import targetCounterRate from "./rules/target-counter-rate.js";
import targetJobInstanceMatchers from "./rules/target-job-instance-matchers.js";
import targetLogqlAuto from "./rules/target-logql-auto.js";
import targetRateInterval from "./rules/target-rate-interval.js";
import templateDatasource from "./rules/template-datasource.js";
import templateJobInstance from "./rules/template-job-instance.js";
import templateQuerySyntax from "./rules/template-query-syntax.js";
import templateRefresh from "./rules/template-refresh.js";
import { ENGINE_RULES } from "./engine.js";
import { PEER_NAMES } from "./peers.js";
import type { LintRule } from "./types.js";

export const RULES: readonly LintRule[] = [
  // dashboards
  dashboardShape,
  dashboardUid,
  dashboardUidStable,
  dashboardEditable,
  templateDatasource,
  panelDatasource,
  templateJobInstance,
  templateQuerySyntax,
  templateRefresh,
  panelTitleDescription,
  panelUnits,
  panelTargets,
  panelTitleUnique,
  // queries (dashboards and rule files)
  querySyntax,
  targetRateInterval,
  targetLogqlAuto,
  targetJobInstanceMatchers,
  targetCounterRate,
  promqlGaugeRate,
  promqlHistogramLe,
  // alerts
  alertName,
  alertSeverity,
  alertAnnotations,
  alertTemplateLabels,
  alertLinks,
  alertFor,
  alertNoGrafanaVariables,
  alertRawCounter,
  alertGroupSize,
  alertGroupUnique,
  // telemetry contract (docs/telemetry-contract.md) and catalog
  contractCounterTotal,
  contractDurationSeconds,
  contractHighCardinality,
  catalogMetricLabel,
  // datasources and environments
  datasourceLiteralSecret,
  prodHttps,
  prodScrapeTls,
  // folder access (src/model/access.ts)
  folderAccess,
  prodFolderAccess,
];

/** Ids exclusions may name: the rules and the engine's own findings. */
export const RULE_IDS: readonly string[] = [...RULES.map((r) => r.id), ...ENGINE_RULES.map((r) => r.id)];

export function ruleById(id: string): LintRule | undefined {
  return RULES.find((r) => r.id === id);
}

/**
 * Rules named on the command line, by our id or by dashboard-linter's name. A peer name runs our rule
 * covering it and keeps only the findings dashboard-linter reports (`peerOnly`), unless our id was
 * named too. Unknown names come back in `unknown`.
 */
export function selectRules(names: readonly string[]): { ids: string[]; peerOnly: Map<string, Set<string>>; unknown: string[] } {
  const ids = new Set<string>();
  const byOurs = new Set<string>();
  const peerOnly = new Map<string, Set<string>>();
  const unknown: string[] = [];
  for (const name of names) {
    const ours = ruleById(name);
    if (ours) {
      ids.add(ours.id);
      byOurs.add(ours.id);
      continue;
    }
    const covering = PEER_NAMES.has(name) ? RULES.find((r) => r.peers?.includes(name)) : undefined;
    if (!covering) {
      unknown.push(name);
      continue;
    }
    ids.add(covering.id);
    peerOnly.set(covering.id, new Set([...(peerOnly.get(covering.id) ?? []), name]));
  }
  for (const id of byOurs) peerOnly.delete(id);
  return { ids: [...ids], peerOnly, unknown };
}

/** The --rules table: our id, dashboard-linter's name(s) beside it, severity, purpose. */
export function rulesTable(): string {
  const tag = (r: { stackSpecific?: boolean }) => (r.stackSpecific ? " [stack]" : "");
  const rows = [
    ...RULES.map((r) => [r.id, (r.peers ?? []).join(", ") || "-", r.severity, r.purpose + tag(r) + (r.enforcedByBuild ? " (the build's validation runs it too)" : "")]),
    ...ENGINE_RULES.map((r) => [r.id, "-", r.severity, `(engine) ${r.purpose}`]),
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length), 4);
  const w1 = Math.max(...rows.map((r) => r[1].length), 20);
  const w2 = 8;
  const lines = [["rule", "dashboard-linter", "severity", "purpose"], ...rows].map(([a, b, c, d]) => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c.padEnd(w2)}  ${d}`);
  lines.push("", "[stack]: about these stacks (catalog, telemetry contract); off for dashboards that are not our definitions unless named with --rule.");
  return lines.join("\n");
}
