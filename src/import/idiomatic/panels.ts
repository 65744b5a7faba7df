// Panels and queries of an idiomatic import. A timeseries or stat panel whose unit Grafana knows is a
// preset call with its meaning as arguments, plus a builder method for each meaning the preset does
// not give (legend placement, colour mode, overrides, thresholds other than "green, then steps");
// every other panel is written with its SDK builder (generate.ts) from the tidied JSON. Queries are
// prom(q.name()) calls; their expressions go to queries.ts.
import * as units from "@grafana/grafana-foundation-sdk/units";
import { PROMETHEUS_VAR } from "../../presets/targets.js";
import type { Generator } from "../generate.js";
import { type Expr, lit, type PrintState, print } from "../ir.js";
import { json } from "../values.js";
import type { Path } from "../normalise.js";
import { type PanelArgs, PRESET_SETS, type PresetWriter } from "./presets.js";
import type { QueryFile } from "./queryFile.js";
import { tidyPanel } from "./tidy.js";
import { collapsedRowShift, shifted } from "../rows.js";
import { NUMERIC_PANEL_TYPES } from "../../validate/dashboardStructure.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const UNITS = new Set<unknown>(Object.values(units).filter((v) => typeof v === "string"));

export interface PanelWriter {
  gen: Generator;
  presets: PresetWriter;
  queries: QueryFile;
  state: PrintState;
  /** Datasource variables renamed (old → new). */
  renamed: Map<string, string>;
  /** Rewrites an expression's metric names to their catalog spelling (and records what it did). */
  metricNames: (expr: string, where: string, kind?: "panel" | "variable") => string;
  /** Titles of panels without a description (the lint requires one). */
  undescribed: string[];
  /** Titles of numeric panels without a unit (the lint requires one). */
  unitless: string[];
  /** Panel identities (title, rows "row:<title>") seen so far → how often: the second gets a key. */
  identities: Map<string, number>;
}

/** The code with a key when another panel of the dashboard has the same identity (the build's panel ids). */
function keyed(w: PanelWriter, identity: string, code: string): string {
  const n = (w.identities.get(identity) ?? 0) + 1;
  w.identities.set(identity, n);
  return n > 1 ? w.presets.withKey(code, `${identity} #${n}`) : code;
}

function enumCode(w: PanelWriter, key: string, value: unknown): string | undefined {
  const e = w.gen.model.enums.get(key);
  const member = e?.members.get(value as string | number);
  if (!e || member === undefined) return undefined;
  return print({ t: "enum", ns: e.ns, name: e.name, member, value: value as string | number }, w.state);
}

function renameRef(ref: unknown, renamed: Map<string, string>): unknown {
  if (!isObj(ref) || typeof ref.uid !== "string") return ref;
  const m = /^\$\{?([A-Za-z_]\w*)\}?$/.exec(ref.uid);
  const to = m && renamed.get(m[1]);
  return to ? { ...ref, uid: `\${${to}}` } : ref;
}

/** The datasource a query reads, as code to chain after prom(), or "" when prom()'s own (the Prometheus datasource variable) is it. */
function datasourceChain(w: PanelWriter, ref: unknown): string {
  const r = renameRef(ref, w.renamed);
  if (isObj(r) && r.uid === PROMETHEUS_VAR.uid) return "";
  if (r === undefined || r === null) return "";
  const mapped = isObj(ref) ? w.gen.refs.get(ref) : undefined;
  const expr: Expr = mapped?.key
    ? {
        t: "obj",
        props: [
          ["type", lit(isObj(r) ? r.type : "prometheus")],
          ["uid", { t: "ctxds", key: mapped.key }],
        ],
      }
    : lit(r);
  return `.datasource(${print(expr, w.state)})`;
}

function isPromTarget(t: Obj, panel: Obj): boolean {
  const ds = t.datasource ?? panel.datasource;
  const type = isObj(ds) ? ds.type : undefined;
  return typeof t.expr === "string" && (type === undefined || type === "prometheus");
}

