// How Grafana turns a time window and a panel width into the query step and the interval macros
// (packages/grafana-data/src/datetime/rangeutil.ts calculateInterval/roundInterval, and the Prometheus
// datasource's $__rate_interval = max($__interval + scrape interval, 4 × scrape interval)).

/** Grafana's roundInterval: the "nice" interval (ms) for a raw one. */
export function roundInterval(ms: number): number {
  const table: [number, number][] = [
    [15, 10], [35, 20], [75, 50], [150, 100], [350, 200], [750, 500], [1500, 1000], [3500, 2000],
    [7500, 5000], [12500, 10000], [17500, 15000], [25000, 20000], [45000, 30000], [90000, 60000],
    [210000, 120000], [450000, 300000], [750000, 600000], [1050000, 900000], [1500000, 1200000],
    [2700000, 1800000], [5400000, 3600000], [9000000, 7200000], [16200000, 10800000],
    [32400000, 21600000], [86400000, 43200000], [604800000, 86400000], [1814400000, 604800000],
    [3628800000, 2592000000],
  ];
  for (const [below, nice] of table) if (ms < below) return nice;
  return 31536000000;
}

export interface Intervals {
  /** Query step, seconds. */
  stepSeconds: number;
  /** Macro name → value, as Grafana substitutes them ("30s", "120s", "3600s", …). */
  macros: Record<string, string>;
}

/**
 * `maxDataPoints` is the panel's width in pixels unless the panel sets it; `scrapeSeconds` is the
 * datasource's scrape interval (jsonData.timeInterval), also the lower limit of the step.
 */
export function intervalsFor(fromMs: number, toMs: number, maxDataPoints: number, scrapeSeconds: number, panelMinSeconds?: number): Intervals {
  const rangeMs = toMs - fromMs;
  const lowLimitMs = Math.max(scrapeSeconds, panelMinSeconds ?? 0) * 1000;
  const intervalMs = Math.max(roundInterval(rangeMs / Math.max(1, maxDataPoints)), lowLimitMs);
  const intervalS = Math.max(1, Math.round(intervalMs / 1000));
  const rateS = Math.max(intervalS + scrapeSeconds, 4 * scrapeSeconds);
  const rangeS = Math.round(rangeMs / 1000);
  return {
    stepSeconds: intervalS,
    macros: {
      __interval: `${intervalS}s`,
      __interval_ms: String(intervalMs),
      __rate_interval: `${rateS}s`,
      __rate_interval_ms: String(rateS * 1000),
      __range: `${rangeS}s`,
      __range_s: String(rangeS),
      __range_ms: String(rangeMs),
      __auto: `${intervalS}s`,
    },
  };
}

/** "15s", "1m", "2h", "1d" → seconds; undefined for anything else. */
export function parseDurationSeconds(s: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec((s ?? "").trim());
  if (!m) return undefined;
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2] as "s"];
  return Number(m[1]) * unit;
}

/** A Grafana relative time "now-6h" (or "now") → milliseconds before `now`. */
export function relativeMs(expr: string): number | undefined {
  const t = expr.trim();
  if (t === "now") return 0;
  const m = /^now-(\d+)(s|m|h|d|w)$/.exec(t);
  if (!m) return undefined;
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2] as "s"] * 1000;
}
