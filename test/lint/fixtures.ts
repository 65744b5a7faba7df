// Lint fixtures: a small provisioning tree that every rule passes (one dashboard built with the
// project's presets, the datasources file, one Prometheus rule file), and helpers that change one
// thing in it for a failing fixture.
import { resolve } from "node:path";
import { stringify } from "yaml";
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { loadConfig } from "../../config/index.js";
import { DATASOURCE_UIDS } from "../../src/datasourceUids.js";
import { allPanels } from "../../src/pipeline/dashboards.js";
import { baseDashboard } from "../../src/presets/dashboard.js";
import { logsPanel, row, statPanel, timeseriesPanel } from "../../src/presets/panels.js";
import { logql, prom } from "../../src/presets/targets.js";
import { datasourceVariable, jobInstanceVariables } from "../../src/presets/variables.js";
import type { TreeFile } from "../../src/lint/context.js";
import { lintTree, type LintTreeOptions } from "../../src/lint/index.js";
import { settingsSchema } from "../../src/lint/settings.js";
import type { Finding } from "../../src/lint/types.js";
import { REPO_CONTENT } from "../../scripts/content.js";

export const REPO = resolve(import.meta.dirname, "../..");
export const config = loadConfig("dev");
export const UID = "lint-fixture";

const SEL = 'job=~"$job", instance=~"$instance"';
export const QUERIES = {
  rate: `sum by (method) (rate(http_requests_total{${SEL}}[$__rate_interval]))`,
  p95: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${SEL}}[$__rate_interval])))`,
  memory: `sum by (instance) (process_resident_memory_bytes{${SEL}})`,
  logs: '{service="app"} | json',
  logVolume: 'sum by (level) (count_over_time({service="app"} | json [$__auto]))',
};

/** A dashboard every rule passes, as the build emits it (panel ids assigned in document order). */
export function goodDashboard(uid = UID): Dashboard {
  const ctx = { config, datasources: DATASOURCE_UIDS, dashboardPath: (u: string) => `/d/${u}` };
  const builder = baseDashboard(ctx, { uid, title: `Fixture ${uid}`, description: "What lint accepts." })
    .variables([datasourceVariable(), ...jobInstanceVariables("http_requests_total", "fastapi")])
    .withRow(row("Traffic"))
    .withPanel(timeseriesPanel({ title: "Requests/s by method", unit: "reqps", description: "Request rate by method.", targets: [prom(QUERIES.rate, { legend: "{{method}}" })] }))
    .withPanel(statPanel({ title: "p95 latency", unit: "s", description: "95th percentile request duration.", targets: [prom(QUERIES.p95)] }))
    .withPanel(timeseriesPanel({ title: "Resident memory", unit: "bytes", description: "Resident set size.", targets: [prom(QUERIES.memory, { legend: "{{instance}}" })] }))
    .withRow(row("Logs"))
    .withPanel(timeseriesPanel({ title: "Log lines by level", unit: "short", description: "Log lines per interval.", targets: [logql(QUERIES.logVolume, { legend: "{{level}}" })] }))
    .withPanel(logsPanel({ title: "Logs", description: "The service's logs.", targets: [logql(QUERIES.logs)] }));
  const json = JSON.parse(JSON.stringify(builder.build())) as Dashboard;
  allPanels(json).forEach((p, i) => (p.id = i + 1));
  return json;
}

export function dashboardFile(json: Dashboard, folder = "services"): TreeFile {
  return { path: `grafana/provisioning/dashboards/${folder}/${json.uid}.json`, content: JSON.stringify(json, null, 2) };
}

export const DATASOURCES: TreeFile = {
  path: "grafana/provisioning/datasources/datasources.yaml",
  content: stringify({
    apiVersion: 1,
    datasources: [
      { uid: DATASOURCE_UIDS.prometheus, name: "Prometheus", type: "prometheus", url: "http://prometheus:9090", jsonData: {} },
      { uid: DATASOURCE_UIDS.loki, name: "Loki", type: "loki", url: "http://loki:3100", jsonData: {} },
      { uid: DATASOURCE_UIDS.tempo, name: "Tempo", type: "tempo", url: "http://tempo:3200", jsonData: {} },
    ],
  }),
};

export interface AlertDoc {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** An alert every rule passes: it links to goodDashboard()'s "Requests/s by method" panel (id 2). */
export function goodAlert(over: Partial<AlertDoc> = {}): AlertDoc {
  return {
    alert: "FastAPIHighErrorRate",
    expr: 'sum by (job) (rate(http_requests_total{job="fastapi", status=~"5.."}[5m])) / sum by (job) (rate(http_requests_total{job="fastapi"}[5m])) > 0.05',
    for: "5m",
    labels: { severity: "critical" },
    annotations: {
      summary: "{{ $labels.job }} answers {{ $value | humanizePercentage }} of requests with 5xx",
      description: "{{ $value | humanizePercentage }} of the requests {{ $labels.job }} handled ended in a 5xx.",
      runbook_url: "https://github.com/example-org/grafana-as-code/blob/main/docs/runbooks/FastAPIHighErrorRate.md",
      dashboard_url: `http://localhost:3000/d/${UID}?viewPanel=2&var-job={{ $labels.job }}`,
    },
    ...over,
  };
}

export function ruleFile(groups: { name: string; rules: unknown[] }[], name = "fixture"): TreeFile {
  return { path: `prometheus/rules/${name}.yaml`, content: stringify({ groups }) };
}

/** The tree every rule passes, with some files replaced or added. */
export function tree(over: { dashboards?: Dashboard[]; rules?: TreeFile[]; files?: TreeFile[] } = {}): TreeFile[] {
  return [
    DATASOURCES,
    ...(over.dashboards ?? [goodDashboard()]).map((d) => dashboardFile(d)),
    ...(over.rules ?? [ruleFile([{ name: "fixture", rules: [goodAlert()] }])]),
    ...(over.files ?? []),
  ];
}

const NO_EXCLUSIONS = { file: "lint-exclusions.yaml", settings: settingsSchema.parse({}), exclusions: [] };

/** Findings of one rule on a tree (no exclusions). */
export function findings(rule: string, files: TreeFile[] = tree(), opts: Partial<LintTreeOptions> = {}): Finding[] {
  return lintTree({ content: REPO_CONTENT, files, env: "dev", repoRoot: REPO, config, exclusions: NO_EXCLUSIONS, only: [rule], ...opts }).findings;
}

/** A copy of the good dashboard changed by `edit`. */
export function dashboardWith(edit: (d: Dashboard & { panels: Record<string, unknown>[] }) => void, uid = UID): Dashboard {
  const d = goodDashboard(uid) as Dashboard & { panels: Record<string, unknown>[] };
  edit(d);
  return d;
}

/** The panel of the good dashboard with this title (for edits). */
export function panel(d: { panels?: unknown[] }, title: string): Record<string, any> {
  const p = allPanels(d as Dashboard).find((x) => x.title === title);
  if (!p) throw new Error(`no panel "${title}"`);
  return p as Record<string, any>;
}

/** Sets the expression of a panel's first target. */
export function withExpr(title: string, expr: string): Dashboard {
  return dashboardWith((d) => {
    panel(d, title).targets[0].expr = expr;
  });
}