function targetCode(w: PanelWriter, t: Obj, panel: Obj, abs: Path, title: string, refIds: boolean): string {
  const ds = t.datasource ?? panel.datasource;
  if (!isPromTarget(t, panel)) return print(w.gen.query(t, abs), w.state);
  const expr = (t.expr as string).trim();
  const hint = `${title} ${typeof t.legendFormat === "string" && t.legendFormat && !t.legendFormat.includes("{{") ? t.legendFormat : ""}`;
  const call = w.queries.add(
    w.metricNames(expr, `panel "${title}" query ${String(t.refId || abs[abs.length - 1])}`),
    hint,
  );
  const format = typeof t.format === "string" ? t.format : "time_series";
  let code = w.presets.prom(call, {
    legend: typeof t.legendFormat === "string" ? t.legendFormat : undefined,
    instant: t.instant === true,
    table: format === "table",
    exemplar: t.exemplar === true,
  });
  code += datasourceChain(w, ds);
  if (format !== "table" && format !== "time_series")
    code += `.format(${enumCode(w, "prometheus.PromQueryFormat", format) ?? JSON.stringify(format)})`;
  if (t.instant === true && t.range === true) code += ".range().instant()";
  if (t.hide === true) code += ".hide(true)";
  if (typeof t.interval === "string" && t.interval) code += `.interval(${print(lit(t.interval), w.state)})`;
  if (refIds && typeof t.refId === "string") code += `.refId(${print(lit(t.refId), w.state)})`;
  return code;
}

/** The panel's queries as code; `refIds`: each keeps its own (a panel preset assigns A, B, … itself). */
function targetsOf(w: PanelWriter, p: Obj, abs: Path, refIds = false): string[] {
  const list = Array.isArray(p.targets) ? p.targets : [];
  return list.map((t, i) =>
    isObj(t)
      ? targetCode(w, t, p, [...abs, "targets", i], String(p.title ?? ""), refIds)
      : print(json(w.gen, t), w.state),
  );
}

function gridPos(w: PanelWriter, p: Obj): string {
  const g = isObj(p.gridPos) ? p.gridPos : undefined;
  return g ? `.gridPos(${print(lit({ h: g.h, w: g.w, x: g.x, y: g.y }), w.state)})` : "";
}

/** Whether the panel's thresholds are "green base, absolute, then steps" (the presets' form). */
function presetThresholds(d: Obj): [number, string][] | undefined {
  const t = d.thresholds;
  if (t === undefined) return [[80, "red"]]; // Grafana's default when a panel has none
  if (!isObj(t) || (t.mode !== undefined && t.mode !== "absolute") || !Array.isArray(t.steps)) return undefined;
  const [base, ...rest] = t.steps as Obj[];
  if (!isObj(base) || base.color !== PRESET_SETS.thresholdBase || (base.value !== null && base.value !== undefined))
    return undefined;
  const steps = rest.map((s) =>
    isObj(s) && typeof s.value === "number" && typeof s.color === "string" ? [s.value, s.color] : undefined,
  );
  return steps.every((s) => s) ? (steps as [number, string][]) : undefined;
}

