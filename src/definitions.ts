// What a definition file exports. Dashboards are small functions returning a Foundation SDK builder;
// the pipeline, not the definition, owns ids, layout, key order and validation.
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import type { Config } from "./model/config.js";
import { DATASOURCE_UIDS } from "./datasourceUids.js";

export interface DashboardContext {
  config: Config;
  /** Provisioned datasource uids, fixed so that links and alert queries can name them. */
  datasources: typeof DATASOURCE_UIDS;
  /** Absolute path of another dashboard ("/d/<uid>/<slug>") so links are checked at build time. */
  dashboardPath(uid: string): string;
}

export interface DashboardDefinition {
  kind: "dashboard";
  uid: string;
  /** Key of `config.folders` the dashboard is provisioned into. */
  folder: string;
  /**
   * "flow" (default): the pipeline lays panels out left to right on the 24-column grid, keeping each
   * panel's w/h. "manual": gridPos is kept as written (imported dashboards).
   */
  layout?: "flow" | "manual";
  build(ctx: DashboardContext): { build(): Dashboard };
  /** Set by the collector: the file the definition came from, for error messages. */
  file?: string;
}

export function defineDashboard(d: Omit<DashboardDefinition, "kind">): DashboardDefinition {
  return { kind: "dashboard", ...d };
}
