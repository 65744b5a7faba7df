// Verification of an idiomatic import: the build is compared with the original by meaning, not bytes.
// Per panel: kind, position, title, description, unit, decimals, min/max, thresholds, colour mode,
// overrides, legend placement and each query (expression, legend format, instant/range, format,
// hidden, datasource); per dashboard: variables, links and time settings. Absent values read as the
// default Grafana assumes for them. Every other difference (styling the presets choose, SDK defaults,
// `pluginVersion`, the `current` value of variables) is not compared; the rules in normalise.ts
// (IDIOMATIC_RULES) say which changes of meaning an idiomatic import may make.
import { collapsedRowShift, shifted } from "./rows.js";
import { jsonEqual } from "./normalise.js";

export interface SemanticContext {
  /** Original datasource uid → uid in the generated code (provisioned datasources). */
  datasourceUids: Map<string, string>;
  /** Datasource variables renamed in the code (old name → new name). */
  renamedVariables: Map<string, string>;
  /** Metric names rewritten to their catalog name (alias → name). */
  metricAliases: Map<string, string>;
  /** Links the house dashboard frame adds (by title), not in the original. */
  houseLinks: string[];
}

export interface SemanticDifference {
  where: string;
  original: unknown;
  built: unknown;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown, d = ""): string => (typeof v === "string" ? v : d);

// Grafana's thresholds when a panel has none.
const DEFAULT_THRESHOLDS = {
  mode: "absolute",
  steps: [
    { color: "green", value: null },
    { color: "red", value: 80 },
  ],
};

// Grafana's colour mode of a panel kind whose fieldConfig names none.
const DEFAULT_COLOUR_MODE: Record<string, string> = {
  timeseries: "palette-classic",
  barchart: "palette-classic",
  piechart: "palette-classic",
  histogram: "palette-classic",
  trend: "palette-classic",
  xychart: "palette-classic",
};

// What Grafana assumes for a dashboard link's missing keys.
const LINK_DEFAULTS: Record<string, unknown> = {
  tooltip: "",
  icon: "",
  tags: [],
  asDropdown: false,
  targetBlank: false,
  includeVars: false,
  keepTime: false,
};

function varName(uid: string): string | undefined {
  const m = /^\$\{?([A-Za-z_]\w*)(?::\w+)?\}?$/.exec(uid);
  return m ? m[1] : undefined;
}

/** A datasource reference as one comparable string: "var:datasource", "uid:…", "grafana", "default". */
function datasourceKey(ref: unknown, ctx: SemanticContext, original: boolean): string {
  const uid = typeof ref === "string" ? ref : isObj(ref) ? ref.uid : undefined;
  if (ref === undefined || ref === null || (isObj(ref) && uid === undefined)) return "default";
  if (typeof uid !== "string") return JSON.stringify(ref);
  if (original && ctx.datasourceUids.has(uid)) return `uid:${ctx.datasourceUids.get(uid)}`;
  const v = varName(uid);
  if (v) return `var:${original ? (ctx.renamedVariables.get(v) ?? v) : v}`;
  if (uid === "grafana" || uid === "-- Grafana --") return "grafana";
  return `uid:${original ? (ctx.datasourceUids.get(uid) ?? uid) : uid}`;
}

function withAliases(expr: string, ctx: SemanticContext): string {
  let out = expr;
  for (const [alias, name] of ctx.metricAliases) out = out.replace(new RegExp(`\\b${alias}\\b(?!_)`, "g"), name);
  return out;
}

function targetMeaning(t: Obj, panelDs: unknown, ctx: SemanticContext, original: boolean) {
  // Whitespace around an expression means nothing to Prometheus (rule grafana-defaults).
  const expr = str(t.expr, str(t.query)).trim();
  return {
    expr: original ? withAliases(expr, ctx) : expr,
    legendFormat: str(t.legendFormat),
    mode: t.instant === true ? (t.range === true ? "both" : "instant") : "range",
    format: str(t.format, "time_series"),
    hide: t.hide === true,
    datasource: datasourceKey(t.datasource ?? panelDs, ctx, original),
  };
}

function legendPlacement(p: Obj): string {
  const legend = isObj(p.options) && isObj(p.options.legend) ? p.options.legend : undefined;
  if (!legend) return "bottom";
  if (legend.showLegend === false || legend.displayMode === "hidden") return "hidden";
  return str(legend.placement, "bottom");
}

