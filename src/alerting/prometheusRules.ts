// Prometheus rule files: one file per rule group, build/prometheus/rules/<group>.yaml, loaded by
// prometheus.yml's rule_files: ["rules/*.yaml"]. Prometheus does not expand variables in rule files,
// so templates are written as they are.
import type { AlertRule, RecordingRule, RuleGroup } from "./model.js";

export const RULES_DIR = "prometheus/rules";

export function ruleFilePath(group: RuleGroup): string {
  return `${RULES_DIR}/${group.name}.yaml`;
}

function alertDoc(r: AlertRule) {
  return { alert: r.name, expr: r.expr, for: r.for, labels: r.labels, annotations: r.annotations };
}

function recordDoc(r: RecordingRule) {
  return { record: r.record, expr: r.expr, labels: Object.keys(r.labels).length ? r.labels : undefined };
}

/**
 * The rule file of one group. `includeAlerts` is false when Grafana evaluates the alerts
 * (alerting.mode grafana): the recording rules stay, Grafana's SLO alerts read them.
 */
export function ruleFileDocument(group: RuleGroup, includeAlerts: boolean) {
  const rules = group.rules.filter((r) => includeAlerts || r.kind === "record");
  if (rules.length === 0) return null;
  return {
    groups: [
      {
        name: group.name,
        interval: group.interval,
        rules: rules.map((r) => (r.kind === "alert" ? alertDoc(r) : recordDoc(r))),
      },
    ],
  };
}
