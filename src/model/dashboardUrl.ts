// Turns an entry of build/ops/dashboards.json, variable values and a time range into a Grafana URL.
// The alert rules' dashboard_url is built with it too, so an alert and the Ops UI link a panel alike.
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import type { OpsDashboard, OpsPanel, OpsVariable } from "./opsIndex.js";

/** A time as Grafana reads it in from/to: "now-1h", epoch milliseconds, or a Date. */
export type GrafanaTime = string | number | Date;
export type VariableValue = string | number | (string | number)[];

export interface UrlOptions {
  /** Grafana's root URL (with any sub-path); without it the URL is a path. */
  base?: string;
  /** Variable values by variable name; each must be a variable of the dashboard. */
  vars?: Record<string, VariableValue>;
  from?: GrafanaTime;
  to?: GrafanaTime;
  /** The panel alone (/d-solo/…?panelId=), for embedding, instead of the dashboard showing it. */
  solo?: boolean;
  /**
   * Variable values written as they are, not URL-encoded: for alert templates such as
   * `{{ $labels.job }}` that Prometheus fills in before the URL is opened.
   */
  verbatim?: Record<string, string>;
}

/** The slug Grafana shows after the uid (any slug opens the dashboard; the uid decides). */
export function dashboardSlug(title: string): string {
  // The last title's slug is kept: every link to a dashboard's panels asks for the same one.
  if (title !== lastSlug.title) {
    lastSlug.title = title;
    lastSlug.slug =
      title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "") || "dashboard";
  }
  return lastSlug.slug;
}

const lastSlug = { title: "", slug: "dashboard" };

export function dashboardPath(uid: string, title: string): string {
  return `/d/${uid}/${dashboardSlug(title)}`;
}

const timeParam = (t: GrafanaTime) => (t instanceof Date ? String(t.getTime()) : String(t));

const NO_OPTIONS: UrlOptions = Object.freeze({});

/** The URL of a dashboard, or of one of its panels (an OpsPanel or its id). */
export function dashboardUrl(d: Pick<OpsDashboard, "uid" | "title" | "variables"> & { panels?: Pick<OpsPanel, "id">[] }, panel?: Pick<OpsPanel, "id"> | number, opts: UrlOptions = NO_OPTIONS): string {
  const panelId = typeof panel === "number" ? panel : panel?.id;
  if (opts.solo && panelId === undefined) throw new Error(`dashboard "${d.uid}": a solo link needs a panel`);
  if (panelId !== undefined && d.panels && !d.panels.some((p) => p.id === panelId)) throw new Error(`dashboard "${d.uid}" has no panel with id ${panelId}`);
  const path = `${opts.solo ? "/d-solo" : "/d"}/${d.uid}/${dashboardSlug(d.title)}`;
  // A panel's path alone (the Ops index makes two for every panel): no list of parameters to join.
  if (opts.base === undefined && !opts.vars && !opts.verbatim && opts.from === undefined && opts.to === undefined) {
    return panelId === undefined ? path : `${path}?${opts.solo ? "panelId" : "viewPanel"}=${panelId}`;
  }
  const params: string[] = [];
  if (panelId !== undefined) params.push(`${opts.solo ? "panelId" : "viewPanel"}=${panelId}`);
  // Only a link with variables reads them (the Ops index makes two links to every panel without).
  if (opts.vars || opts.verbatim) {
    const known = new Set(d.variables.map((v) => v.name));
    const given = [...Object.keys(opts.vars ?? {}), ...Object.keys(opts.verbatim ?? {})];
    for (const name of given) {
      if (!known.has(name)) throw new Error(`dashboard "${d.uid}" has no variable "${name}" (variables: ${[...known].join(", ") || "none"})`);
    }
    // Variables in the dashboard's order, so one link is always written the same way.
    for (const v of d.variables) {
      const value = opts.vars?.[v.name];
      if (value !== undefined) for (const x of Array.isArray(value) ? value : [value]) params.push(`var-${encodeURIComponent(v.name)}=${encodeURIComponent(String(x))}`);
      const raw = opts.verbatim?.[v.name];
      if (raw !== undefined) params.push(`var-${encodeURIComponent(v.name)}=${raw}`);
    }
  }
  if (opts.from !== undefined) params.push(`from=${encodeURIComponent(timeParam(opts.from))}`);
  if (opts.to !== undefined) params.push(`to=${encodeURIComponent(timeParam(opts.to))}`);
  const base = (opts.base ?? "").replace(/\/+$/, "");
  return `${base}${path}${params.length ? `?${params.join("&")}` : ""}`;
}

function defaultValue(current: unknown): string | string[] | null {
  const value = (current as { value?: unknown } | undefined)?.value;
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((x) => typeof x === "string")) return value as string[];
  return null;
}

/** A built dashboard's variables as the index lists them. */
export function opsVariables(d: Dashboard): OpsVariable[] {
  // Keys in the order the index's file lists them: it is serialised and linted without a sorted copy.
  return (d.templating?.list ?? []).map((v) => ({
    default: defaultValue(v.current),
    label: typeof v.label === "string" && v.label ? v.label : v.name,
    name: v.name,
    param: `var-${v.name}`,
  }));
}
