// Links between the project's dashboards, derived from the definitions themselves (their uid, title
// and `nav` entry): a new definition with `nav` joins the menu, and every /d/<uid> is checked at build time.
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import type { DashboardContext, DashboardIdentity } from "../../src/definitions.js";

export interface NavItem {
  uid: string;
  /** The menu title: `nav.title`, else the dashboard's title. */
  title: string;
}

function collected(ctx: DashboardContext): readonly DashboardIdentity[] {
  if (!ctx.dashboards) throw new Error("links between dashboards need the collected definitions (ctx.dashboards)");
  return ctx.dashboards;
}

/** The dashboards with a `nav` entry, in menu order (nav.order, then uid). */
export function navItems(ctx: DashboardContext): NavItem[] {
  return collected(ctx)
    .filter((d) => d.nav)
    .sort((a, b) => a.nav!.order - b.nav!.order || a.uid.localeCompare(b.uid))
    .map((d) => ({ uid: d.uid, title: d.nav!.title ?? d.title ?? d.uid }));
}

/** The menu entry of one dashboard by uid; an unknown uid fails the build naming it. */
export function navItem(ctx: DashboardContext, uid: string): NavItem {
  const d = collected(ctx).find((x) => x.uid === uid);
  if (!d) throw new Error(`no dashboard definition has uid "${uid}" (a link names it)`);
  return { uid, title: d.nav?.title ?? d.title ?? uid };
}

/** A link to one dashboard, keeping the time range. */
export function dashboardLink(ctx: DashboardContext, uid: string, title?: string): dashboard.DashboardLinkBuilder {
  const target = navItem(ctx, uid);
  return new dashboard.DashboardLinkBuilder(title ?? target.title)
    .type(dashboard.DashboardLinkType.Link)
    .url(ctx.dashboardPath(uid))
    .icon("dashboard")
    .tooltip(`Open the ${target.title} dashboard`)
    .keepTime(true)
    .includeVars(false)
    .targetBlank(false)
    .asDropdown(false);
}

/** Links to every other dashboard of the menu, in menu order. */
export function navLinks(ctx: DashboardContext, self: { uid: string }): dashboard.DashboardLinkBuilder[] {
  return navItems(ctx)
    .filter((d) => d.uid !== self.uid)
    .map((d) => dashboardLink(ctx, d.uid));
}

/** Adds the navigation links to a dashboard builder. */
export function withNav(
  d: dashboard.DashboardBuilder,
  ctx: DashboardContext,
  self: { uid: string },
): dashboard.DashboardBuilder {
  for (const link of navLinks(ctx, self)) d.link(link);
  return d;
}
