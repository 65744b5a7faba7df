// A built dashboard once its own checks have run and its text is emitted: the build keeps only what
// the checks across dashboards read of it (uids, titles, links, panel ids and titles, variables) and
// its text, so 1,000 dashboards never sit in memory as objects at once.
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import type { BuiltDashboard } from "../model/dashboard.js";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The fields of a field config that hold links: defaults.links and the overrides' "links" properties. */
function fieldConfigLinks(fc: unknown): unknown {
  if (!isObject(fc)) return undefined;
  const out: Record<string, unknown> = {};
  if (isObject(fc.defaults) && fc.defaults.links !== undefined) out.defaults = { links: fc.defaults.links };
  if (Array.isArray(fc.overrides)) {
    out.overrides = fc.overrides.map((o) => (isObject(o) && Array.isArray(o.properties) ? { properties: o.properties.filter(isLinksProperty) } : {}));
  }
  return out;
}

const isLinksProperty = (p: unknown) => isObject(p) && p.id === "links";

function panelSummary(p: Record<string, unknown>, nested: boolean): Record<string, unknown> {
  // The fields one by one (no list of names per panel), in this order.
  const out: Record<string, unknown> = {};
  if (p.id !== undefined) out.id = p.id;
  if (p.type !== undefined) out.type = p.type;
  if (p.title !== undefined) out.title = p.title;
  if (p.description !== undefined) out.description = p.description;
  if (p.links !== undefined) out.links = p.links;
  if (p.fieldConfig !== undefined) out.fieldConfig = fieldConfigLinks(p.fieldConfig);
  // The queries' text only: an alert's dashboard_url opens on the alerting job when they filter by $job.
  if (Array.isArray(p.targets)) out.targets = p.targets.map(targetSummary);
  if (!nested && p.type === "row") out.panels = list(p.panels).filter(isObject).map(nestedPanelSummary);
  return out;
}

const targetSummary = (t: unknown) => (isObject(t) ? (t.expr !== undefined ? { expr: t.expr } : {}) : t);
const nestedPanelSummary = (n: Record<string, unknown>) => panelSummary(n, true);
const topPanelSummary = (n: Record<string, unknown>) => panelSummary(n, false);

/**
 * What the checks across dashboards read of a dashboard: uid, title, tags, dashboard links,
 * variables (name, label, default), and of every panel (rows and their panels, as allPanels walks
 * them) its id, type, title, description, links, data links and query texts.
 */
export function dashboardSummary(d: BuiltDashboard): BuiltDashboard {
  let json = summaries.get(d.json);
  if (!json) summaries.set(d.json, (json = summaryJson(d.json as unknown as Record<string, unknown>)));
  return { definition: d.definition, folderUid: d.folderUid, json };
}

// A dashboard --watch keeps from an earlier build (src/cache/memory.ts) is the same object, never
// mutated: its summary is the same object too, so what the checks across dashboards keep per
// summary (Ops index entries, link verdicts, counts) is found again instead of derived anew.
const summaries = new WeakMap<object, Dashboard>();

/** A summary read back (the build cache, src/pipeline/cache.ts) stands for its dashboard: it is its own summary. */
export function heldSummary(json: Dashboard): Dashboard {
  summaries.set(json, json);
  return json;
}

function summaryJson(j: Record<string, unknown>): Dashboard {
  const json: Record<string, unknown> = {};
  for (const k of ["uid", "title", "tags", "links"]) if (j[k] !== undefined) json[k] = j[k];
  if (isObject(j.templating)) {
    json.templating = {
      list: list(j.templating.list).map((v) =>
        isObject(v) ? { name: v.name, ...(v.label !== undefined ? { label: v.label } : {}), ...(isObject(v.current) ? { current: { value: v.current.value } } : {}) } : v,
      ),
    };
  }
  if (j.panels !== undefined) json.panels = Array.isArray(j.panels) ? j.panels.filter(isObject).map(topPanelSummary) : j.panels;
  return json as unknown as Dashboard;
}

/**
 * A dashboard of a build's result: its JSON is parsed from the emitted text when first asked for
 * (given as a function when the build does not hold it: read back from the file it streamed).
 */
export function emittedDashboard(d: Pick<BuiltDashboard, "definition" | "folderUid">, text: string | (() => string)): BuiltDashboard {
  let json: Dashboard | undefined;
  return {
    definition: d.definition,
    folderUid: d.folderUid,
    get json() {
      return (json ??= JSON.parse(typeof text === "string" ? text : text()) as Dashboard);
    },
  };
}