function panelMeaning(p: Obj, ctx: SemanticContext, original: boolean) {
  const fc = isObj(p.fieldConfig) ? p.fieldConfig : {};
  const d = isObj(fc.defaults) ? fc.defaults : {};
  const g = isObj(p.gridPos) ? p.gridPos : {};
  const thresholds = isObj(d.thresholds) ? d.thresholds : DEFAULT_THRESHOLDS;
  const m: Obj = {
    kind: p.type,
    position: { x: g.x ?? 0, y: g.y ?? 0, w: g.w, h: g.h },
    title: str(p.title),
    description: str(p.description),
  };
  if (p.type === "row") return { ...m, collapsed: p.collapsed === true };
  const colour = isObj(d.color) ? d.color : {};
  Object.assign(m, {
    unit: str(d.unit) === "none" ? "" : str(d.unit),
    decimals: d.decimals ?? null,
    min: d.min ?? null,
    max: d.max ?? null,
    thresholds: {
      mode: str(thresholds.mode, "absolute"),
      steps: arr(thresholds.steps).map((s) => (isObj(s) ? { color: s.color, value: s.value ?? null } : s)),
    },
    colourMode: {
      field: str(colour.mode, DEFAULT_COLOUR_MODE[str(p.type)] ?? "thresholds"),
      fixed: colour.fixedColor ?? null,
    },
    overrides: arr(fc.overrides),
    legend: legendPlacement(p),
    targets: arr(p.targets).map((t) => (isObj(t) ? targetMeaning(t, p.datasource, ctx, original) : t)),
  });
  if (p.type === "stat" && isObj(p.options)) (m.colourMode as Obj).stat = str(p.options.colorMode, "value");
  else if (p.type === "stat") (m.colourMode as Obj).stat = "value";
  return m;
}

/** Panels in document order, those of collapsed rows after their row. */
function flatPanels(d: Obj): Obj[] {
  const out: Obj[] = [];
  for (const p of arr(d.panels)) {
    if (!isObj(p)) continue;
    out.push(p);
    const shift = collapsedRowShift(p);
    for (const q of arr(p.panels)) if (isObj(q)) out.push(shifted(q, shift) as Obj);
  }
  return out;
}

function variableMeaning(v: Obj, ctx: SemanticContext, original: boolean) {
  const name = str(v.name);
  const query = isObj(v.query) ? str(v.query.query) : typeof v.query === "string" ? v.query : "";
  return {
    name: original && v.type === "datasource" ? (ctx.renamedVariables.get(name) ?? name) : name,
    type: v.type,
    label: str(v.label),
    query: original ? withAliases(query, ctx) : query,
    datasource: v.type === "query" ? datasourceKey(v.datasource, ctx, original) : null,
    multi: v.multi === true,
    includeAll: v.includeAll === true,
    allValue: v.includeAll === true ? (v.allValue ?? null) : null,
    hide: v.hide ?? 0,
    regex: str(v.regex),
  };
}

function dashboardMeaning(d: Obj, ctx: SemanticContext, original: boolean) {
  const time = isObj(d.time) ? d.time : {};
  const links = arr(d.links)
    .filter((l) => original || !(isObj(l) && ctx.houseLinks.includes(str(l.title))))
    .map((l) =>
      isObj(l) ? Object.fromEntries(Object.entries(l).filter(([k, v]) => !jsonEqual(LINK_DEFAULTS[k], v))) : l,
    );
  return {
    variables: arr(isObj(d.templating) ? d.templating.list : undefined).map((v) =>
      isObj(v) ? variableMeaning(v, ctx, original) : v,
    ),
    links,
    time: {
      from: str(time.from, "now-6h"),
      to: str(time.to, "now"),
      refresh: str(d.refresh),
      timezone: str(d.timezone) === "" ? "browser" : str(d.timezone),
    },
  };
}

function diff(where: string, a: unknown, b: unknown, out: SemanticDifference[]): void {
  if (jsonEqual(a, b)) return;
  if (isObj(a) && isObj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diff(`${where} ${k}`, a[k], b[k], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => diff(`${where}[${i}]`, x, b[i], out));
    return;
  }
  out.push({ where: where.trim(), original: a, built: b });
}

/** Every difference in meaning between the original dashboard and a build of its idiomatic import. */
export function compareMeaning(original: unknown, built: unknown, ctx: SemanticContext): SemanticDifference[] {
  const a = isObj(original) ? original : {};
  const b = isObj(built) ? built : {};
  const out: SemanticDifference[] = [];
  diff("dashboard", dashboardMeaning(a, ctx, true), dashboardMeaning(b, ctx, false), out);
  const pa = flatPanels(a);
  const pb = flatPanels(b);
  if (pa.length !== pb.length) out.push({ where: "panels (count)", original: pa.length, built: pb.length });
  pa.forEach((p, i) => {
    if (i >= pb.length) return;
    const label = `${p.type === "row" ? "row" : "panel"} "${str(p.title)}"`;
    const a = panelMeaning(p, ctx, true);
    const b = panelMeaning(pb[i], ctx, false);
    // grid-origin (normalise.ts): a panel saved at x=0,y=0 is placed by the SDK's DashboardBuilder.
    const pos = a.position as Obj;
    if (pos.x === 0 && pos.y === 0) Object.assign(pos, { x: (b.position as Obj).x, y: (b.position as Obj).y });
    diff(label, a, b, out);
  });
  return out;
}

export function formatSemanticDifference(d: SemanticDifference): string {
  const show = (v: unknown) => {
    const s = v === undefined ? "(absent)" : JSON.stringify(v);
    return s.length > 120 ? `${s.slice(0, 119)}…` : s;
  };
  return `${d.where}: original ${show(d.original)}, built ${show(d.built)}`;
}
