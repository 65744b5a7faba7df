// SLOs as multi-window, multi-burn-rate alerts (Google SRE workbook, "Alerting on SLOs"): the SLI's
// error ratio is recorded over every window, and each alert fires when both its long and its short
// window burn the 30-day error budget faster than its factor. The long window makes the alert
// significant, the short one makes it stop soon after the burn stops.
import type { SloSpec, Severity } from "./define.js";
import type { AlertRule, RecordingRule, RuleGroup } from "./model.js";
import { formatNumber, percent, sumRate, trafficGuard } from "../query/build.js";

export interface BurnWindow {
  long: string;
  short: string;
  /** Burn rate: how many times faster than "exactly the budget in 30 days". */
  factor: number;
  severity: Severity;
  /** Short hold against single-evaluation blips; the short window already bounds the reset time. */
  for: string;
}

/** The workbook's recommended pairs: 2% and 5% of the budget → page; 10% in 3 days → ticket. */
export const BURN_WINDOWS: readonly BurnWindow[] = [
  { long: "1h", short: "5m", factor: 14.4, severity: "critical", for: "2m" },
  { long: "6h", short: "30m", factor: 6, severity: "critical", for: "15m" },
  { long: "1d", short: "2h", factor: 3, severity: "warning", for: "1h" },
  { long: "3d", short: "6h", factor: 1, severity: "warning", for: "3h" },
];

export const SLO_PERIOD_DAYS = 30;

/** Every window a recording rule is needed for, shortest first. */
export const SLO_WINDOWS = [...new Set(BURN_WINDOWS.flatMap((w) => [w.short, w.long]))].sort((a, b) => seconds(a) - seconds(b));

/** Recording rule name of the SLI error ratio over a window. */
export function errorRatioRecord(window: string): string {
  return `slo:sli_error:ratio_rate${window}`;
}

export function seconds(d: string): number {
  const m = /^(\d+)([smhd])$/.exec(d);
  if (!m) throw new Error(`bad duration ${d}`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "s" | "m" | "h" | "d"];
}

/** 1 - good/total over a window, per `by`; nothing (not NaN) without traffic. */
export function errorRatioExpr(spec: SloSpec, window: string): string {
  const by = spec.by ?? ["job"];
  const total = sumRate(spec.total, by, window);
  const good = spec.goodMayBeAbsent ? `(${sumRate(spec.good, by, window)} or 0 * ${total})` : sumRate(spec.good, by, window);
  return `(\n  ${total}\n  -\n  ${good}\n)\n/\n${total}\nand\n${total} > 0`;
}

function hours(factor: number): string {
  const h = (SLO_PERIOD_DAYS * 24) / factor;
  return h >= 48 ? `${formatNumber(Math.round((h / 24) * 10) / 10)} days` : `${formatNumber(Math.round(h))} hours`;
}

/** The rule group of one SLO: a recording rule per window, then one alert per window pair. */
export function sloRuleGroup(name: string, spec: SloSpec, file: string, minPerMinute = 0): RuleGroup {
  const by = spec.by ?? ["job"];
  // Both windows need enough traffic: at night 1 failure in 3 requests burns "the budget" but pages nobody.
  const enoughTraffic = (window: string) => `and on (${by.join(", ")})\n${trafficGuard(sumRate(spec.total, by, window), minPerMinute)}`;
  const budget = 1 - spec.objective;
  const sloLabel = { slo: name };
  const recording: RecordingRule[] = SLO_WINDOWS.map((w) => ({
    kind: "record",
    record: errorRatioRecord(w),
    expr: errorRatioExpr(spec, w),
    labels: { ...sloLabel },
  }));
  const alerts: AlertRule[] = BURN_WINDOWS.map((w) => {
    const threshold = formatNumber(w.factor * budget);
    const sel = (window: string) => `${errorRatioRecord(window)}{slo="${name}"}`;
    return {
      kind: "alert",
      name: spec.alert,
      variant: `${w.long}/${w.short}`,
      expr: `${sel(w.long)} > ${threshold}\nand\n${sel(w.short)} > ${threshold}${minPerMinute > 0 ? `\n${enoughTraffic(w.long)}\n${enoughTraffic(w.short)}` : ""}`,
      for: w.for,
      labels: { severity: w.severity, slo: name, long_window: w.long, short_window: w.short },
      annotations: {
        summary: `${spec.title} SLO of {{ $labels.job }}: error budget burning at ${formatNumber(w.factor)}x the sustainable rate`,
        description:
          `{{ $value | humanizePercentage }} of events failed the ${spec.title} SLI over the last ${w.long} ` +
          `(and more than ${percent(w.factor * budget)} over the last ${w.short}) on {{ $labels.job }}, ` +
          `against an objective of ${percent(spec.objective)} (error budget ${percent(budget)}). ` +
          `At this rate the ${SLO_PERIOD_DAYS}-day error budget is gone in ${hours(w.factor)}.`,
      },
      dashboard: spec.dashboard,
    };
  });
  return { name: `slo-${name}`, file, interval: "1m", rules: [...recording, ...alerts], slo: { name, alert: spec.alert } };
}

/** Series the SLO recording rules produce, with their labels, for query checks. */
export function sloRecordedSeries(by: string[] = ["job"]): Record<string, string[]> {
  return Object.fromEntries(SLO_WINDOWS.map((w) => [errorRatioRecord(w), [...by.filter((l) => l !== "job" && l !== "instance"), "slo"]]));
}
