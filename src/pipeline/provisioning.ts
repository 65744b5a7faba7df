// Step 2 for everything that is not a dashboard: Grafana's datasource and dashboard-provider files
// and Prometheus' scrape configuration. Objects only; serialisation happens in emit.
import type { Config } from "../model/config.js";
import type { DatasourceDefinition } from "../model/datasource.js";
import type { BuiltDashboard } from "./dashboards.js";
import { compareText } from "../emit/textOrder.js";

export { PATHS } from "../model/tree.js";

export function datasourcesDocument(defs: DatasourceDefinition[], config: Config) {
  return {
    apiVersion: 1,
    // Datasources removed from this file are removed from Grafana too: the file is the truth.
    prune: true,
    datasources: defs.map((d) => ({
      ...d,
      access: "proxy",
      orgId: config.grafana.orgId,
      editable: false,
      isDefault: d.isDefault ?? false,
    })),
  };
}

export function providersDocument(dashboards: BuiltDashboard[], config: Config) {
  const folderKeys = [...new Set(dashboards.map((d) => d.definition.folder))].sort();
  return {
    apiVersion: 1,
    providers: folderKeys.map((key) => {
      const folder = config.folders[key];
      return {
        name: folder.uid,
        orgId: config.grafana.orgId,
        folder: folder.title,
        folderUid: folder.uid,
        type: "file",
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: `${config.grafana.provisioningPath}/dashboards/${folder.uid}`, foldersFromFilesStructure: false },
      };
    }),
  };
}

export function prometheusDocument(config: Config) {
  const p = config.prometheus;
  return {
    global: {
      scrape_interval: p.scrapeInterval,
      evaluation_interval: p.evaluationInterval,
      external_labels: { environment: config.env },
    },
    // Relative to this file, so build/prometheus/ can be mounted as /etc/prometheus as is.
    rule_files: ["rules/*.yaml"],
    alerting: { alertmanagers: [{ static_configs: [{ targets: p.alertmanagerTargets }] }] },
    // The long-term store: every sample also goes to Mimir, under its tenant (prod).
    ...(p.remoteWrite
      ? {
          remote_write: [
            {
              url: p.remoteWrite.url,
              headers: { "X-Scope-OrgID": p.remoteWrite.tenant },
              basic_auth: { username: p.remoteWrite.basicAuth.username, password_file: p.remoteWrite.basicAuth.passwordFile },
            },
          ],
        }
      : {}),
    // Optional targets stay out until switched on (config.prometheus.scrapeJobs.*.enabled).
    scrape_configs: Object.entries(p.scrapeJobs)
      .filter(([, j]) => j.enabled)
      .sort(([a], [b]) => compareText(a, b))
      .map(([job, j]) => ({
        job_name: job,
        scrape_interval: j.scrapeInterval,
        metrics_path: j.metricsPath,
        scheme: j.scheme,
        honor_labels: j.honorLabels,
        static_configs: [{ targets: j.targets }],
      })),
  };
}
