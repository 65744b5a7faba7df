// A panel's Prometheus queries run as Grafana runs them: variables at their current values (or
// --var), Grafana's interval macros for the window and the panel's width, a range query per target
// (an instant query at the window's end for `instant` targets), series named by legendFormat.
import { interpolateGrafanaVariables } from "../query/expand.js";
import type { QueryClient, RawSeries } from "./client.js";
import { queryLogs, queryTraces } from "./logQueries.js";
import type { LokiClient, TempoClient } from "./logsClient.js";
import { intervalsFor, parseDurationSeconds } from "./interval.js";
import type { DashboardJson, PanelData, PanelJson, Series, TargetJson, TimeWindow } from "./model.js";

/** Prometheus' regex metacharacters, escaped as Grafana's prometheusSpecialRegexEscape does. */
export function regexEscape(value: string): string {
  return value.replace(/\\/g, "\\\\\\\\").replace(/[$^*{}[\]'+?.()|]/g, "\\\\$&");
}

/**
 * Variable name → the text Grafana substitutes: `overrides` (--var) first, then the saved current
 * value; "All" becomes the variable's allValue (".*" without one: every value, as a regex).
 */
export function variableValues(dashboard: DashboardJson, overrides: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of dashboard.templating?.list ?? []) {
    if (!v || typeof v.name !== "string") continue;
    const multi = Boolean((v as { multi?: boolean }).multi) || Boolean(v.includeAll);
    const given = overrides[v.name];
    const raw = given ?? v.current?.value ?? "";
    const list = (Array.isArray(raw) ? raw : [raw]).map(String);
    if (v.type === "datasource" || v.type === "constant" || v.type === "textbox") out[v.name] = list[0] ?? "";
    else if (list.includes("$__all") || list.length === 0 || (list.length === 1 && list[0] === "")) out[v.name] = v.allValue ?? ".*";
    else if (!multi) out[v.name] = list[0];
    else out[v.name] = list.length === 1 ? regexEscape(list[0]) : `(${list.map(regexEscape).join("|")})`;
  }
  return out;
}

export interface QueryContext {
  client: QueryClient;
  window: TimeWindow;
  variables: Record<string, string>;
  /** Datasource scrape interval, seconds (Grafana's jsonData.timeInterval). */
  scrapeSeconds: number;
  /** --loki-url / --tempo-url: logs and traces panels are queried; without, they stay placeholders. */
  loki?: LokiClient;
  tempo?: TempoClient;
}

export function expandExpr(expr: string, variables: Record<string, string>, macros: Record<string, string>): string {
  return interpolateGrafanaVariables(expr, (name) => macros[name] ?? variables[name]);
}

function datasourceType(panel: PanelJson, target: TargetJson): string | undefined {
  return target.datasource?.type ?? panel.datasource?.type ?? undefined;
}

/** Run every visible target of a panel; a failing target becomes an error naming its refId, the others still draw. */
export async function queryPanel(panel: PanelJson, width: number, ctx: QueryContext): Promise<PanelData> {
  const targets = (Array.isArray(panel.targets) ? panel.targets : []).filter((t) => t && !t.hide);
  const types = new Set(targets.map((t) => datasourceType(panel, t)));
  const other = [...types].find((t) => t && t !== "prometheus");
  const typed = (type: string) => targets.filter((t) => datasourceType(panel, t) === type);
  const expandFor = () => {
    const { macros } = intervalsFor(ctx.window.from, ctx.window.to, typeof panel.maxDataPoints === "number" && panel.maxDataPoints > 0 ? panel.maxDataPoints : width, ctx.scrapeSeconds, parseDurationSeconds(panel.interval));
    return (q: string) => expandExpr(q, ctx.variables, macros);
  };
  if (panel.type === "logs" && ctx.loki && types.has("loki")) return queryLogs(panel, typed("loki"), ctx.loki, ctx, expandFor());
  if (panel.type === "traces" && ctx.tempo && types.has("tempo")) return queryTraces(panel, typed("tempo"), ctx.tempo, ctx, expandFor());
  if (other && !types.has("prometheus")) return { series: [], errors: [], unavailable: `no ${other === "loki" ? "Loki" : other === "tempo" || other === "jaeger" ? "Tempo/Jaeger" : other} in preview` };
  const { stepSeconds, macros } = intervalsFor(
    ctx.window.from,
    ctx.window.to,
    typeof panel.maxDataPoints === "number" && panel.maxDataPoints > 0 ? panel.maxDataPoints : width,
    ctx.scrapeSeconds,
    parseDurationSeconds(panel.interval),
  );
  const series: Series[] = [];
  const errors: string[] = [];
  const results = await Promise.all(
    targets.map(async (t) => {
      if (datasourceType(panel, t) !== "prometheus" || typeof t.expr !== "string" || !t.expr.trim()) return undefined;
      const expr = expandExpr(t.expr, ctx.variables, macros);
      const end = Math.floor(ctx.window.to / 1000);
      try {
        const raw = t.instant && !t.range ? await ctx.client.instant(expr, end) : await ctx.client.range(expr, Math.floor(ctx.window.from / 1000), end, stepSeconds);
        return { t, raw, expr };
      } catch (e) {
        errors.push(`query ${t.refId ?? "?"}: ${(e as Error).message.split("\n")[0]}`);
        return undefined;
      }
    }),
  );
  for (const r of results) {
    if (!r) continue;
    for (const s of sortSeries(r.raw)) series.push(toSeries(s, r.t, r.expr));
  }
  return { series, errors };
}

/** Prometheus returns series in no promised order; sort by label set so renders are stable. */
function sortSeries(raw: RawSeries[]): RawSeries[] {
  const key = (s: RawSeries) => JSON.stringify(Object.entries(s.metric).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return [...raw].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function toSeries(s: RawSeries, t: TargetJson, expr: string): Series {
  const points = s.values.map(([ts, v]) => [Math.round(ts * 1000), Number(v)] as [number, number]).filter(([, v]) => Number.isFinite(v));
  return { refId: t.refId ?? "A", name: seriesName(s.metric, t.legendFormat, expr), labels: s.metric, points };
}

/** Grafana's display name: legendFormat with {{label}} filled, else metric{labels}, else the query. */
export function seriesName(labels: Record<string, string>, legendFormat: string | undefined, expr: string): string {
  if (legendFormat && legendFormat !== "__auto") return legendFormat.replace(/\{\{\s*(.+?)\s*\}\}/g, (_, l: string) => labels[l] ?? "");
  const { __name__: name, ...rest } = labels;
  const pairs = Object.keys(rest)
    .sort()
    .map((k) => `${k}="${rest[k]}"`);
  if (!name && !pairs.length) return expr;
  return `${name ?? ""}${pairs.length ? `{${pairs.join(", ")}}` : ""}`;
}
