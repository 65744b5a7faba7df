// Pie chart: one slice per series (its reduced value), pie or donut, legend beside or below with
// the values the panel's legend asks for (value, percent).
import type { PanelJson, PanelData } from "../model.js";
import { PALETTE, THEME } from "../theme.js";
import { formatValue } from "../units.js";
import { renderChart } from "./echarts.js";
import { fieldDefaults, firstCalc, reduce } from "./fields.js";

export function pieChart(panel: PanelJson, data: PanelData, width: number, height: number, id: string): string {
  const f = fieldDefaults(panel);
  const o = (panel.options ?? {}) as { pieType?: string; legend?: { showLegend?: boolean; placement?: string; values?: string[] } };
  const slices = data.series.map((s) => ({ name: s.name, value: Math.max(0, reduce(s, firstCalc(panel)) ?? 0) }));
  const total = slices.reduce((a, s) => a + s.value, 0);
  const legendValues = Array.isArray(o.legend?.values) ? o.legend!.values : [];
  const right = o.legend?.placement === "right";
  const label = (name: string) => {
    const s = slices.find((x) => x.name === name);
    if (!s) return name;
    const parts = [name];
    if (legendValues.includes("value")) parts.push(formatValue(s.value, f.unit, f.decimals));
    if (legendValues.includes("percent")) parts.push(total ? `${Math.round((s.value / total) * 100)}%` : "0%");
    return parts.join("   ");
  };
  const show = o.legend?.showLegend !== false;
  return renderChart(
    {
      color: PALETTE,
      legend: show
        ? { type: "scroll", orient: right ? "vertical" : "horizontal", ...(right ? { right: 4, top: "middle" } : { bottom: 0 }), textStyle: { color: THEME.text, fontSize: 11 }, icon: "rect", itemWidth: 10, itemHeight: 10, formatter: label, data: slices.map((s) => s.name) }
        : { show: false },
      series: [
        {
          type: "pie",
          radius: o.pieType === "donut" ? ["45%", "80%"] : [0, "80%"],
          center: right && show ? ["32%", "50%"] : ["50%", show ? "45%" : "50%"],
          label: { show: false },
          itemStyle: { borderColor: THEME.panel, borderWidth: 1 },
          data: slices,
        },
      ],
    },
    width,
    height,
    id,
  );
}
