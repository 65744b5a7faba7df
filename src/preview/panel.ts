// One panel as Grafana frames it: the background, the title bar (with a red corner naming the
// error when a query failed), and the kind's body drawn below the title.
import type { PanelData, PanelJson, TimeWindow } from "./model.js";
import { barGaugeChart, gaugeChart } from "./panels/gauges.js";
import { heatmapChart } from "./panels/heatmap.js";
import { logsChart, tracesChart } from "./panels/logs.js";
import { pieChart } from "./panels/pie.js";
import { placeholderChart } from "./panels/placeholder.js";
import { statChart } from "./panels/stat.js";
import { tableChart } from "./panels/table.js";
import { timeseriesChart } from "./panels/timeseries.js";
import { THEME, escapeXml, fitText } from "./theme.js";

/** Kinds drawn with data; everything else is a placeholder naming its queries. */
export const DRAWN_KINDS = ["timeseries", "stat", "gauge", "bargauge", "table", "piechart", "heatmap"] as const;

export function renderPanel(panel: PanelJson, data: PanelData, width: number, height: number, window: TimeWindow, id: string): string {
  const title = typeof panel.title === "string" ? panel.title : "";
  const bodyH = Math.max(10, height - THEME.titleHeight);
  const bodyW = Math.max(10, width - 16);
  const body = panelBody(panel, data, bodyW, bodyH, window, id);
  const error = data.errors.length ? data.errors.join("; ") : undefined;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect x="0.5" y="0.5" width="${width - 1}" height="${height - 1}" rx="2" fill="${THEME.panel}" stroke="${THEME.border}"/>`,
    `<text x="10" y="21" font-family="${THEME.font}" font-size="14" font-weight="500" fill="${THEME.text}">${escapeXml(fitText(title, width - 30, 14))}</text>`,
    error ? `<path d="M${width - 26} 0.5 H${width - 0.5} V26 Z" fill="#D10E5C"><title>${escapeXml(error)}</title></path>` : "",
    `<g transform="translate(8,${THEME.titleHeight - 4})">${body}</g>`,
    `</svg>`,
  ].join("");
}

function panelBody(panel: PanelJson, data: PanelData, w: number, h: number, window: TimeWindow, id: string): string {
  if (data.unavailable) return placeholderChart(panel, w, h, data.unavailable);
  if (data.logs) return logsChart(panel, data, w, h);
  if (data.traces) return tracesChart(data, w, h);
  if (data.errors.length && !data.series.length) return placeholderChart(panel, w, h, fitText(data.errors[0], w - 20, 13));
  switch (panel.type) {
    case "timeseries":
      return timeseriesChart(panel, data, w, h, window, id);
    case "stat":
      return statChart(panel, data, w, h, id);
    case "gauge":
      return gaugeChart(panel, data, w, h, id);
    case "bargauge":
      return barGaugeChart(panel, data, w, h, id);
    case "table":
      return tableChart(panel, data, w, h);
    case "piechart":
      return pieChart(panel, data, w, h, id);
    case "heatmap":
      return heatmapChart(panel, data, w, h, window, id);
    case "logs":
      return placeholderChart(panel, w, h, "no Loki in preview");
    case "traces":
      return placeholderChart(panel, w, h, "no Tempo in preview");
    case "alertlist":
      return placeholderChart(panel, w, h, "no alert state in preview");
    default:
      return placeholderChart(panel, w, h, `${panel.type ?? "unknown"} panels are not drawn in preview`);
  }
}

/** A row header as Grafana draws it: the title, with ▸ when collapsed (its panels then hidden). */
export function renderRow(panel: PanelJson, width: number, height: number): string {
  const title = typeof panel.title === "string" ? panel.title : "";
  const count = panel.collapsed && Array.isArray(panel.panels) ? ` (${panel.panels.length} panels)` : "";
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><text x="2" y="${Math.round(height / 2 + 6)}" font-family="${THEME.font}" font-size="16" font-weight="500" fill="${THEME.text}">${panel.collapsed ? "▸" : "▾"} ${escapeXml(title)}${escapeXml(count)}</text></svg>`;
}
