// Both FastAPI instrumentations of the stacks, per job, in one rule each: the instrumentator's
// http_requests_total{status} (the FastAPI/LLM stack, job fastapi) and the PixErase API's
// fastapi_requests_total{status_code} (the PixErase stack, job pix_erase_api). Metric and label names come
// from the flavours the FastAPI dashboards are built from, so alert and panel cannot drift apart;
// dashboard_url opens the dashboard of the alerting job.
import { flavours, type FastapiFlavour } from "../dashboards/fastapi/flavours.js";
import { defineAlertGroup, type AlertContext, type DashboardLink } from "../src/alerting/define.js";
import { above, either, formatNumber, percent, rateRatio, shareAbove } from "../src/query/build.js";
import { PAGED_BY_SLO } from "./slo-fastapi.js";

/** The latency alert's quantile: p95 above the threshold = more than 5% of requests slower. */
const QUANTILE = 0.95;

const jobOf = (f: FastapiFlavour, ctx: AlertContext) => f.job ?? ctx.job(f.service);
/** Matchers inside {...}: the job, and what the flavour always filters (PixErase: not /metrics). */
const matchers = (f: FastapiFlavour, ctx: AlertContext) => `job="${jobOf(f, ctx)}"${f.extraMatchers}`;

function panelPerJob(ctx: AlertContext, panel: string): DashboardLink {
  return { byJob: Object.fromEntries(flavours.map((f) => [jobOf(f, ctx), { dashboard: f.uid, panel }])) };
}

export default defineAlertGroup({
  name: "fastapi",
  alerts: (ctx) => {
    const t = ctx.thresholds;
    const min = t.minRequestsPerMinute;
    const errorRatio = (f: FastapiFlavour) =>
      rateRatio({
        part: `${f.requests}{${matchers(f, ctx)}, ${f.statusLabel}=~"5.."}`,
        whole: `${f.requests}{${matchers(f, ctx)}}`,
        by: ["job"],
        minPerMinute: min,
      });
    // The threshold is a bucket bound of both histograms (checked against the catalog's buckets).
    const slowShare = (f: FastapiFlavour) =>
      shareAbove({
        histogram: f.duration,
        matchers: matchers(f, ctx),
        le: t.httpLatencyP95Seconds,
        by: ["job"],
        minPerMinute: min,
      });
    const limit = `${formatNumber(t.httpLatencyP95Seconds)}s`;
    // One page per SLI: where a burn-rate alert pages (alerts/slo-fastapi.ts) the 5xx threshold alert is
    // a warning; for the other jobs it is the page. Latency is a warning everywhere.
    const paged = flavours.filter((f) => PAGED_BY_SLO.includes(f.service) && !f.job);
    const errorRules = [
      { severity: "warning" as const, variant: "slo-pages", fs: paged },
      { severity: "critical" as const, variant: "no-slo", fs: flavours.filter((f) => !paged.includes(f)) },
    ]
      .filter((v) => v.fs.length > 0)
      .map(({ severity, variant, fs }) => ({
        severity,
        variant,
        expr: either(...fs.map((f) => above(errorRatio(f), t.httpErrorRatio))),
      }));
    return [
      ...errorRules.map((v) => ({
        name: "FastAPIHighErrorRate",
        ...v,
        for: "5m",
        summary: "{{ $labels.job }} answers {{ $value | humanizePercentage }} of requests with 5xx",
        description: `{{ $value | humanizePercentage }} of the requests {{ $labels.job }} handled over the last 5 minutes ended in a 5xx response (alert above ${percent(t.httpErrorRatio)}).`,
        dashboard: panelPerJob(ctx, "Error ratio (5xx)"),
      })),
      {
        name: "FastAPIHighLatency",
        severity: "warning" as const,
        expr: either(...flavours.map((f) => above(slowShare(f), 1 - QUANTILE))),
        for: "10m",
        summary: `p95 latency of {{ $labels.job }} is above ${limit}`,
        description:
          `{{ $value | humanizePercentage }} of the requests {{ $labels.job }} handled over the last 5 minutes took ` +
          `longer than ${limit}, so its p${formatNumber(QUANTILE * 100)} latency is above ${limit} (read from the ` +
          `le="${formatNumber(t.httpLatencyP95Seconds)}" histogram bucket).`,
        dashboard: panelPerJob(ctx, "p95 latency"),
      },
    ];
  },
});
