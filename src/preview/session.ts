// Where a preview's data comes from, opened once for a set of dashboards: a local Prometheus loaded
// with the catalog's series over a fixed window (the default: the same bytes on every run), or a
// live Prometheus queried read-only over a window ending now. close() stops the local server.
import { join } from "node:path";
import { EXIT, UserError } from "../errors.js";
import { CACHE_DIR } from "../repoRoot.mjs";
import { prometheusClient, type PrometheusAuth, type QueryClient } from "./client.js";
import { lokiClient, tempoClient } from "./logsClient.js";
import { renderDashboard, queriedData, type RenderedDashboard } from "./dashboard.js";
import { catalogSeries, type MetricDef } from "./data/catalogSeries.js";
import { startPrometheus, type LocalPrometheus } from "./data/prometheus.js";
import { relativeMs } from "./interval.js";
import type { DashboardJson, TimeWindow } from "./model.js";
import { variableValues } from "./queries.js";

/** End of the synthetic window: 2026-01-01 16:00 UTC, an afternoon peak of the day-shaped traffic. */
export const SYNTHETIC_END = 1_767_283_200;
/** Data before the window, so a rate over [$__rate_interval] at its first step has samples. */
const LOOKBACK_S = 900;

export type PreviewSource =
  | { kind: "synthetic"; metrics: readonly MetricDef[]; targets: Record<string, readonly string[]>; seed?: number }
  | { kind: "live"; url: string; auth?: PrometheusAuth; scrapeSeconds: number };

export interface SessionOptions {
  source: PreviewSource;
  /** Grafana relative start, e.g. "now-6h"; default each dashboard's own time.from. */
  from?: string;
  /** --var name=value: variable values instead of the saved ones. */
  vars?: Record<string, string>;
  /** Where the local Prometheus' blocks are kept between runs (default under node_modules/.cache); false: not kept. */
  blockCacheDir?: string | false;
  /** --loki-url / --tempo-url with their datasource's auth: logs and traces panels drawn with data. */
  loki?: { url: string; auth?: PrometheusAuth };
  tempo?: { url: string; auth?: PrometheusAuth };
}

export interface PreviewSession {
  window(d: DashboardJson): TimeWindow;
  render(d: DashboardJson): Promise<RenderedDashboard>;
  close(): Promise<void>;
}

export function spanMs(d: DashboardJson, from: string | undefined): number {
  const text = from ?? d.time?.from ?? "now-1h";
  const ms = relativeMs(text);
  if (ms === undefined || ms <= 0) {
    throw new UserError(`${from ? "--from" : `dashboard "${d.uid}" time.from`} ${JSON.stringify(text)}: a preview needs a relative start such as now-6h`, from ? EXIT.usage : EXIT.invalid);
  }
  return ms;
}

/** Metric names a set of dashboards queries (to load only those). */
export function queriedNames(dashboards: readonly DashboardJson[]): Set<string> {
  const words = new Set<string>();
  const visit = (panels: unknown) => {
    if (!Array.isArray(panels)) return;
    for (const p of panels as { targets?: { expr?: unknown }[]; panels?: unknown }[]) {
      for (const t of Array.isArray(p?.targets) ? p.targets : []) if (typeof t?.expr === "string") for (const w of t.expr.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? []) words.add(w);
      visit(p?.panels);
    }
  };
  for (const d of dashboards) visit(d.panels);
  return words;
}

export async function openSession(dashboards: readonly DashboardJson[], opts: SessionOptions): Promise<PreviewSession> {
  // Made first: a bad URL or a missing secret fails before a local Prometheus is started.
  const loki = opts.loki && lokiClient(opts.loki.url, opts.loki.auth);
  const tempo = opts.tempo && tempoClient(opts.tempo.url, opts.tempo.auth);
  const longest = Math.max(3600_000, ...dashboards.map((d) => spanMs(d, opts.from)));
  let client: QueryClient;
  let end: number;
  let scrapeSeconds: number;
  let local: LocalPrometheus | undefined;
  if (opts.source.kind === "live") {
    client = prometheusClient(opts.source.url, opts.source.auth);
    end = Math.floor(Date.now() / 1000);
    scrapeSeconds = opts.source.scrapeSeconds;
  } else {
    // About 240 samples per window at most; never below 30 s (start-up time grows with samples).
    const step = Math.max(30, Math.ceil(longest / 1000 / 240 / 15) * 15);
    const minutes = Math.ceil((longest / 1000 + LOOKBACK_S) / 60 / (step / 60)) * (step / 60);
    const used = queriedNames(dashboards);
    const metrics = opts.source.metrics.filter((m) => used.has(m.name) || ["_bucket", "_sum", "_count", "_total"].some((s) => used.has(m.name + s)));
    if (!metrics.length) throw new UserError("none of the dashboards queries a metric of the catalog: nothing to generate", EXIT.invalid);
    const series = catalogSeries({ metrics, targets: opts.source.targets, minutes, stepSeconds: step, end: SYNTHETIC_END, shapes: true, seed: opts.source.seed });
    // The blocks depend on exactly these (and the generator's code, which the cache key adds).
    const cacheDir = opts.blockCacheDir ?? join(CACHE_DIR, "preview/tsdb");
    const inputs = { metrics: metrics.map(({ name, type, labels, labelValues, jobs, buckets }) => ({ name, type, labels, labelValues, jobs, buckets })), targets: opts.source.targets, shapes: true };
    local = await startPrometheus({ series, minutes, stepSeconds: step, end: SYNTHETIC_END, seed: opts.source.seed, cache: cacheDir === false ? undefined : { dir: cacheDir, inputs } });
    client = prometheusClient(local.url);
    end = SYNTHETIC_END;
    scrapeSeconds = step;
  }
  const windowOf = (d: DashboardJson): TimeWindow => ({ from: (end - spanMs(d, opts.from) / 1000) * 1000, to: end * 1000 });
  return {
    window: windowOf,
    render: (d) => {
      const window = windowOf(d);
      return renderDashboard(d, window, queriedData({ client, window, variables: variableValues(d, opts.vars), scrapeSeconds, loki, tempo }));
    },
    close: async () => {
      await local?.stop();
    },
  };
}
