// Dashboards compared by uid, panels by their stable id (falling back to the title, then to the
// content for a retitled panel whose id followed its title), queries by refId, variables by name.
import type { QueryLanguage } from "./format.js";
import type { DashboardDoc, Tree } from "./load.js";
import type { Box, DashboardChange, FieldChange, NamedChange, PanelChange, PanelRef, QueryChange } from "./model.js";
import { wordDiff } from "./text.js";
import { deepDiff, equal, isObject, redactDeep, type Json, type JsonObject, type ValueChange } from "./values.js";

export interface FlatPanel {
  ref: PanelRef;
  kind: "panel" | "row";
  json: JsonObject;
  /** Position in document order (tie-breaker). */
  index: number;
  /** Inside a collapsed row (not on the grid until the row is expanded). */
  nested: boolean;
}

const num = (v: Json | undefined): number | undefined => (typeof v === "number" ? v : undefined);

function gridPos(p: JsonObject): Box | undefined {
  const g = p.gridPos;
  if (!isObject(g)) return undefined;
  return { x: num(g.x) ?? 0, y: num(g.y) ?? 0, w: num(g.w) ?? 0, h: num(g.h) ?? 0 };
}

/** Top-level panels and rows, then the panels of collapsed rows, each with the row it sits under. */
export function flattenPanels(json: JsonObject): FlatPanel[] {
  const out: FlatPanel[] = [];
  let row = "";
  const push = (p: JsonObject, rowTitle: string, nested: boolean) => {
    const kind = p.type === "row" ? "row" : "panel";
    out.push({
      kind,
      json: p,
      index: out.length,
      nested,
      ref: { id: num(p.id), title: String(p.title ?? ""), type: String(p.type ?? ""), gridPos: gridPos(p), row: kind === "row" ? "" : rowTitle },
    });
  };
  for (const p of Array.isArray(json.panels) ? json.panels : []) {
    if (!isObject(p)) continue;
    if (p.type === "row") {
      row = String(p.title ?? "");
      push(p, "", false);
      for (const n of Array.isArray(p.panels) ? p.panels : []) if (isObject(n)) push(n, row, true);
    } else push(p, row, false);
  }
  return out;
}

/** A panel's content apart from its identity and place (id, title, grid position, a row's panels), in a stable key order. */
function contentKey(p: FlatPanel): string {
  const canon = (v: Json): Json =>
    Array.isArray(v) ? v.map(canon) : isObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])])) : v;
  return JSON.stringify(canon(omit(p.json, ["id", "title", "gridPos", "panels"])));
}

/**
 * Pairs panels of two versions of a dashboard: same id and title first, then a title that is unique
 * on both sides (a key changed, or ids of an older build renumbered), then the same id (a panel
 * retitled under a key), then the same content unique on both sides (a panel retitled without a
 * key, whose id followed its title).
 */
export function matchPanels(a: FlatPanel[], b: FlatPanel[]): { pairs: [FlatPanel, FlatPanel][]; removed: FlatPanel[]; added: FlatPanel[] } {
  const pairs: [FlatPanel, FlatPanel][] = [];
  const usedA = new Set<FlatPanel>();
  const usedB = new Set<FlatPanel>();
  const pass = (key: (p: FlatPanel) => string | undefined, unique: boolean) => {
    const left = a.filter((p) => !usedA.has(p));
    const right = b.filter((p) => !usedB.has(p));
    const count = (list: FlatPanel[]) => {
      const m = new Map<string, FlatPanel[]>();
      for (const p of list) {
        const k = key(p);
        if (k === undefined) continue;
        m.set(k, [...(m.get(k) ?? []), p]);
      }
      return m;
    };
    const ma = count(left);
    const mb = count(right);
    for (const [k, as] of ma) {
      const bs = mb.get(k);
      if (!bs) continue;
      if (unique && (as.length !== 1 || bs.length !== 1)) continue;
      for (let i = 0; i < Math.min(as.length, bs.length); i++) {
        pairs.push([as[i], bs[i]]);
        usedA.add(as[i]);
        usedB.add(bs[i]);
      }
    }
  };
  pass((p) => (p.ref.id !== undefined ? `${p.kind}|${p.ref.id}|${p.ref.title}` : undefined), false);
  pass((p) => (p.ref.title ? `${p.kind}|${p.ref.title}` : undefined), true);
  pass((p) => (p.ref.id !== undefined ? `${p.kind}|${p.ref.id}` : undefined), false);
  pass((p) => `${p.kind}|${p.ref.type}|${p.ref.row}|${contentKey(p)}`, true);
  pass((p) => `${p.kind}|${p.ref.title}|${p.ref.type}`, false);
  pairs.sort((x, y) => x[1].index - y[1].index);
  return { pairs, removed: a.filter((p) => !usedA.has(p)), added: b.filter((p) => !usedB.has(p)) };
}

