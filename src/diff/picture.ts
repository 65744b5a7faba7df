// Pictures of a changed dashboard's grid: base and head side by side on Grafana's 24-column grid,
// each panel a box with its title and visualisation type, row headers as bands. Added panels are
// green, removed red, changed amber (dashed when only moved or resized), the rest grey. Written as SVG and,
// through resvg, as PNG.
import { Resvg } from "@resvg/resvg-js";
import { flattenPanels, type FlatPanel } from "./dashboards.js";
import type { DashboardChange, PanelRef } from "./model.js";
import type { JsonObject } from "./values.js";

export type BoxStatus = "added" | "removed" | "changed" | "moved" | "unchanged";

const COL = 18;
const UNIT = 15;
const GAP = 48;
const MARGIN = 16;
const HEADER = 52;
const LEGEND = 34;
const COLUMNS = 24;
const GRID_W = COLUMNS * COL;

export const COLORS: Record<BoxStatus, { fill: string; stroke: string; text: string }> = {
  added: { fill: "#d3f2d6", stroke: "#1f8a3b", text: "#0f3d1b" },
  removed: { fill: "#fbd5d5", stroke: "#c62828", text: "#5c1111" },
  changed: { fill: "#ffe8b3", stroke: "#d98f00", text: "#5a3b00" },
  /** Only moved or resized: amber outline, dashed. */
  moved: { fill: "#fff6e0", stroke: "#d98f00", text: "#5a3b00" },
  unchanged: { fill: "#eef0f3", stroke: "#9aa3ad", text: "#2b3138" },
};

const FONT = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif";

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** Cuts text to what fits in `px` at `size` (average glyph ≈ 0.6 em). */
function fit(text: string, px: number, size: number): string {
  const max = Math.max(1, Math.floor(px / (size * 0.6)));
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text;
}

const key = (r: Pick<PanelRef, "id" | "title"> & { kind: string }) => `${r.kind}|${r.id ?? ""}|${r.title}`;

/** Status of each panel of one side, by panel identity. */
function statuses(change: DashboardChange, side: "before" | "after"): Map<string, BoxStatus> {
  const m = new Map<string, BoxStatus>();
  for (const p of change.panels) {
    const ref = p[side];
    if (!ref) continue;
    const onlyLayout = p.status === "changed" && !p.fields.length && !p.queries.length;
    m.set(key({ ...ref, kind: p.kind }), onlyLayout ? "moved" : p.status);
  }
  return m;
}

interface Drawn {
  svg: string[];
  height: number;
}

