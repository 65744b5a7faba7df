// A dashboard rendered: every panel queried and drawn at its grid position, collapsed rows as
// headers, then the whole page as one SVG (panels nested in place) and, through resvg, one PNG.
import { existsSync } from "node:fs";
import { Resvg, type ResvgRenderOptions } from "@resvg/resvg-js";
import { DASHBOARD_WIDTH, placePanels } from "./grid.js";
import type { DashboardJson, PanelData, PanelJson, TimeWindow } from "./model.js";
import { renderPanel, renderRow } from "./panel.js";
import { queryPanel, type QueryContext } from "./queries.js";
import { THEME, escapeXml } from "./theme.js";

const HEADER = 44;
const PAD = 16;
/** Where the grid's top-left corner is on the whole-page SVG and PNG. */
export const GRID_ORIGIN = { x: PAD, y: PAD + HEADER };

export interface RenderedPanel {
  id: number;
  title: string;
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  svg: string;
  errors: string[];
}

export interface RenderedDashboard {
  uid: string;
  title: string;
  window: TimeWindow;
  panels: RenderedPanel[];
  width: number;
  height: number;
  svg: string;
}

/** Data for a panel: from the queries (live or local Prometheus) or given (tests, fixed data). */
export type PanelDataSource = (panel: PanelJson, width: number) => Promise<PanelData>;

export function queriedData(ctx: QueryContext): PanelDataSource {
  return (panel, width) => queryPanel(panel, width, ctx);
}

export async function renderDashboard(dashboard: DashboardJson, window: TimeWindow, dataFor: PanelDataSource): Promise<RenderedDashboard> {
  const top = Array.isArray(dashboard.panels) ? dashboard.panels : [];
  const { placed, height: gridHeight } = placePanels(top);
  const panels = await Promise.all(
    placed.map(async (p, i): Promise<RenderedPanel> => {
      const id = typeof p.panel.id === "number" ? p.panel.id : i + 1;
      const base = { id, title: typeof p.panel.title === "string" ? p.panel.title : "", type: String(p.panel.type ?? ""), x: p.x, y: p.y, width: p.width, height: p.height };
      if (p.panel.type === "row") return { ...base, svg: renderRow(p.panel, p.width, p.height), errors: [] };
      const data = await dataFor(p.panel, p.width);
      const errors = data.errors.map((e) => `panel "${base.title}": ${e}`);
      return { ...base, svg: renderPanel(p.panel, data, p.width, p.height, window, `${dashboard.uid}-p${id}`), errors };
    }),
  );
  const width = DASHBOARD_WIDTH + 2 * PAD;
  const height = gridHeight + HEADER + 2 * PAD;
  const rendered = { uid: dashboard.uid, title: dashboard.title ?? dashboard.uid, window, panels, width, height, svg: "" };
  return { ...rendered, svg: composeDashboard(rendered) };
}

/** How a review marks a panel: outlined in the diff's colours, labelled. */
export type PanelMark = "added" | "changed" | "removed";
const MARK_COLOR: Record<PanelMark, string> = { added: "#56A64B", changed: "#FF9830", removed: "#E02F44" };

/** The whole page as one SVG: header, then every panel nested at its place; `marks` outlines panels by id. */
export function composeDashboard(d: Omit<RenderedDashboard, "svg">, marks: ReadonlyMap<number, PanelMark> = new Map()): string {
  const { width, height, panels, window } = d;
  const outline = (p: RenderedPanel) => {
    const m = marks.get(p.id);
    if (!m) return "";
    return `<rect x="${p.x + PAD - 2}" y="${p.y + PAD + HEADER - 2}" width="${p.width + 4}" height="${p.height + 4}" fill="none" stroke="${MARK_COLOR[m]}" stroke-width="3"/><text x="${p.x + PAD + p.width - 6}" y="${p.y + PAD + HEADER + 20}" text-anchor="end" font-family="${THEME.font}" font-size="12" font-weight="700" fill="${MARK_COLOR[m]}">${m}</text>`;
  };
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="${THEME.canvas}"/>`,
    `<text x="${PAD}" y="${PAD + 18}" font-family="${THEME.font}" font-size="20" font-weight="500" fill="${THEME.text}">${escapeXml(d.title)}</text>`,
    `<text x="${width - PAD}" y="${PAD + 18}" text-anchor="end" font-family="${THEME.font}" font-size="12" fill="${THEME.textWeak}">${escapeXml(windowLabel(window))}</text>`,
    ...panels.map((p) => `<g transform="translate(${p.x + PAD},${p.y + PAD + HEADER})">${p.svg}</g>${outline(p)}`),
    `</svg>`,
  ].join("\n");
}

export function windowLabel(w: TimeWindow): string {
  const iso = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 16);
  return `${iso(w.from)} to ${iso(w.to)} UTC`;
}

// Scanning every system font costs seconds per image; DejaVu (Debian's default font, and what the
// SVGs fall back to) is enough when present.
const FONT_FILES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf"].map((f) => `/usr/share/fonts/truetype/dejavu/${f}`).filter((f) => existsSync(f));

/** resvg's options for every preview PNG (also those the worker threads of pngPool.ts make). */
export function resvgOptions(): ResvgRenderOptions {
  const font = FONT_FILES.length ? { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" } : { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" };
  return { font, background: THEME.canvas };
}

export function svgToPng(svg: string): Buffer {
  return new Resvg(svg, resvgOptions()).render().asPng();
}
