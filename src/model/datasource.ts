// A provisioned datasource, as Grafana's provisioning file describes it. Secrets are EnvRefs.
import type { EnvRef } from "../emit/provisioningYaml.js";

export interface DatasourceDefinition {
  uid: string;
  name: string;
  type: "prometheus" | "loki" | "tempo" | "jaeger" | "alertmanager";
  url: string;
  isDefault?: boolean;
  basicAuth?: boolean;
  basicAuthUser?: string;
  jsonData: Record<string, unknown>;
  secureJsonData?: Record<string, EnvRef>;
}