function drawSide(json: JsonObject | undefined, status: (p: FlatPanel) => BoxStatus, ox: number, oy: number, label: string, sub: string): Drawn {
  const out: string[] = [];
  out.push(`<text x="${ox}" y="${oy - 28}" font-size="14" font-weight="bold" fill="#1d232a">${escapeXml(fit(label, GRID_W, 14))}</text>`);
  out.push(`<text x="${ox}" y="${oy - 12}" font-size="11" fill="#5b6570">${escapeXml(fit(sub, GRID_W, 11))}</text>`);
  const panels = json ? flattenPanels(json).filter((p) => !p.nested && p.ref.gridPos) : [];
  const bottom = Math.max(8, ...panels.map((p) => p.ref.gridPos!.y + p.ref.gridPos!.h));
  const height = bottom * UNIT;
  out.push(`<rect x="${ox}" y="${oy}" width="${GRID_W}" height="${height}" fill="#fafbfc" stroke="#d5dae0"/>`);
  for (let c = 6; c < COLUMNS; c += 6) {
    out.push(`<line x1="${ox + c * COL}" y1="${oy}" x2="${ox + c * COL}" y2="${oy + height}" stroke="#e6e9ed" stroke-dasharray="3 3"/>`);
  }
  if (!json) {
    out.push(`<text x="${ox + GRID_W / 2}" y="${oy + 40}" font-size="12" fill="#5b6570" text-anchor="middle">(dashboard not present)</text>`);
  }
  for (const p of panels) {
    const g = p.ref.gridPos!;
    const s = status(p);
    const col = COLORS[s];
    const x = ox + g.x * COL + 1.5;
    const y = oy + g.y * UNIT + 1.5;
    const w = Math.max(2, g.w * COL - 3);
    const h = Math.max(2, g.h * UNIT - 3);
    const nested = p.kind === "row" && Array.isArray(p.json.panels) && p.json.panels.length ? ` (${p.json.panels.length} panels, collapsed)` : "";
    const tip = `${p.ref.title || "(untitled)"} — ${p.kind === "row" ? "row" : p.ref.type}${nested} [${s}]`;
    const attrs = `data-kind="${p.kind}" data-status="${s}"${p.ref.id !== undefined ? ` data-panel-id="${p.ref.id}"` : ""}`;
    if (p.kind === "row") {
      out.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="2" fill="${s === "unchanged" ? "#dfe3e8" : col.fill}" stroke="${col.stroke}"${s === "moved" ? ' stroke-dasharray="5 3"' : ""} ${attrs}><title>${escapeXml(tip)}</title></rect>`);
      out.push(`<text x="${x + 6}" y="${y + h / 2 + 4}" font-size="11" font-weight="bold" fill="${col.text}">${escapeXml(fit(`${nested ? "▸" : "▾"} ${p.ref.title}${nested}`, w - 12, 11))}</text>`);
      continue;
    }
    out.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="3" fill="${col.fill}" stroke="${col.stroke}" stroke-width="${s === "unchanged" ? 1 : 2}"${s === "moved" ? ' stroke-dasharray="5 3"' : ""} ${attrs}><title>${escapeXml(tip)}</title></rect>`);
    if (h >= 16) out.push(`<text x="${x + 5}" y="${y + 13}" font-size="10.5" font-weight="bold" fill="${col.text}">${escapeXml(fit(p.ref.title || "(untitled)", w - 10, 10.5))}</text>`);
    if (h >= 30) out.push(`<text x="${x + 5}" y="${y + 26}" font-size="9.5" fill="${col.text}" opacity="0.8">${escapeXml(fit(p.ref.type, w - 10, 9.5))}</text>`);
  }
  return { svg: out, height };
}

export interface PictureInput {
  change: DashboardChange;
  base?: JsonObject;
  head?: JsonObject;
  baseLabel: string;
  headLabel: string;
}

/** SVG of the base and head layouts side by side. */
export function layoutSvg({ change, base, head, baseLabel, headLabel }: PictureInput): string {
  const before = statuses(change, "before");
  const after = statuses(change, "after");
  const pick = (m: Map<string, BoxStatus>, whole: BoxStatus | undefined) => (p: FlatPanel) =>
    whole ?? m.get(key({ ...p.ref, kind: p.kind })) ?? "unchanged";
  const wholeBase = change.status === "removed" ? "removed" : undefined;
  const wholeHead = change.status === "added" ? "added" : undefined;
  const top = MARGIN + HEADER + 8;
  const left = drawSide(base, pick(before, wholeBase), MARGIN, top, `Base: ${baseLabel}`, base ? String(base.title ?? "") : "");
  const right = drawSide(head, pick(after, wholeHead), MARGIN + GRID_W + GAP, top, `Head: ${headLabel}`, head ? String(head.title ?? "") : "");
  const width = MARGIN * 2 + GRID_W * 2 + GAP;
  const gridBottom = top + Math.max(left.height, right.height);
  const height = gridBottom + LEGEND + MARGIN;
  const legend: string[] = [];
  let lx = MARGIN;
  for (const s of ["added", "removed", "changed", "moved", "unchanged"] as BoxStatus[]) {
    const dash = s === "moved" ? ' stroke-dasharray="3 2"' : "";
    legend.push(`<rect x="${lx}" y="${gridBottom + 14}" width="14" height="12" rx="2" fill="${COLORS[s].fill}" stroke="${COLORS[s].stroke}"${dash}/>`);
    legend.push(`<text x="${lx + 20}" y="${gridBottom + 24}" font-size="11" fill="#2b3138">${s === "moved" ? "moved or resized" : s}</text>`);
    lx += s === "moved" ? 140 : 100;
  }
  const title = `${change.title} (${change.uid}) — ${change.status}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN}" y="${MARGIN + 14}" font-size="16" font-weight="bold" fill="#1d232a">${escapeXml(fit(title, width - 2 * MARGIN, 16))}</text>`,
    ...left.svg,
    ...right.svg,
    ...legend,
    `</svg>`,
    "",
  ].join("\n");
}

export function svgToPng(svg: string): Buffer {
  const r = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" }, background: "#ffffff" });
  return r.render().asPng();
}
