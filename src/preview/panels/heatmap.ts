// Heatmap of a Prometheus histogram (format "heatmap": one series per bucket, `le` labelled, per-step
// counts): buckets on the y axis, time on the x axis, the count as colour (Grafana's "Oranges" scheme).
import type { PanelJson, PanelData, TimeWindow } from "../model.js";
import { THEME } from "../theme.js";
import { formatValue } from "../units.js";
import { renderChart } from "./echarts.js";
import { fieldDefaults } from "./fields.js";

export function heatmapChart(panel: PanelJson, data: PanelData, width: number, height: number, window: TimeWindow, id: string): string {
  const f = fieldDefaults(panel);
  const buckets = data.series
    .map((s) => ({ le: s.labels.le === "+Inf" ? Infinity : Number(s.labels.le), s }))
    .filter((b) => !Number.isNaN(b.le))
    .sort((a, b) => a.le - b.le);
  const times = [...new Set(buckets.flatMap((b) => b.s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const cells: [number, number, number][] = [];
  let max = 0;
  buckets.forEach((b, y) => {
    const below = buckets[y - 1];
    for (const [t, v] of b.s.points) {
      // Cumulative buckets → per-bucket counts.
      const prev = below?.s.points.find((p) => p[0] === t)?.[1] ?? 0;
      const count = Math.max(0, v - prev);
      max = Math.max(max, count);
      cells.push([times.indexOf(t), y, count]);
    }
  });
  return renderChart(
    {
      grid: { left: 8, right: 12, top: 10, bottom: 28, containLabel: true },
      xAxis: { type: "category", data: times.map((t) => new Date(t).toISOString().slice(11, 16)), axisLabel: { color: THEME.textWeak, hideOverlap: true }, min: undefined },
      yAxis: { type: "category", data: buckets.map((b) => (b.le === Infinity ? "+Inf" : formatValue(b.le, f.unit, f.decimals))), axisLabel: { color: THEME.textWeak } },
      visualMap: { show: false, min: 0, max: max || 1, inRange: { color: ["#1f1d1d", "#8a3f1c", "#f08c3a", "#ffe3c2"] } },
      series: [{ type: "heatmap", data: cells, progressive: 0 }],
      title: { show: false, text: String(window.from) },
    },
    width,
    height,
    id,
  );
}