function presetPanel(w: PanelWriter, p: Obj, abs: Path): string | undefined {
  if (p.type !== "timeseries" && p.type !== "stat") return undefined;
  const fc = isObj(p.fieldConfig) ? p.fieldConfig : {};
  const d = isObj(fc.defaults) ? fc.defaults : {};
  const unit = d.unit === undefined || d.unit === "" ? "none" : d.unit;
  const steps = presetThresholds(d);
  // Thresholds of another form (percentage, another base colour) replace the preset's with a builder.
  const ownThresholds = !steps && isObj(d.thresholds) && Array.isArray(d.thresholds.steps) ? d.thresholds : undefined;
  if (!UNITS.has(unit) || (!steps && !ownThresholds) || p.repeat !== undefined || p.libraryPanel !== undefined)
    return undefined;
  if (!(Array.isArray(p.targets) ? p.targets : []).every((t) => isObj(t) && isPromTarget(t, p))) return undefined;
  const args: PanelArgs = {
    title: String(p.title ?? ""),
    description: typeof p.description === "string" ? p.description : "",
    unit: String(unit),
    targets: targetsOf(w, p, abs),
    thresholds: steps ?? [],
  };
  for (const k of ["min", "max", "decimals"] as const) if (typeof d[k] === "number") args[k] = d[k] as number;
  const o = isObj(p.options) ? p.options : {};
  const custom = isObj(d.custom) ? d.custom : {};
  let code =
    p.type === "timeseries"
      ? w.presets.timeseries({ ...args, stack: isObj(custom.stacking) && custom.stacking.mode === "normal" })
      : w.presets.stat({ ...args, graph: o.graphMode === "none" ? false : undefined });
  // Meanings the preset does not give.
  const legend = isObj(o.legend) ? o.legend : undefined;
  if (p.type === "timeseries" && legend) {
    if (legend.showLegend === false || legend.displayMode === "hidden")
      code += `.legend(new common.VizLegendOptionsBuilder().showLegend(false))`;
    else if (typeof legend.placement === "string" && legend.placement !== PRESET_SETS.legendPlacement) {
      const placement = enumCode(w, "common.LegendPlacement", legend.placement);
      const mode = enumCode(w, "common.LegendDisplayMode", legend.displayMode ?? "list");
      code += `.legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(${mode}).placement(${placement}))`;
    }
    if (code.includes("common.VizLegendOptionsBuilder")) w.state.namespaces.add("common");
  }
  if (p.type === "stat" && typeof o.colorMode === "string" && o.colorMode !== PRESET_SETS.statColorMode) {
    const m = enumCode(w, "common.BigValueColorMode", o.colorMode);
    if (m) code += `.colorMode(${m})`;
  }
  const colour = isObj(d.color) ? d.color : undefined;
  const defaultColour = p.type === "timeseries" ? "palette-classic" : "thresholds";
  if (colour && (colour.mode !== defaultColour || colour.fixedColor !== undefined)) {
    w.state.namespaces.add("dashboard");
    const mode = enumCode(w, "dashboard.FieldColorModeId", colour.mode);
    let c = `new dashboard.FieldColorBuilder()${mode ? `.mode(${mode})` : ""}`;
    if (typeof colour.fixedColor === "string") c += `.fixedColor(${print(lit(colour.fixedColor), w.state)})`;
    if (typeof colour.seriesBy === "string")
      c += `.seriesBy(${enumCode(w, "dashboard.FieldColorSeriesByMode", colour.seriesBy) ?? "undefined"})`;
    code += `.colorScheme(${c})`;
  }
  if (ownThresholds) {
    const info = w.gen.builder("dashboard.ThresholdsConfigBuilder");
    const where = `panel "${String(p.title ?? "")}" thresholds`;
    code += `.thresholds(${print(w.gen.build(info, ownThresholds, [...abs, "fieldConfig", "defaults", "thresholds"], where), w.state)})`;
  }
  if (Array.isArray(fc.overrides) && fc.overrides.length)
    code += `.overrides(${print(json(w.gen, fc.overrides), w.state)})`;
  return code + gridPos(w, p);
}

/** A panel (or a row with its panels) as code. */
export function panelCode(w: PanelWriter, p: unknown, abs: Path): string {
  if (!isObj(p)) return print(w.gen.panel(p, abs), w.state);
  if (p.type === "row") {
    let code = w.presets.row(String(p.title ?? "")) + gridPos(w, p);
    if (p.collapsed === true) code += ".collapsed(true)";
    code = keyed(w, `row:${String(p.title ?? "")}`, code);
    const shift = collapsedRowShift(p);
    if (Array.isArray(p.panels))
      p.panels.forEach((q, j) => (code += `\n.withPanel(${panelCode(w, shifted(q, shift), [...abs, "panels", j])})`));
    return code;
  }
  if (typeof p.description !== "string" || !p.description.trim()) w.undescribed.push(String(p.title ?? ""));
  const preset = presetPanel(w, p, abs);
  if (preset) return keyed(w, String(p.title ?? ""), preset);
  const fc = isObj(p.fieldConfig) ? p.fieldConfig : {};
  const unit = isObj(fc.defaults) ? fc.defaults.unit : undefined;
  if (NUMERIC_PANEL_TYPES.has(String(p.type)) && (typeof unit !== "string" || !unit)) w.unitless.push(String(p.title ?? ""));
  // Written with its SDK builder; the queries are added as the presets write them.
  const tidy = tidyPanel(p, w.gen.refs);
  // The panel keeps its own datasource (Grafana's panel editor and the lint read it), renamed like the queries'.
  if (tidy.datasource !== undefined) tidy.datasource = renameRef(tidy.datasource, w.renamed);
  let expr = w.gen.panel(tidy, abs);
  // Kept as raw JSON: the queries stay in it.
  if (expr.t === "raw") return print(w.gen.panel({ ...tidy, targets: p.targets }, abs), w.state);
  const targets = targetsOf(w, p, abs, true);
  const builder = expr.t === "withRaw" ? expr.builder : expr;
  if (targets.length && builder.t === "new")
    builder.calls.push({ m: "targets", args: [{ t: "code", text: `[${targets.join(", ")}]` }] });
  if (expr.t !== "withRaw") return keyed(w, String(p.title ?? ""), print(expr, w.state));
  // withRaw() gives a plain builder: the key goes on the SDK builder inside it.
  expr.builder = { t: "code", text: keyed(w, String(p.title ?? ""), print(expr.builder, w.state)) };
  return print(expr, w.state);
}
