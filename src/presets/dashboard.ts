// The frame every dashboard shares: read-only (the source of truth is the code), shared crosshair,
// time and refresh from the config, and a menu of the project's other dashboards.
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import type { DashboardContext } from "../definitions.js";

export const PROJECT_TAG = "as-code";

export function baseDashboard(
  ctx: DashboardContext,
  d: { uid: string; title: string; description: string; tags?: string[] },
): dashboard.DashboardBuilder {
  const { dashboards } = ctx.config;
  return new dashboard.DashboardBuilder(d.title)
    .uid(d.uid)
    .description(d.description)
    .tags([...new Set([PROJECT_TAG, ...dashboards.tags, ...(d.tags ?? [])])])
    .readonly()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .timezone("browser")
    .time({ from: dashboards.timeFrom, to: "now" })
    .refresh(dashboards.refresh)
    .link(
      new dashboard.DashboardLinkBuilder("Dashboards")
        .type(dashboard.DashboardLinkType.Dashboards)
        .tags([PROJECT_TAG])
        .asDropdown(true)
        .includeVars(false)
        .keepTime(true),
    );
}
