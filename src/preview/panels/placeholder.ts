// Panels a preview cannot fill: logs and traces (no Loki or Tempo to ask), alert lists (no ruler),
// kinds not drawn yet. They show what they would query and why they are empty.
import type { PanelJson } from "../model.js";
import { THEME, escapeXml, fitText } from "../theme.js";

export function placeholderChart(panel: PanelJson, width: number, height: number, reason: string): string {
  const queries = (Array.isArray(panel.targets) ? panel.targets : []).map((t) => (typeof t?.expr === "string" ? t.expr : typeof t?.query === "string" ? t.query : "")).filter(Boolean);
  const lines: string[] = [];
  const y0 = Math.max(18, height / 2 - (queries.length * 16) / 2 - 8);
  lines.push(`<text x="${Math.round(width / 2)}" y="${Math.round(y0)}" text-anchor="middle" font-family="${THEME.font}" font-size="13" fill="${THEME.textWeak}">${escapeXml(reason)}</text>`);
  queries.slice(0, Math.max(0, Math.floor((height - y0) / 16) - 1)).forEach((q, i) => {
    lines.push(`<text x="12" y="${Math.round(y0 + 22 + i * 16)}" font-family="DejaVu Sans Mono, monospace" font-size="11" fill="${THEME.text}">${escapeXml(fitText(q, width - 24, 11))}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect x="4" y="4" width="${width - 8}" height="${height - 8}" fill="none" stroke="${THEME.border}" stroke-dasharray="4 4"/>${lines.join("")}</svg>`;
}
