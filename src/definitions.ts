// What a definition file exports. Dashboards are small functions returning a Foundation SDK builder;
// the pipeline, not the definition, owns ids, layout, key order and validation.
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import type { Config } from "./model/config.js";
import { DATASOURCE_UIDS } from "./datasourceUids.js";
import type { LintWaiver } from "./model/dashboard.js";

export { WAIVABLE_RULES, type LintWaiver } from "./model/dashboard.js";

/** A dashboard's place in the project's navigation menu. */
export interface NavEntry {
  /** Position in the menu, lowest first (ties by uid). */
  order: number;
  /** Menu title when it differs from the dashboard's title ("FastAPI" for "FastAPI overview"). */
  title?: string;
}

/** What every definition declares about itself, once: the build, links and navigation read it from here. */
export interface DashboardIdentity {
  uid: string;
  title?: string;
  /** Key of `config.folders` the dashboard is provisioned into. */
  folder: string;
  /** In the navigation menu of the project's dashboards when set. */
  nav?: NavEntry;
}

export interface DashboardContext {
  config: Config;
  /** Provisioned datasource uids, fixed so that links and alert queries can name them. */
  datasources: typeof DATASOURCE_UIDS;
  /** Absolute path of another dashboard ("/d/<uid>/<slug>") so links are checked at build time. */
  dashboardPath(uid: string): string;
  /** Every collected definition (the build passes them), for navigation and links between dashboards. */
  dashboards?: readonly DashboardIdentity[];
}

type Built = { build(): Dashboard };


export interface DashboardDefinition extends DashboardIdentity {
  kind: "dashboard";
  /**
   * "flow" (default): the pipeline lays panels out left to right on the 24-column grid, keeping each
   * panel's w/h. "manual": gridPos is kept as written (imported dashboards).
   */
  layout?: "flow" | "manual";
  /** Panels whose missing description or unit is accepted for now (lint reports them as excluded). */
  lintWaivers?: LintWaiver[];
  build(ctx: DashboardContext): Built;
  /** Set by the collector: the file the definition came from, for error messages. */
  file?: string;
}

/** The declared uid and title, handed to the builder so that it does not write them again. */
export interface DashboardSelf {
  uid: string;
  title: string;
}

/** A dashboard declared with its title: the builder receives both (`baseDashboard(ctx, { ...self, description })`). */
export interface TitledDeclaration extends DashboardIdentity {
  title: string;
  layout?: "flow" | "manual";
  lintWaivers?: LintWaiver[];
  build(ctx: DashboardContext, self: DashboardSelf): Built;
}

/** A dashboard whose builder sets its own title (imported code); it has no place in the navigation. */
export interface UntitledDeclaration extends Omit<DashboardIdentity, "title" | "nav"> {
  title?: undefined;
  nav?: undefined;
  layout?: "flow" | "manual";
  lintWaivers?: LintWaiver[];
  build(ctx: DashboardContext): Built;
}

export function defineDashboard(d: TitledDeclaration): DashboardDefinition;
export function defineDashboard(d: UntitledDeclaration): DashboardDefinition;
export function defineDashboard(d: TitledDeclaration | UntitledDeclaration): DashboardDefinition {
  if (d.title === undefined) return { kind: "dashboard", ...(d as UntitledDeclaration) };
  const { build, ...identity } = d as TitledDeclaration;
  const self: DashboardSelf = { uid: identity.uid, title: identity.title };
  return { kind: "dashboard", ...identity, build: (ctx) => build(ctx, self) };
}
