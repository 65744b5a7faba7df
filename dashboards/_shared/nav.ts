// The project's dashboards by role, so links between them are written once and checked at build
// time (every /d/<uid> must resolve to a built dashboard).
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import type { DashboardContext } from "../../src/definitions.js";
import { instrumentator, pixErase } from "../fastapi/flavours.js";

export const DASHBOARDS = {
  home: { uid: "home", title: "Home" },
  fastapi: { uid: instrumentator.uid, title: "FastAPI" },
  pixerase: { uid: pixErase.uid, title: "PixErase API" },
  workers: { uid: "workers", title: "Workers" },
  modelService: { uid: "model-service-inference", title: "Model service" },
  llm: { uid: "llm-overview", title: "LLM" },
  evaluation: { uid: "evaluation-analytics", title: "Evaluation" },
  infrastructure: { uid: "containers-hosts", title: "Containers & hosts" },
  telemetry: { uid: "telemetry-pipeline", title: "Telemetry pipeline" },
} as const;

export type DashboardKey = keyof typeof DASHBOARDS;

/** A link to one dashboard, keeping the time range. */
export function dashboardLink(
  ctx: DashboardContext,
  key: DashboardKey,
  title: string = DASHBOARDS[key].title,
): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder(title)
    .type(dashboard.DashboardLinkType.Link)
    .url(ctx.dashboardPath(DASHBOARDS[key].uid))
    .icon("dashboard")
    .tooltip(`Open the ${DASHBOARDS[key].title} dashboard`)
    .keepTime(true)
    .includeVars(false)
    .targetBlank(false)
    .asDropdown(false);
}

/** Links to every other dashboard of the project, in a fixed order (Home first). */
export function navLinks(ctx: DashboardContext, self: DashboardKey): dashboard.DashboardLinkBuilder[] {
  return (Object.keys(DASHBOARDS) as DashboardKey[]).filter((k) => k !== self).map((k) => dashboardLink(ctx, k));
}

/** Adds the navigation links to a dashboard builder. */
export function withNav(
  d: dashboard.DashboardBuilder,
  ctx: DashboardContext,
  self: DashboardKey,
): dashboard.DashboardBuilder {
  for (const link of navLinks(ctx, self)) d.link(link);
  return d;
}
