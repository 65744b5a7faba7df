// What an idiomatic import leaves out because Grafana fills it in itself or ignores it: ids,
// `pluginVersion`, the `current` value and `options` of variables (Grafana fills them in on load),
// legacy query fields (`step`, `intervalFactor`), empty lists and defaults of legend, tooltip,
// reduce options and field styles. Objects that are datasource references keep their identity (the
// generator maps them by object).
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

// Grafana's defaults for fieldConfig.defaults.custom of graph-like panels and tables.
const CUSTOM_DEFAULTS: Obj = {
  axisBorderShow: false,
  axisCenteredZero: false,
  axisColorMode: "text",
  axisLabel: "",
  axisPlacement: "auto",
  barAlignment: 0,
  barWidthFactor: 0.6,
  drawStyle: "line",
  fillOpacity: 0,
  gradientMode: "none",
  hideFrom: { legend: false, tooltip: false, viz: false },
  insertNulls: false,
  lineInterpolation: "linear",
  lineStyle: { fill: "solid" },
  lineWidth: 1,
  pointSize: 5,
  scaleDistribution: { type: "linear" },
  showPoints: "auto",
  spanNulls: false,
  stacking: { group: "A", mode: "none" },
  thresholdsStyle: { mode: "off" },
  align: "auto",
  cellOptions: { type: "auto" },
  inspect: false,
};
const OPTION_DEFAULTS: Obj = {
  legend: { calcs: [], displayMode: "list", placement: "bottom", showLegend: true },
  tooltip: { mode: "single", sort: "none" },
  reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false },
  footer: { countRows: false, fields: "", reducer: ["sum"], show: false },
};

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isEmpty(v: unknown): boolean {
  return (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0) || v === "";
}

/** A deep copy that keeps the objects of `keep` (datasource references) as they are. */
export function copyKeeping<T>(v: T, keep: Map<object, unknown>): T {
  if (isObj(v)) {
    if (keep.has(v)) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyKeeping(x, keep)])) as T;
  }
  if (Array.isArray(v)) return v.map((x) => copyKeeping(x, keep)) as T;
  return v;
}

/** The panel without what Grafana fills in or ignores (a copy; `targets` are written apart). */
export function tidyPanel(p: Obj, keep: Map<object, unknown>): Obj {
  const out = copyKeeping(p, keep);
  for (const k of ["id", "pluginVersion", "targets"]) delete out[k];
  for (const k of ["links", "transformations", "description"]) if (isEmpty(out[k])) delete out[k];
  if (isObj(out.options)) {
    const o = out.options;
    for (const [k, d] of Object.entries(OPTION_DEFAULTS)) {
      const v = o[k];
      if (
        isObj(v) &&
        isObj(d) &&
        Object.entries(v).every(([kk, x]) => same(x, d[kk]) || (kk === "hideZeros" && x === false))
      )
        delete o[k];
    }
    if (isEmpty(o.sortBy)) delete o.sortBy;
    // Keys of these Grafana reads as their defaults one by one.
    for (const k of ["reduceOptions", "footer"]) {
      const v = o[k];
      const d = OPTION_DEFAULTS[k] as Obj;
      if (isObj(v)) for (const [kk, x] of Object.entries(v)) if (kk !== "calcs" && same(x, d[kk])) delete v[kk];
      if (isEmpty(v)) delete o[k];
    }
    if (isEmpty(o)) delete out.options;
  }
  const fc = out.fieldConfig;
  if (isObj(fc)) {
    if (isEmpty(fc.overrides)) delete fc.overrides;
    const d = fc.defaults;
    if (isObj(d)) {
      if (isObj(d.custom)) {
        for (const [k, v] of Object.entries(d.custom))
          if (k in CUSTOM_DEFAULTS && same(v, CUSTOM_DEFAULTS[k])) delete d.custom[k];
        if (isEmpty(d.custom)) delete d.custom;
      }
      if (isEmpty(d.mappings)) delete d.mappings;
      // The colour mode Grafana uses for the panel kind anyway.
      const defaultColour = ["timeseries", "barchart", "piechart", "histogram", "trend", "xychart"].includes(
        String(out.type),
      )
        ? "palette-classic"
        : "thresholds";
      if (isObj(d.color) && Object.keys(d.color).length === 1 && d.color.mode === defaultColour) delete d.color;
      if (isEmpty(d.links)) delete d.links;
      if (isEmpty(d)) delete fc.defaults;
    }
    if (isEmpty(fc)) delete out.fieldConfig;
  }
  return out;
}

/** The variable without its current value and the options Grafana computes. */
export function tidyVariable(v: Obj, keep: Map<object, unknown>): Obj {
  const out = copyKeeping(v, keep);
  delete out.current;
  if (out.type === "query" || out.type === "datasource" || out.type === "custom" || out.type === "interval")
    delete out.options;
  for (const k of ["description", "regex", "definition", "tags", "tagsQuery", "tagValuesQuery", "useTags"])
    if (isEmpty(out[k]) || out[k] === false) delete out[k];
  return out;
}
