// Logs and traces panels with data: the newest log lines that fit (time, then the line, a bar in the
// level's colour as Grafana's logs panel draws it), and a TraceQL search's traces as Grafana's
// Tempo search table lists them (trace id, root service, root span name, start, duration).
import type { LogLine, PanelData, PanelJson, TraceRow } from "../model.js";
import { THEME, escapeXml, fitText } from "../theme.js";
import { formatValue } from "../units.js";

const LOG_ROW = 16;
const TRACE_ROW = 26;
const MONO = "DejaVu Sans Mono, monospace";

/** Grafana's log level colours (LogLevelColor in public/app/core/logsModel.ts); unknown levels grey. */
const LEVEL_COLOR: Record<string, string> = {
  critical: "#705da0",
  error: "#e24d42",
  warning: "#eab839",
  info: "#7eb26d",
  debug: "#1f78c1",
  trace: "#6ed0e0",
};
const LEVEL_ALIAS: Record<string, string> = { crit: "critical", fatal: "critical", emerg: "critical", alert: "critical", err: "error", eror: "error", warn: "warning", information: "info", notice: "info", dbug: "debug" };

/** Body height of a panel of this grid height (as panel.ts frames it) → log lines / trace rows shown. */
export function logLinesThatFit(bodyHeight: number): number {
  return Math.max(1, Math.floor((bodyHeight - 6) / LOG_ROW));
}
export function traceRowsThatFit(bodyHeight: number): number {
  return Math.max(1, Math.floor(bodyHeight / TRACE_ROW) - 1);
}

export function levelColor(labels: Record<string, string>): string | undefined {
  const raw = (labels.level ?? labels.detected_level)?.toLowerCase();
  if (raw === undefined) return undefined;
  return LEVEL_COLOR[LEVEL_ALIAS[raw] ?? raw] ?? "#8e8e8e";
}

/** "2026-01-01 15:59:58.123" (UTC; the preview's window label says so). */
export function logTime(ns: string): string {
  const ms = Number(ns.length > 6 ? ns.slice(0, -6) : "0");
  return new Date(ms).toISOString().replace("T", " ").slice(0, 23);
}

export function logsChart(panel: PanelJson, data: PanelData, width: number, height: number): string {
  const lines = data.logs ?? [];
  const newestFirst = (panel.options?.sortOrder ?? "Descending") !== "Ascending";
  const shown = lines.slice(0, logLinesThatFit(height));
  const ordered = newestFirst ? shown : [...shown].reverse();
  const showTime = panel.options?.showTime !== false;
  const timeWidth = showTime ? 170 : 0;
  const out: string[] = [];
  if (!ordered.length) out.push(`<text x="${Math.round(width / 2)}" y="${Math.round(height / 2)}" text-anchor="middle" font-family="${THEME.font}" font-size="13" fill="${THEME.textWeak}">No logs found</text>`);
  ordered.forEach((l, i) => {
    const y = 4 + i * LOG_ROW;
    const color = levelColor(l.labels);
    if (color) out.push(`<rect x="0" y="${y}" width="3" height="${LOG_ROW - 2}" fill="${color}"/>`);
    if (showTime) out.push(`<text x="8" y="${y + 11}" font-family="${MONO}" font-size="11" fill="${THEME.textWeak}">${escapeXml(logTime(l.ns))}</text>`);
    out.push(`<text x="${8 + timeWidth}" y="${y + 11}" font-family="${MONO}" font-size="11" fill="${THEME.text}">${escapeXml(fitText(l.line.replace(/\s+/g, " "), width - 12 - timeWidth, 11))}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${out.join("")}</svg>`;
}

/** Trace id, start and duration get the room their text needs (a whole 32-digit id); service and name share the rest. */
const TRACE_COLUMNS: { title: string; fixed?: number; share: number; cell: (t: TraceRow) => string }[] = [
  { title: "Trace ID", fixed: 32 * 11 * 0.6 + 16, share: 0, cell: (t) => t.traceId },
  { title: "Service", share: 0.4, cell: (t) => t.rootServiceName ?? "<root span not yet received>" },
  { title: "Name", share: 0.6, cell: (t) => t.rootTraceName ?? "" },
  { title: "Start time", fixed: 19 * 12 * 0.58 + 16, share: 0, cell: (t) => logTime(t.startNs).slice(0, 19) },
  { title: "Duration", fixed: 80, share: 0, cell: (t) => (t.durationMs === undefined ? "" : t.durationMs < 1 ? "<1 ms" : formatValue(t.durationMs, "ms")) },
];

export function tracesChart(data: PanelData, width: number, height: number): string {
  const traces = data.traces ?? [];
  const out: string[] = [`<rect x="0" y="0" width="${width}" height="${TRACE_ROW}" fill="${THEME.panel}"/>`];
  // On a narrow panel the fixed columns shrink too, in proportion, leaving a third for the others.
  const fixedTotal = TRACE_COLUMNS.reduce((n, c) => n + (c.fixed ?? 0), 0);
  const scale = Math.min(1, (width * 2) / 3 / fixedTotal);
  const rest = width - fixedTotal * scale;
  const widths = TRACE_COLUMNS.map((c) => (c.fixed ? c.fixed * scale : c.share * rest));
  const xs = widths.map((_, i) => widths.slice(0, i).reduce((a, b) => a + b, 0));
  TRACE_COLUMNS.forEach((c, i) => out.push(cell(xs[i] + 8, TRACE_ROW / 2 + 4, fitText(c.title, widths[i] - 12, 12), THEME.text, 500, THEME.font)));
  out.push(`<line x1="0" y1="${TRACE_ROW}" x2="${width}" y2="${TRACE_ROW}" stroke="${THEME.border}"/>`);
  const visible = traceRowsThatFit(height);
  traces.slice(0, visible).forEach((t, r) => {
    const y = TRACE_ROW * (r + 1);
    out.push(`<line x1="0" y1="${y + TRACE_ROW}" x2="${width}" y2="${y + TRACE_ROW}" stroke="${THEME.border}" stroke-opacity="0.6"/>`);
    TRACE_COLUMNS.forEach((c, i) =>
      out.push(i === 0 ? cell(xs[i] + 8, y + TRACE_ROW / 2 + 4, fitText(c.cell(t), widths[i] - 12, 11), "#6E9FFF", 400, MONO, 11) : cell(xs[i] + 8, y + TRACE_ROW / 2 + 4, fitText(c.cell(t), widths[i] - 12, 12), THEME.text, 400, THEME.font)),
    );
  });
  if (!traces.length) out.push(cell(8, TRACE_ROW * 2 - 8, "No traces found", THEME.textWeak, 400, THEME.font));
  else if (traces.length > visible) out.push(cell(8, height - 4, `${traces.length - visible} more traces`, THEME.textWeak, 400, THEME.font));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${out.join("")}</svg>`;
}

function cell(x: number, y: number, s: string, color: string, weight: number, font: string, size = 12): string {
  return `<text x="${Math.round(x)}" y="${Math.round(y)}" font-family="${font}" font-size="${size}" font-weight="${weight}" fill="${color}">${escapeXml(s)}</text>`;
}
