// Stat: one value per series (reduced as reduceOptions says), in its unit, coloured by thresholds
// or mappings (the text, or the whole background with colorMode "background"), with a sparkline
// when graphMode is "area". Several series share the panel side by side, each with its name.
import type { PanelJson, PanelData, Series } from "../model.js";
import { THEME, escapeXml, fitText } from "../theme.js";
import { renderChart } from "./echarts.js";
import { display, firstCalc, reduce } from "./fields.js";

const MAX_VALUES = 8;

export function statChart(panel: PanelJson, data: PanelData, width: number, height: number, id: string): string {
  const o = (panel.options ?? {}) as { colorMode?: string; graphMode?: string; textMode?: string };
  const series = data.series.slice(0, MAX_VALUES);
  const cells = series.length ? series : [undefined];
  const cols = Math.min(cells.length, Math.max(1, Math.floor(width / 120)));
  const rows = Math.ceil(cells.length / cols);
  const cw = width / cols;
  const ch = height / rows;
  const parts: string[] = [];
  cells.forEach((s, i) => {
    const x = (i % cols) * cw;
    const y = Math.floor(i / cols) * ch;
    parts.push(cell(panel, s, i, { x, y, w: cw, h: ch }, o, cells.length > 1 || o.textMode === "value_and_name", `${id}-${i}`));
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join("")}</svg>`;
}

function cell(
  panel: PanelJson,
  s: Series | undefined,
  index: number,
  box: { x: number; y: number; w: number; h: number },
  o: { colorMode?: string; graphMode?: string },
  showName: boolean,
  id: string,
): string {
  const value = s ? reduce(s, firstCalc(panel)) : undefined;
  const d = display(panel, value, index);
  const background = o.colorMode === "background" || o.colorMode === "background_solid";
  const textColor = background ? "#ffffff" : o.colorMode === "none" ? THEME.text : d.color;
  const out: string[] = [];
  const pad = 4;
  if (background) out.push(`<rect x="${r(box.x + 1)}" y="${r(box.y + 1)}" width="${r(box.w - 2)}" height="${r(box.h - 2)}" rx="2" fill="${d.color}"/>`);
  const spark = o.graphMode !== "none" && s && s.points.length > 1 && box.h > 50;
  if (spark) {
    const sh = Math.round(box.h * 0.45);
    const svg = renderChart(
      {
        grid: { left: 0, right: 0, top: 0, bottom: 0 },
        xAxis: { type: "time", show: false },
        yAxis: { type: "value", show: false, scale: true },
        series: [{ type: "line", showSymbol: false, symbol: "none", lineStyle: { width: 1, color: background ? "rgba(255,255,255,0.8)" : d.color }, areaStyle: { color: background ? "rgba(255,255,255,0.2)" : d.color, opacity: background ? 1 : 0.15 }, data: s!.points }],
      },
      Math.round(box.w),
      sh,
      id,
    );
    out.push(`<g transform="translate(${r(box.x)},${r(box.y + box.h - sh)})">${svg}</g>`);
  }
  const nameSize = Math.max(10, Math.min(14, box.h * 0.14));
  const valueArea = box.h - (spark ? box.h * 0.45 : 0) - (showName ? nameSize + 6 : 0);
  const size = Math.max(10, Math.min(valueArea * 0.7, (box.w - 2 * pad) / Math.max(3, d.text.length * 0.6)));
  const cx = box.x + box.w / 2;
  let y = box.y + (showName ? nameSize + 4 : 0);
  if (showName && s) out.push(text(cx, box.y + nameSize + 2, fitText(s.name, box.w - 2 * pad, nameSize), nameSize, background ? "#ffffff" : THEME.text, 400));
  y += valueArea / 2 + size * 0.35;
  out.push(text(cx, y, d.text, size, textColor, 500));
  return out.join("");
}

function text(x: number, y: number, s: string, size: number, color: string, weight: number): string {
  return `<text x="${r(x)}" y="${r(y)}" text-anchor="middle" font-family="${THEME.font}" font-size="${r(size)}" font-weight="${weight}" fill="${color}">${escapeXml(s)}</text>`;
}

const r = (n: number) => Math.round(n * 10) / 10;
