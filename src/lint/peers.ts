// grafana/dashboard-linter's vocabulary. Each of its 17 rules is covered by one rule of ours (the
// rule's `peers`); a finding carries `peerRule` when dashboard-linter reports that same finding, so
// `--rule <its name>` shows what it would show. Where the scopes differ on purpose, docs/lint.md says
// why. The helpers here are the scopes its rules use (which panel types, which dashboards).
import type { Dashboard, VariableModel } from "@grafana/grafana-foundation-sdk/dashboard";
import type { LintRule } from "./types.js";

export const PEER_RULES: readonly { name: string; description: string }[] = [
  { name: "template-datasource-rule", description: "Checks that the dashboard has a templated datasource." },
  { name: "template-job-rule", description: "Checks that the dashboard has a templated job." },
  { name: "template-instance-rule", description: "Checks that the dashboard has a templated instance." },
  { name: "template-label-promql-rule", description: "Checks that the dashboard templated labels have proper PromQL expressions." },
  { name: "template-on-time-change-reload-rule", description: "Checks that the dashboard template variables are configured to reload on time change." },
  { name: "panel-datasource-rule", description: "Checks that each panel uses the templated datasource." },
  { name: "panel-title-description-rule", description: "Checks that each panel has a title and description." },
  { name: "panel-units-rule", description: "Checks that each panel uses has valid units defined." },
  { name: "panel-no-targets-rule", description: "Checks that each panel has at least one target." },
  { name: "target-logql-rule", description: "Checks that each target uses a valid LogQL query." },
  { name: "target-logql-auto-rule", description: "Checks that each Loki target uses $__auto for range vectors when appropriate." },
  { name: "target-promql-rule", description: "Checks that each target uses a valid PromQL query." },
  { name: "target-rate-interval-rule", description: "Checks that each target uses $__rate_interval." },
  { name: "target-job-rule", description: "Checks that every PromQL query has a job matcher." },
  { name: "target-instance-rule", description: "Checks that every PromQL query has a instance matcher." },
  { name: "target-counter-agg-rule", description: "Checks that any counter metric (ending in _total) is aggregated with rate, irate, or increase." },
  { name: "uneditable-dashboard", description: "Checks that the dashboard is not editable." },
];

export const PEER_NAMES: ReadonlySet<string> = new Set(PEER_RULES.map((r) => r.name));

/** Our rule covering a dashboard-linter rule. */
export function ruleForPeer(rules: readonly LintRule[], peer: string): LintRule | undefined {
  return rules.find((r) => r.peers?.includes(peer));
}

// Panel types each family of its rules looks at; other types it skips.
/** panel-title-description, panel-units, panel-no-targets. */
export const PEER_DATA_PANELS: ReadonlySet<string> = new Set(["stat", "singlestat", "graph", "table", "timeseries", "gauge"]);
/** panel-datasource. */
export const PEER_DATASOURCE_PANELS: ReadonlySet<string> = new Set(["singlestat", "graph", "table", "timeseries"]);
/** The target rules (PromQL, LogQL, rate interval). */
export const PEER_QUERY_PANELS: ReadonlySet<string> = new Set(["singlestat", "gauge", "table", "stat", "state-timeline", "timeseries"]);

/** The variable's query as text: a string, or the `query` of the object form. */
function queryText(v: VariableModel): string {
  const q = v.query as unknown;
  if (typeof q === "string") return q;
  if (typeof q === "object" && q !== null && typeof (q as { query?: unknown }).query === "string") return (q as { query: string }).query;
  return "";
}

/** The plugin type of the dashboard's first datasource variable: its notion of a "Prometheus dashboard". */
export function firstDatasourceVariableType(json: Dashboard): string | undefined {
  const v = (json.templating?.list ?? []).find((x) => x.type === "datasource");
  return v ? queryText(v) : undefined;
}

/** Keep, of the rules run for a dashboard-linter name only, the findings that carry that name. */
export function keepPeerFindings<R extends { findings: { rule: string; peerRule?: string; severity: string }[]; errors: number; warnings: number }>(report: R, peerOnly: ReadonlyMap<string, ReadonlySet<string>>): R {
  if (!peerOnly.size) return report;
  const findings = report.findings.filter((f) => {
    const names = peerOnly.get(f.rule);
    return !names || (f.peerRule !== undefined && names.has(f.peerRule));
  });
  return { ...report, findings, errors: findings.filter((f) => f.severity === "error").length, warnings: findings.filter((f) => f.severity === "warning").length };
}
