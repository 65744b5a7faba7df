// What a panel's field config says about one value: its text (unit, decimals, value mappings) and
// its colour (mapping, thresholds or the series' palette colour), and the reductions of a series.
import type { PanelJson, Series } from "../model.js";
import { PALETTE, resolveColor, thresholdColor } from "../theme.js";
import { formatValue } from "../units.js";

export interface Display {
  text: string;
  color: string;
}

interface Mapped {
  text?: string;
  color?: string;
}

export function fieldDefaults(panel: PanelJson) {
  const d = panel.fieldConfig?.defaults ?? {};
  return {
    unit: typeof d.unit === "string" ? d.unit : undefined,
    decimals: typeof d.decimals === "number" ? d.decimals : undefined,
    min: typeof d.min === "number" ? d.min : undefined,
    max: typeof d.max === "number" ? d.max : undefined,
    steps: Array.isArray(d.thresholds?.steps) ? d.thresholds!.steps : [],
    percentThresholds: d.thresholds?.mode === "percentage",
    colorMode: d.color?.mode,
    fixedColor: d.color?.fixedColor,
    mappings: Array.isArray(d.mappings) ? d.mappings : [],
    custom: (d.custom ?? {}) as Record<string, unknown>,
  };
}

function mapValue(mappings: unknown[], value: number): Mapped | undefined {
  for (const m of mappings) {
    const map = m as { type?: string; options?: Record<string, unknown> };
    if (map?.type === "value" && map.options) {
      const hit = map.options[String(value)] as Mapped | undefined;
      if (hit && typeof hit === "object") return hit;
    }
    if (map?.type === "range" && map.options) {
      const o = map.options as { from?: number | null; to?: number | null; result?: Mapped };
      if ((o.from == null || value >= o.from) && (o.to == null || value <= o.to) && o.result) return o.result;
    }
  }
  return undefined;
}

/** Text and colour of `value` as a stat, a gauge or a table cell shows it. */
export function display(panel: PanelJson, value: number | undefined, seriesIndex = 0, unitOverride?: string): Display {
  const f = fieldDefaults(panel);
  if (value === undefined || !Number.isFinite(value)) return { text: "No data", color: "#8e8e9d" };
  const mapped = mapValue(f.mappings, value);
  const unit = unitOverride ?? f.unit;
  const text = mapped?.text ?? formatValue(value, unit, f.decimals);
  let color: string;
  if (mapped?.color) color = resolveColor(mapped.color);
  else if (f.colorMode === "fixed") color = resolveColor(f.fixedColor);
  else if (f.colorMode === "palette-classic") color = PALETTE[seriesIndex % PALETTE.length];
  else color = thresholdColor(f.steps, f.percentThresholds ? percentOf(value, f.min ?? 0, f.max ?? 100) : value);
  return { text, color };
}

function percentOf(v: number, min: number, max: number): number {
  return max === min ? 0 : ((v - min) / (max - min)) * 100;
}

/** Grafana's reducers by id (reduceOptions.calcs[0]); lastNotNull by default. */
export function reduce(series: Series, calc: string | undefined): number | undefined {
  const v = series.points.map((p) => p[1]).filter((x) => Number.isFinite(x));
  if (!v.length) return undefined;
  switch (calc) {
    case "mean":
      return v.reduce((a, b) => a + b, 0) / v.length;
    case "max":
      return Math.max(...v);
    case "min":
      return Math.min(...v);
    case "sum":
      return v.reduce((a, b) => a + b, 0);
    case "count":
      return v.length;
    case "first":
    case "firstNotNull":
      return v[0];
    case "range":
      return Math.max(...v) - Math.min(...v);
    case "delta":
      return v[v.length - 1] - v[0];
    default:
      return v[v.length - 1];
  }
}

export function firstCalc(panel: PanelJson): string | undefined {
  const calcs = (panel.options?.reduceOptions as { calcs?: unknown } | undefined)?.calcs;
  return Array.isArray(calcs) && typeof calcs[0] === "string" ? calcs[0] : undefined;
}
