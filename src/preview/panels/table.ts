// Table: the first rows of the panel's series as Grafana's "table" format gives them (one column per
// label, one "Value" column per query, "Value #A" when there are several), with the organize
// transformation's hidden and renamed columns, value mappings and each column's unit.
import type { PanelJson, PanelData } from "../model.js";
import { THEME, escapeXml, fitText } from "../theme.js";
import { display } from "./fields.js";

const ROW = 26;

interface Column {
  key: string;
  title: string;
  unit?: string;
  numeric: boolean;
}

export function tableChart(panel: PanelJson, data: PanelData, width: number, height: number): string {
  const refIds = [...new Set(data.series.map((s) => s.refId))];
  const valueKey = (refId: string) => (refIds.length > 1 ? `Value #${refId}` : "Value");
  const labels = [...new Set(data.series.flatMap((s) => Object.keys(s.labels).filter((l) => l !== "__name__")))].sort();
  // Rows: series merged by label set (Grafana's merge transformation), one value per query.
  const rows = new Map<string, Record<string, string | number>>();
  for (const s of data.series) {
    const key = JSON.stringify(labels.map((l) => s.labels[l] ?? ""));
    const row = rows.get(key) ?? Object.fromEntries(labels.map((l) => [l, s.labels[l] ?? ""]));
    const last = s.points[s.points.length - 1];
    if (last) row[valueKey(s.refId)] = last[1];
    rows.set(key, row);
  }
  const organize = organizeOptions(panel);
  const overrides = overrideMap(panel);
  let columns: Column[] = [...labels.map((l) => ({ key: l, title: l, numeric: false })), ...refIds.map((r) => ({ key: valueKey(r), title: valueKey(r), numeric: true }))]
    .filter((c) => !organize.exclude[c.key])
    .map((c) => ({ ...c, title: overrides[c.key]?.displayName ?? organize.rename[c.key] ?? c.title, unit: overrides[c.key]?.unit }));
  if (Object.keys(organize.index).length) columns = [...columns].sort((a, b) => (organize.index[a.key] ?? 999) - (organize.index[b.key] ?? 999));
  const visible = Math.max(0, Math.floor((height - ROW) / ROW));
  const colWidth = width / Math.max(1, columns.length);
  const out: string[] = [`<rect x="0" y="0" width="${width}" height="${ROW}" fill="${THEME.panel}"/>`];
  columns.forEach((c, i) => out.push(cell(i * colWidth + 8, ROW / 2 + 4, fitText(c.title, colWidth - 12, 12), THEME.text, 500)));
  out.push(`<line x1="0" y1="${ROW}" x2="${width}" y2="${ROW}" stroke="${THEME.border}"/>`);
  [...rows.values()].slice(0, visible).forEach((row, r) => {
    const y = ROW * (r + 1);
    out.push(`<line x1="0" y1="${y + ROW}" x2="${width}" y2="${y + ROW}" stroke="${THEME.border}" stroke-opacity="0.6"/>`);
    columns.forEach((c, i) => {
      const v = row[c.key];
      const d = typeof v === "number" ? display(panel, v, 0, c.unit) : { text: v === undefined ? "" : String(v), color: THEME.text };
      out.push(cell(i * colWidth + 8, y + ROW / 2 + 4, fitText(d.text, colWidth - 12, 12), typeof v === "number" && hasColor(panel) ? d.color : THEME.text, 400));
    });
  });
  if (rows.size > visible) out.push(cell(8, height - 4, `${rows.size - visible} more rows`, THEME.textWeak, 400));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${out.join("")}</svg>`;
}

function hasColor(panel: PanelJson): boolean {
  return Array.isArray(panel.fieldConfig?.defaults?.mappings) && panel.fieldConfig!.defaults!.mappings!.length > 0;
}

function cell(x: number, y: number, s: string, color: string, weight: number): string {
  return `<text x="${Math.round(x)}" y="${Math.round(y)}" font-family="${THEME.font}" font-size="12" font-weight="${weight}" fill="${color}">${escapeXml(s)}</text>`;
}

function organizeOptions(panel: PanelJson) {
  const list = Array.isArray((panel as { transformations?: unknown }).transformations) ? ((panel as { transformations: unknown[] }).transformations as { id?: string; options?: Record<string, unknown> }[]) : [];
  const org = list.find((t) => t?.id === "organize")?.options ?? {};
  const obj = (v: unknown) => (v && typeof v === "object" ? (v as Record<string, never>) : {});
  return { exclude: obj(org.excludeByName) as Record<string, boolean>, rename: obj(org.renameByName) as Record<string, string>, index: obj(org.indexByName) as Record<string, number> };
}

function overrideMap(panel: PanelJson): Record<string, { displayName?: string; unit?: string }> {
  const out: Record<string, { displayName?: string; unit?: string }> = {};
  for (const o of (panel.fieldConfig?.overrides ?? []) as { matcher?: { id?: string; options?: unknown }; properties?: { id?: string; value?: unknown }[] }[]) {
    if (o?.matcher?.id !== "byName" || typeof o.matcher.options !== "string" || !Array.isArray(o.properties)) continue;
    const entry = (out[o.matcher.options] ??= {});
    for (const p of o.properties) {
      if (p?.id === "displayName" && typeof p.value === "string") entry.displayName = p.value;
      if (p?.id === "unit" && typeof p.value === "string") entry.unit = p.value;
    }
  }
  return out;
}
