// A logs panel's LogQL and a traces panel's TraceQL run as Grafana's Loki and Tempo datasources run
// them: variables and interval macros substituted by the build's expansion (expandExpr), Loki asked
// for the window's newest lines (direction backward), Tempo searched over the window. Only as many
// lines or traces are asked for as the panel can show (never more than the panel's own limit).
import { GRID_CELL_HEIGHT, GRID_CELL_MARGIN } from "./grid.js";
import { compareNewestFirst, type LokiClient, type TempoClient } from "./logsClient.js";
import type { LogLine, PanelData, PanelJson, TargetJson, TraceRow, TimeWindow } from "./model.js";
import { logLinesThatFit, traceRowsThatFit } from "./panels/logs.js";
import { THEME } from "./theme.js";

/** Grafana's Loki datasource default maxLines; Tempo's default search limit. */
export const LOKI_DEFAULT_MAX_LINES = 1000;
export const TEMPO_DEFAULT_LIMIT = 20;

export interface LogsContext {
  window: TimeWindow;
  loki?: LokiClient;
  tempo?: TempoClient;
}

type Expand = (query: string) => string;

function bodyHeight(panel: PanelJson): number {
  const h = panel.gridPos?.h;
  const px = typeof h === "number" && h > 0 ? h * GRID_CELL_HEIGHT + (h - 1) * GRID_CELL_MARGIN : 8 * GRID_CELL_HEIGHT;
  return Math.max(10, px - THEME.titleHeight);
}

const positive = (v: unknown): number | undefined => (typeof v === "number" && Number.isInteger(v) && v > 0 ? v : undefined);
const refOf = (t: TargetJson) => t.refId ?? "?";
const msToNs = (ms: number) => (ms <= 0 ? "0" : `${Math.floor(ms)}000000`);

/** Every Loki target of a logs panel; lines of all targets merged, the newest that fit kept. */
export async function queryLogs(panel: PanelJson, targets: readonly TargetJson[], loki: LokiClient, ctx: LogsContext, expand: Expand): Promise<PanelData> {
  const fit = logLinesThatFit(bodyHeight(panel));
  const runnable = targets.filter((t) => typeof t.expr === "string" && t.expr.trim());
  if (!runnable.length) return { series: [], errors: [], unavailable: "no LogQL query" };
  const errors: string[] = [];
  const found = await Promise.all(
    runnable.map(async (t): Promise<LogLine[]> => {
      if (typeof t.expr !== "string") return [];
      const limit = Math.min(positive((t as { maxLines?: unknown }).maxLines) ?? LOKI_DEFAULT_MAX_LINES, fit);
      try {
        return await loki.queryRange(expand(t.expr), msToNs(ctx.window.from), msToNs(ctx.window.to), limit);
      } catch (e) {
        errors.push(`query ${refOf(t)}: ${(e as Error).message.split("\n")[0]}`);
        return [];
      }
    }),
  );
  const key = (l: LogLine) => `${l.line}\u0000${JSON.stringify(Object.entries(l.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;
  const logs = found.flat().sort((a, b) => compareNewestFirst(a, b) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return errors.length && !logs.length ? { series: [], errors } : { series: [], errors, logs: logs.slice(0, fit) };
}

/** A traces panel's TraceQL searches (queryType traceql); the traces of all targets in Tempo's order. */
export async function queryTraces(panel: PanelJson, targets: readonly TargetJson[], tempo: TempoClient, ctx: LogsContext, expand: Expand): Promise<PanelData> {
  const fit = traceRowsThatFit(bodyHeight(panel));
  const isTraceQl = (t: TargetJson) => typeof t.query === "string" && t.query.trim() !== "" && [undefined, "traceql"].includes((t as { queryType?: unknown }).queryType as string | undefined);
  const runnable = targets.filter(isTraceQl);
  // Search-builder, service-graph and trace-id queries are not run: only a TraceQL search is.
  if (!runnable.length) return { series: [], errors: [], unavailable: "no TraceQL search to run in preview" };
  const errors: string[] = [];
  const found = await Promise.all(
    runnable.map(async (t): Promise<TraceRow[]> => {
      if (typeof t.query !== "string") return [];
      const limit = Math.min(positive((t as { limit?: unknown }).limit) ?? TEMPO_DEFAULT_LIMIT, fit);
      try {
        return await tempo.search(expand(t.query), Math.floor(ctx.window.from / 1000), Math.ceil(ctx.window.to / 1000), limit);
      } catch (e) {
        errors.push(`query ${refOf(t)}: ${(e as Error).message.split("\n")[0]}`);
        return [];
      }
    }),
  );
  const seen = new Set<string>();
  const traces = found.flat().filter((t) => !seen.has(t.traceId) && seen.add(t.traceId));
  return errors.length && !traces.length ? { series: [], errors } : { series: [], errors, traces };
}
