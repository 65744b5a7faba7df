// The emitted provisioning tree: its files and where each kind of file goes.

export interface OutputFile {
  /** Relative to the tree root. */
  path: string;
  content: string;
}

export const PATHS = {
  datasources: "grafana/provisioning/datasources/datasources.yaml",
  providers: "grafana/provisioning/dashboards/dashboards.yaml",
  dashboard: (folderUid: string, uid: string) => `grafana/provisioning/dashboards/${folderUid}/${uid}.json`,
  prometheus: "prometheus/prometheus.yml",
  rulesDir: "prometheus/rules",
} as const;