/** A readable name for a changed panel property. */
export function panelField(path: string): string {
  if (path === "type") return "visualisation";
  if (path === "title" || path === "description") return path;
  if (path === "fieldConfig.defaults.unit") return "unit";
  if (path.startsWith("fieldConfig.defaults.thresholds")) return "thresholds";
  if (path.startsWith("options.legend")) return "legend";
  if (path.startsWith("datasource")) return "datasource";
  if (/^fieldConfig\.defaults\.(min|max|decimals)$/.test(path)) return path.split(".").pop()!;
  if (path.startsWith("fieldConfig.defaults.mappings")) return "value mappings";
  if (path.startsWith("fieldConfig.defaults.color")) return "color";
  if (path.startsWith("fieldConfig.overrides")) return "overrides";
  if (path.startsWith("fieldConfig.defaults.custom")) return "style";
  if (path.startsWith("fieldConfig")) return "field config";
  if (path.startsWith("options.")) return "option";
  if (path.startsWith("transformations")) return "transformations";
  if (path.startsWith("links")) return "panel links";
  if (path.startsWith("repeat")) return "repeat";
  return path.split(/[.[]/)[0];
}

const LONG = 30;

export function fieldChange(c: ValueChange, field: string): FieldChange {
  const f: FieldChange = { field, path: c.path };
  if (c.secret) f.secret = true;
  if ("before" in c) f.before = c.before;
  if ("after" in c) f.after = c.after;
  if (typeof c.before === "string" && typeof c.after === "string" && Math.max(c.before.length, c.after.length) > LONG) {
    f.words = wordDiff(c.before, c.after);
  }
  return f;
}

const omit = (o: JsonObject, keys: string[]): JsonObject => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

const QUERY_TEXT = ["expr", "query", "rawSql", "expression"];

function queryText(t: JsonObject): { key?: string; text?: string } {
  for (const key of QUERY_TEXT) if (typeof t[key] === "string") return { key, text: t[key] as string };
  return {};
}

function languageOf(pluginType: string | undefined, key: string | undefined): QueryLanguage {
  if (pluginType === "prometheus" && key === "expr") return "promql";
  if (pluginType === "loki" && key === "expr") return "logql";
  if (pluginType === "tempo" && key === "query") return "traceql";
  return "other";
}

/** The plugin type a datasource reference resolves to, through the dashboard's datasource variables. */
function pluginType(ref: Json | undefined, dashboard: JsonObject, tree: Tree): string | undefined {
  if (!isObject(ref)) return typeof ref === "string" ? tree.datasources.get(ref)?.ds.type as string | undefined : undefined;
  const uid = typeof ref.uid === "string" ? ref.uid : undefined;
  const variable = uid ? /^\$\{?([A-Za-z_]\w*)\}?$/.exec(uid)?.[1] : undefined;
  if (variable) {
    const list = isObject(dashboard.templating) && Array.isArray(dashboard.templating.list) ? dashboard.templating.list : [];
    const v = list.find((x) => isObject(x) && x.name === variable && x.type === "datasource") as JsonObject | undefined;
    if (v && typeof v.query === "string") return v.query;
  }
  if (typeof ref.type === "string") return ref.type;
  const ds = uid ? tree.datasources.get(uid)?.ds : undefined;
  return typeof ds?.type === "string" ? ds.type : undefined;
}

function keyedTargets(p: JsonObject): Map<string, JsonObject> {
  const m = new Map<string, JsonObject>();
  (Array.isArray(p.targets) ? p.targets : []).forEach((t, i) => {
    if (isObject(t)) m.set(typeof t.refId === "string" && t.refId ? t.refId : `#${i + 1}`, t);
  });
  return m;
}

export function compareTargets(
  before: JsonObject | undefined,
  after: JsonObject | undefined,
  ctx: { base: { dashboard: JsonObject; tree: Tree }; head: { dashboard: JsonObject; tree: Tree } },
): QueryChange[] {
  const a = before ? keyedTargets(before) : new Map<string, JsonObject>();
  const b = after ? keyedTargets(after) : new Map<string, JsonObject>();
  const out: QueryChange[] = [];
  for (const refId of [...new Set([...a.keys(), ...b.keys()])]) {
    const ta = a.get(refId);
    const tb = b.get(refId);
    if (ta && tb && equal(ta, tb)) continue;
    const qa = ta ? queryText(ta) : {};
    const qb = tb ? queryText(tb) : {};
    const lang = tb
      ? languageOf(pluginType(tb.datasource ?? after!.datasource, ctx.head.dashboard, ctx.head.tree), qb.key)
      : languageOf(pluginType(ta!.datasource ?? before!.datasource, ctx.base.dashboard, ctx.base.tree), qa.key);
    const q: QueryChange = { refId, status: ta && tb ? "changed" : ta ? "removed" : "added", lang, fields: [] };
    if (qa.text !== undefined) q.before = qa.text;
    if (qb.text !== undefined) q.after = qb.text;
    if (ta && tb) {
      if (qa.text !== qb.text && qa.text !== undefined && qb.text !== undefined) q.words = wordDiff(qa.text, qb.text);
      const rest = (t: JsonObject, key?: string) => omit(t, key ? [key, "refId"] : ["refId"]);
      q.fields = deepDiff(rest(ta, qa.key), rest(tb, qb.key)).map((c) =>
        fieldChange(c, c.path === "legendFormat" ? "legend" : panelField(c.path) === "datasource" ? "datasource" : c.path),
      );
      // The query text moved between fields (expr → query): shown as the text change.
      if (qa.key !== qb.key && qa.text === qb.text) q.fields.push({ field: "query field", path: "", before: qa.key ?? null, after: qb.key ?? null });
    }
    out.push(q);
  }
  return out;
}

function comparePanels(a: FlatPanel, b: FlatPanel, ctx: Parameters<typeof compareTargets>[2]): PanelChange | undefined {
  const strip = (p: JsonObject) => omit(p, ["id", "gridPos", "targets", "panels"]);
  const fields = deepDiff(strip(a.json), strip(b.json), "", { atomic: (p) => p === "fieldConfig.defaults.thresholds" }).map((c) =>
    fieldChange(c, panelField(c.path)),
  );
  if (a.kind === "panel" && a.ref.row !== b.ref.row) fields.push({ field: "row", path: "row", before: a.ref.row, after: b.ref.row });
  const ga = a.ref.gridPos;
  const gb = b.ref.gridPos;
  const moved = !!ga && !!gb && (ga.x !== gb.x || ga.y !== gb.y);
  const resized = !!ga && !!gb && (ga.w !== gb.w || ga.h !== gb.h);
  const queries = a.kind === "panel" ? compareTargets(a.json, b.json, ctx) : [];
  if (!fields.length && !queries.length && !moved && !resized) return undefined;
  return { status: "changed", kind: a.kind, before: a.ref, after: b.ref, title: b.ref.title, moved, resized, fields, queries };
}

function keyedList(list: Json | undefined, key: string): Map<string, JsonObject> {
  const m = new Map<string, JsonObject>();
  (Array.isArray(list) ? list : []).forEach((x, i) => {
    if (!isObject(x)) return;
    let k = typeof x[key] === "string" && x[key] ? (x[key] as string) : `#${i + 1}`;
    while (m.has(k)) k += "'";
    m.set(k, x);
  });
  return m;
}

export function compareNamed(a: Map<string, JsonObject>, b: Map<string, JsonObject>, label: (path: string) => string = (p) => p): NamedChange[] {
  const out: NamedChange[] = [];
  for (const name of [...new Set([...a.keys(), ...b.keys()])]) {
    const x = a.get(name);
    const y = b.get(name);
    if (x && y) {
      const fields = deepDiff(x, y).map((c) => fieldChange(c, label(c.path)));
      if (fields.length) out.push({ name, status: "changed", fields });
    } else out.push({ name, status: x ? "removed" : "added", fields: [], value: redactDeep((x ?? y)!) });
  }
  return out;
}

const templating = (d: JsonObject) => (isObject(d.templating) ? d.templating.list : undefined);
const annotationList = (d: JsonObject) => (isObject(d.annotations) ? d.annotations.list : undefined);

export function compareDashboards(base: Tree, head: Tree): DashboardChange[] {
  const out: DashboardChange[] = [];
  const uids = [...new Set([...base.dashboards.keys(), ...head.dashboards.keys()])].sort();
  for (const uid of uids) {
    const a = base.dashboards.get(uid);
    const b = head.dashboards.get(uid);
    const c = compareDashboard(a, b, base, head);
    if (c) out.push(c);
  }
  return out;
}

function panelCount(d: DashboardDoc | undefined): number {
  return d ? flattenPanels(d.json).filter((p) => p.kind === "panel").length : 0;
}

export function compareDashboard(a: DashboardDoc | undefined, b: DashboardDoc | undefined, base: Tree, head: Tree): DashboardChange | undefined {
  const either = (b ?? a)!;
  const change: DashboardChange = {
    uid: either.uid,
    status: a && b ? "changed" : a ? "removed" : "added",
    title: either.title,
    folder: { before: a?.folderUid, after: b?.folderUid },
    file: { before: a?.path, after: b?.path },
    panelCount: { before: panelCount(a), after: panelCount(b) },
    settings: [],
    panels: [],
    variables: [],
    links: [],
    annotations: [],
    idChanges: [],
  };
  if (!a || !b) return change;
  if (a.title !== b.title) change.titleBefore = a.title;
  const ctx = { base: { dashboard: a.json, tree: base }, head: { dashboard: b.json, tree: head } };

  const SKIP = ["panels", "templating", "links", "annotations", "uid", "id", "version", "title"];
  change.settings = deepDiff(omit(a.json, SKIP), omit(b.json, SKIP)).map((c) => fieldChange(c, c.path));
  if (isObject(a.json.annotations) && isObject(b.json.annotations)) {
    change.settings.push(
      ...deepDiff(omit(a.json.annotations, ["list"]), omit(b.json.annotations, ["list"]), "annotations").map((c) => fieldChange(c, c.path)),
    );
  }

  const pa = flattenPanels(a.json);
  const pb = flattenPanels(b.json);
  const { pairs, removed, added } = matchPanels(pa, pb);
  const panels: PanelChange[] = [];
  for (const [x, y] of pairs) {
    const pc = comparePanels(x, y, ctx);
    if (pc) panels.push(pc);
    if (x.ref.id !== undefined && y.ref.id !== undefined && x.ref.id !== y.ref.id) {
      change.idChanges.push({ title: y.ref.title, ...(x.ref.title !== y.ref.title ? { titleBefore: x.ref.title } : {}), before: x.ref.id, after: y.ref.id });
    }
  }
  for (const p of removed) {
    panels.push({ status: "removed", kind: p.kind, before: p.ref, title: p.ref.title, moved: false, resized: false, fields: [], queries: p.kind === "panel" ? compareTargets(p.json, undefined, ctx) : [] });
  }
  for (const p of added) {
    panels.push({ status: "added", kind: p.kind, after: p.ref, title: p.ref.title, moved: false, resized: false, fields: [], queries: p.kind === "panel" ? compareTargets(undefined, p.json, ctx) : [] });
  }
  const order = (p: PanelChange) => (p.after ? pb.findIndex((x) => x.ref === p.after) : 1e6 + pa.findIndex((x) => x.ref === p.before));
  change.panels = panels.sort((x, y) => order(x) - order(y));

  change.variables = compareNamed(keyedList(templating(a.json), "name"), keyedList(templating(b.json), "name"));
  change.links = compareNamed(keyedList(a.json.links, "title"), keyedList(b.json.links, "title"));
  change.annotations = compareNamed(keyedList(annotationList(a.json), "name"), keyedList(annotationList(b.json), "name"));

  const changed =
    change.titleBefore !== undefined ||
    a.folderUid !== b.folderUid ||
    change.settings.length + change.panels.length + change.variables.length + change.links.length + change.annotations.length + change.idChanges.length > 0;
  return changed ? change : undefined;
}

