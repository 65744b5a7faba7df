// Gauge (a threshold-coloured arc per series) and bar gauge (a bar per series, horizontal or
// vertical, filled to its value between min and max, gradient or basic, the unfilled rest shown).
import type { PanelJson, PanelData } from "../model.js";
import { THEME, resolveColor } from "../theme.js";
import { renderChart } from "./echarts.js";
import { display, fieldDefaults, firstCalc, reduce } from "./fields.js";

export function gaugeChart(panel: PanelJson, data: PanelData, width: number, height: number, id: string): string {
  const f = fieldDefaults(panel);
  const values = data.series.slice(0, 6).map((s, i) => ({ name: s.name, value: reduce(s, firstCalc(panel)), i }));
  const max = f.max ?? Math.max(100, ...values.map((v) => v.value ?? 0));
  const min = f.min ?? 0;
  const stops = f.steps.map((s, i) => {
    const next = f.steps[i + 1]?.value;
    return [next === undefined || next === null ? 1 : Math.min(1, Math.max(0, (next - min) / (max - min || 1))), resolveColor(s.color)] as [number, string];
  });
  const n = Math.max(1, values.length);
  return renderChart(
    {
      series: values.map((v, k) => ({
        type: "gauge",
        min,
        max,
        center: [`${((k + 0.5) / n) * 100}%`, "60%"],
        radius: `${Math.min(90, 180 / n)}%`,
        startAngle: 210,
        endAngle: -30,
        progress: { show: true, width: 10, itemStyle: { color: display(panel, v.value, v.i).color } },
        axisLine: { lineStyle: { width: 4, color: stops.length ? stops : [[1, THEME.border]] } },
        axisTick: { show: false },
        splitLine: { show: false },
        axisLabel: { show: false },
        pointer: { show: false },
        title: { show: n > 1, color: THEME.text, fontSize: 11, offsetCenter: [0, "45%"] },
        detail: { valueAnimation: false, color: display(panel, v.value, v.i).color, fontSize: Math.max(12, Math.min(32, height / 5)), offsetCenter: [0, "0%"], formatter: () => display(panel, v.value, v.i).text },
        data: [{ value: v.value ?? min, name: v.name }],
      })),
    },
    width,
    height,
    id,
  );
}

export function barGaugeChart(panel: PanelJson, data: PanelData, width: number, height: number, id: string): string {
  const f = fieldDefaults(panel);
  const o = (panel.options ?? {}) as { orientation?: string; displayMode?: string; showUnfilled?: boolean };
  const rows = data.series.map((s, i) => ({ name: s.name, value: reduce(s, firstCalc(panel)), i }));
  const vertical = o.orientation === "vertical" || (o.orientation !== "horizontal" && width < height);
  const max = f.max ?? Math.max(0, ...rows.map((r) => r.value ?? 0));
  const min = f.min ?? 0;
  const category = { type: "category" as const, data: rows.map((r) => r.name), inverse: !vertical, axisLine: { show: false }, axisTick: { show: false }, axisLabel: { color: THEME.text, fontSize: 11, width: vertical ? undefined : Math.round(width * 0.3), overflow: "truncate" as const } };
  const value = { type: "value" as const, min, max: max > min ? max : min + 1, show: false };
  return renderChart(
    {
      grid: { left: 4, right: vertical ? 4 : 70, top: vertical ? 24 : 4, bottom: 4, containLabel: true },
      xAxis: vertical ? category : value,
      yAxis: vertical ? value : category,
      series: [
        {
          type: "bar",
          barCategoryGap: "25%",
          showBackground: o.showUnfilled !== false,
          backgroundStyle: { color: "rgba(204,204,220,0.06)" },
          label: { show: true, position: vertical ? "top" : "right", fontSize: 12, formatter: (p: { dataIndex: number }) => display(panel, rows[p.dataIndex].value, p.dataIndex).text, color: THEME.text },
          data: rows.map((r) => {
            const c = display(panel, r.value, r.i).color;
            return {
              value: r.value ?? min,
              itemStyle: {
                color: o.displayMode === "gradient" ? { type: "linear", x: 0, y: vertical ? 1 : 0, x2: vertical ? 0 : 1, y2: 0, colorStops: [{ offset: 0, color: `${c}55` }, { offset: 1, color: c }] } : c,
              },
            };
          }),
        },
      ],
    },
    width,
    height,
    id,
  );
}
