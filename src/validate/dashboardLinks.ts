// Every link to another dashboard (/d/<uid>, also under a sub-path or on this build's Grafana host) must point at a dashboard this build provisions:
// dashboard links, panel links and data links (field config and overrides). A dangling link opens
// Grafana's "Dashboard not found" in the middle of an incident.
import type { Problem } from "../errors.js";
import { allPanels, type BuiltDashboard } from "../pipeline/dashboards.js";

const DASHBOARD_URL = /(?:^|[^\w/])\/d\/([a-zA-Z0-9_-]+)(?=[/?#"]|$)/g;
/** A path on Grafana, served at the root or under a sub-path: /d/<uid>, /grafana/d/<uid>/<slug>. */
const DASHBOARD_PATH = /^(?:\/[^/?#]+)*?\/d\/([a-zA-Z0-9_-]+)(?=[/?#]|$)/;

export interface LinkOptions {
  /** This build's Grafana (config.alerting.grafanaUrl): absolute links to its host are checked. */
  grafanaUrl?: string;
  /** Check absolute links to any host (an alert's dashboard_url, whose host is checked on its own). */
  anyHost?: boolean;
}

/**
 * The uids a URL links to: /d/<uid> at Grafana's root or under a sub-path (/grafana/d/<uid>), relative
 * or absolute on this build's Grafana. Links to other hosts are not ours to check.
 */
export function linkedUids(url: string, opts: LinkOptions = {}): string[] {
  if (/^https?:\/\//i.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return [];
    }
    const own = opts.grafanaUrl ? URL.canParse(opts.grafanaUrl) && new URL(opts.grafanaUrl).host === parsed.host : false;
    if (!own && !opts.anyHost) return [];
    const m = DASHBOARD_PATH.exec(parsed.pathname);
    return m ? [m[1]] : [];
  }
  if (url.startsWith("/")) {
    const m = DASHBOARD_PATH.exec(url);
    return m ? [m[1]] : [];
  }
  return [...url.matchAll(DASHBOARD_URL)].map((m) => m[1]);
}

interface LinkLike {
  url?: string;
  title?: string;
}

type FieldConfigLike = {
  defaults?: { links?: LinkLike[] };
  overrides?: { properties?: { id?: string; value?: unknown }[] }[];
};

function fieldConfigLinks(fc: FieldConfigLike | undefined): LinkLike[] {
  const links = [...(fc?.defaults?.links ?? [])];
  for (const o of fc?.overrides ?? []) {
    for (const p of o.properties ?? []) if (p.id === "links" && Array.isArray(p.value)) links.push(...(p.value as LinkLike[]));
  }
  return links;
}

/** A link of a dashboard to another dashboard: where it is, what it says, the uid it opens. */
interface FoundLink {
  panel?: { title: string | undefined };
  kind: string;
  link: LinkLike;
  uid: string;
}

// Which uids a dashboard links to depends on the dashboard alone (and the options): kept with a
// dashboard kept from an earlier build (--watch holds them, never mutated), so a rebuild looks again
// only at the dashboards that changed, then checks every link against this build's uids.
const found = new WeakMap<object, { opts: string; links: FoundLink[] }>();

function linksOf(json: BuiltDashboard["json"], opts: LinkOptions): FoundLink[] {
  const key = `${opts.grafanaUrl ?? ""}\0${opts.anyHost ?? false}`;
  const held = found.get(json);
  if (held?.opts === key) return held.links;
  const links: FoundLink[] = [];
  const add = (list: LinkLike[] | undefined, kind: string, panel?: FoundLink["panel"]) => {
    for (const link of list ?? []) for (const uid of linkedUids(typeof link.url === "string" ? link.url : "", opts)) links.push({ panel, kind, link, uid });
  };
  add(json.links as LinkLike[] | undefined, "dashboard link");
  for (const p of allPanels(json)) {
    const panel = { title: p.title };
    add((p as { links?: LinkLike[] }).links, "panel link", panel);
    add(fieldConfigLinks((p as { fieldConfig?: FieldConfigLike }).fieldConfig), "data link", panel);
  }
  found.set(json, { opts: key, links });
  return links;
}

export function checkDashboardLinks(dashboards: BuiltDashboard[], opts: LinkOptions = {}): Problem[] {
  const uids = new Set(dashboards.map((d) => d.json.uid));
  const problems: Problem[] = [];
  for (const { definition, json } of dashboards) {
    for (const { panel, kind, link, uid } of linksOf(json, opts)) {
      if (uids.has(uid)) continue;
      problems.push({
        file: definition.file,
        dashboardUid: json.uid,
        ...(panel ? { panelTitle: panel.title } : {}),
        code: "dangling-dashboard-link",
        message: `${kind} "${link.title ?? link.url}" (${link.url}) points at dashboard uid "${uid}", which no dashboard of this build has (uids: ${[...uids].sort().join(", ")})`,
      });
    }
  }
  return problems;
}
