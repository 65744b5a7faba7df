// Time series: lines (or stacked areas) over the window, a unit-formatted y axis, threshold lines or
// areas when the panel shows them, min/max when set, and the legend with its calcs.
import type { PanelJson, PanelData, TimeWindow } from "../model.js";
import { PALETTE, THEME, resolveColor } from "../theme.js";
import { formatValue } from "../units.js";
import { renderChart, type ChartOption } from "./echarts.js";
import { fieldDefaults, reduce } from "./fields.js";

const CALC_LABEL: Record<string, string> = { mean: "Mean", max: "Max", min: "Min", lastNotNull: "Last *", last: "Last", sum: "Total", firstNotNull: "First *" };

export function timeseriesChart(panel: PanelJson, data: PanelData, width: number, height: number, window: TimeWindow, id: string): string {
  const f = fieldDefaults(panel);
  const custom = f.custom;
  const fill = typeof custom.fillOpacity === "number" ? custom.fillOpacity / 100 : 0;
  const lineWidth = typeof custom.lineWidth === "number" ? custom.lineWidth : 1;
  const stacking = (custom.stacking as { mode?: string } | undefined)?.mode;
  const stacked = stacking === "normal" || stacking === "percent";
  const fmt = (v: number) => formatValue(v, f.unit, f.decimals);

  const legendOpts = (panel.options?.legend ?? {}) as { showLegend?: boolean; calcs?: string[]; placement?: string };
  const showLegend = legendOpts.showLegend !== false && data.series.length > 0;
  const calcs = Array.isArray(legendOpts.calcs) ? legendOpts.calcs.filter((c) => typeof c === "string") : [];
  const right = legendOpts.placement === "right";
  const names = data.series.map((s) => s.name || " ");
  const legendText = new Map(
    data.series.map((s) => [s.name || " ", [s.name || " ", ...calcs.map((c) => `${CALC_LABEL[c] ?? c}: ${valueText(reduce(s, c), fmt)}`)].join("   ")]),
  );
  const legendRows = right ? 0 : Math.min(names.length, Math.max(1, Math.floor((height * 0.35) / 18)));
  const bottom = showLegend && !right ? legendRows * 18 + 8 : 4;

  const thresholdMode = (custom.thresholdsStyle as { mode?: string } | undefined)?.mode ?? "off";
  const steps = f.steps.filter((s) => s.value !== null) as { color: string; value: number }[];
  const markLine =
    thresholdMode.includes("line") || thresholdMode === "dashed"
      ? {
          silent: true,
          symbol: "none",
          label: { show: false },
          lineStyle: { type: thresholdMode.includes("dash") ? ("dashed" as const) : ("solid" as const), width: 1 },
          data: steps.map((s) => ({ yAxis: s.value, lineStyle: { color: resolveColor(s.color) } })),
        }
      : undefined;
  const markArea = thresholdMode.includes("area")
    ? {
        silent: true,
        data: f.steps.map((s, i) => {
          const next = f.steps[i + 1];
          return [
            { yAxis: s.value ?? f.min ?? "min", itemStyle: { color: resolveColor(s.color), opacity: 0.12 } },
            { yAxis: next?.value ?? f.max ?? "max" },
          ] as [Record<string, unknown>, Record<string, unknown>];
        }),
      }
    : undefined;

  const option: ChartOption = {
    backgroundColor: "transparent",
    textStyle: { color: THEME.text, fontFamily: THEME.font, fontSize: 11 },
    color: PALETTE,
    grid: { left: 8, right: right && showLegend ? Math.min(260, Math.round(width * 0.35)) : 12, top: 10, bottom, containLabel: true },
    xAxis: {
      type: "time",
      min: window.from,
      max: window.to,
      axisLine: { lineStyle: { color: THEME.grid } },
      axisLabel: { color: THEME.textWeak, hideOverlap: true, formatter: { hour: "{HH}:{mm}", minute: "{HH}:{mm}", day: "{MM}/{dd}" } as never },
      splitLine: { show: true, lineStyle: { color: THEME.grid } },
    },
    yAxis: {
      type: "value",
      min: f.min,
      max: f.max ?? (stacking === "percent" ? 1 : undefined),
      axisLabel: { color: THEME.textWeak, formatter: (v: number) => fmt(v) },
      splitLine: { lineStyle: { color: THEME.grid } },
    },
    legend: showLegend
      ? {
          type: "scroll",
          orient: right ? "vertical" : "horizontal",
          ...(right ? { right: 4, top: 4 } : { left: 4, bottom: 0, height: legendRows * 18 }),
          icon: "rect",
          itemWidth: 14,
          itemHeight: 3,
          textStyle: { color: THEME.text, fontSize: 11 },
          pageTextStyle: { color: THEME.textWeak },
          formatter: (name: string) => legendText.get(name) ?? name,
          data: names,
        }
      : { show: false },
    series: data.series.map((s, i) => ({
      name: names[i],
      type: "line",
      showSymbol: false,
      symbol: "none",
      connectNulls: false,
      lineStyle: { width: lineWidth },
      ...(fill > 0 || stacked ? { areaStyle: { opacity: stacked ? Math.max(fill, 0.4) : fill } } : {}),
      ...(stacked ? { stack: "all" } : {}),
      data: s.points,
      ...(i === 0 && markLine ? { markLine } : {}),
      ...(i === 0 && markArea ? { markArea } : {}),
    })),
  };
  return renderChart(option, width, height, id);
}

function valueText(v: number | undefined, fmt: (v: number) => string): string {
  return v === undefined ? "-" : fmt(v);
}
