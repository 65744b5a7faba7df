// SLOs: recording rules per window and one burn-rate alert per window pair (SRE workbook), checked
// as generated and under `promtool test rules`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertingBuild } from "../../src/alerting/index.js";
import { alertRules, recordingRules } from "../../src/alerting/model.js";
import { BURN_WINDOWS, errorRatioRecord, SLO_WINDOWS, sloRuleGroup } from "../../src/alerting/slo.js";
import { checkBuckets } from "../../src/alerting/validate.js";
import { recordedSeries } from "../../src/query/recorded.js";
import { leMatcher } from "../../src/query/build.js";
import { checkExpressionAgainstCatalog } from "../../src/query/catalogCheck.js";
import { checkQuery } from "../../src/query/parse.js";
import { catalog, lookupSeries } from "../../catalog/index.js";
import { renderedLinks, repoAlerting } from "../fixtures/alerts/build.js";
import { SLO_SPECS, toCases } from "../fixtures/alerts/cases.js";
import { nonCatalogSeries, runCases, type AlertCase, type CaseResult } from "../fixtures/alerts/promtool.js";

let build: AlertingBuild;
let cases: AlertCase[];
let results: Map<string, CaseResult>;
let cleanup = () => {};

beforeAll(async () => {
  build = await repoAlerting();
  cases = toCases(SLO_SPECS, (alert, labels) => renderedLinks(build, alert, labels));
  const run = await runCases(cases, build.groups);
  results = run.results;
  cleanup = run.cleanup;
});
afterAll(() => cleanup());

const spec = {
  alert: "ExampleBudgetBurn",
  title: "Example availability",
  objective: 0.999,
  good: 'http_requests_total{job="fastapi", status!~"5.."}',
  total: 'http_requests_total{job="fastapi"}',
  dashboard: { dashboard: "fastapi-overview", panel: "Error ratio (5xx)" },
};

describe("generation", () => {
  const group = sloRuleGroup("example", spec, "alerts/example.ts");

  it("records the error ratio over every window the alerts use", () => {
    expect(SLO_WINDOWS).toEqual(["5m", "30m", "1h", "2h", "6h", "1d", "3d"]);
    const records = group.rules.filter((r) => r.kind === "record");
    expect(records.map((r) => (r.kind === "record" ? r.record : ""))).toEqual(SLO_WINDOWS.map(errorRatioRecord));
    for (const r of records) {
      expect(r.labels).toEqual({ slo: "example" });
      expect(checkQuery("promql", r.expr)).toEqual([]);
      expect(checkExpressionAgainstCatalog(r.expr, catalog)).toEqual([]);
      // Zero traffic gives no series, not NaN.
      expect(r.expr).toMatch(/and\n.*> 0$/);
    }
  });

  it("has one alert per window pair: 1h/5m and 6h/30m page, 1d/2h and 3d/6h open tickets", () => {
    const alerts = group.rules.filter((r) => r.kind === "alert");
    expect(alerts.map((a) => (a.kind === "alert" ? [a.labels.long_window, a.labels.short_window, a.labels.severity, a.for] : []))).toEqual([
      ["1h", "5m", "critical", "2m"],
      ["6h", "30m", "critical", "15m"],
      ["1d", "2h", "warning", "1h"],
      ["3d", "6h", "warning", "3h"],
    ]);
    expect(new Set(alerts.map((a) => (a.kind === "alert" ? a.name : "")))).toEqual(new Set(["ExampleBudgetBurn"]));
  });

  it("compares both windows with burn rate × error budget (14.4, 6, 3, 1 × 0.1%)", () => {
    const exprs = group.rules.filter((r) => r.kind === "alert").map((r) => r.expr);
    expect(exprs).toEqual([
      'slo:sli_error:ratio_rate1h{slo="example"} > 0.0144\nand\nslo:sli_error:ratio_rate5m{slo="example"} > 0.0144',
      'slo:sli_error:ratio_rate6h{slo="example"} > 0.006\nand\nslo:sli_error:ratio_rate30m{slo="example"} > 0.006',
      'slo:sli_error:ratio_rate1d{slo="example"} > 0.003\nand\nslo:sli_error:ratio_rate2h{slo="example"} > 0.003',
      'slo:sli_error:ratio_rate3d{slo="example"} > 0.001\nand\nslo:sli_error:ratio_rate6h{slo="example"} > 0.001',
    ]);
    expect(BURN_WINDOWS.map((w) => w.factor)).toEqual([14.4, 6, 3, 1]);
  });

  it("the recorded series are known to the catalog check, so dashboards may chart them", () => {
    const extra = recordedSeries([group]);
    expect(extra[errorRatioRecord("1h")]).toEqual(["slo"]);
    expect(checkExpressionAgainstCatalog('max by (job, slo) (slo:sli_error:ratio_rate1h{slo="example"})', catalog, extra)).toEqual([]);
    expect(checkExpressionAgainstCatalog("slo:sli_error:ratio_rate1h", catalog, {}).map((i) => i.code)).toEqual(["unknown-metric"]);
  });
});

describe("an absent good series", () => {
  it("counts as no good events only where the SLO says so (availability), not for a bucket (a wrong selector would page)", () => {
    const filled = sloRuleGroup("example", { ...spec, goodMayBeAbsent: true }, "f").rules[0].expr;
    const plain = sloRuleGroup("example", spec, "f").rules[0].expr;
    expect(filled).toContain(" or 0 * sum by (job) (rate(");
    expect(plain).not.toContain(" or 0 * ");
  });
});

describe("bucket bounds", () => {
  const latencySpec = (le: string) => ({ ...spec, good: `http_request_duration_seconds_bucket{job="fastapi", ${le}}`, total: 'http_request_duration_seconds_count{job="fastapi"}' });
  const problems = (le: string) => checkBuckets([sloRuleGroup("lat", latencySpec(le), "alerts/lat.ts")], catalog);

  it("leMatcher matches both spellings of an integer bound, one of a fractional one", () => {
    expect(leMatcher(1)).toBe('le=~"1|1[.]0"');
    expect(leMatcher(0.5)).toBe('le="0.5"');
  });

  it("accepts a catalog bucket in either form, once per SLO rather than per window", () => {
    expect(problems(leMatcher(1))).toEqual([]);
    expect(problems('le="0.5"')).toEqual([]);
    const bad = problems('le=~"1|2"');
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ code: "unknown-bucket", rule: "ExampleBudgetBurn", file: "alerts/lat.ts" });
    expect(problems('le="2.5"')[0].message).toMatch(/SLO "lat": .*le="2\.5".*buckets: 0\.1, 0\.5, 1/);
  });
});

describe("the shipped SLOs", () => {
  it("availability and latency of the FastAPI app, with their objectives", () => {
    const slos = Object.fromEntries(build.expanded.slos.map((s) => [s.name, { alert: s.spec.alert, objective: s.spec.objective }]));
    expect(slos).toEqual({
      "fastapi-availability": { alert: "FastAPIAvailabilityBudgetBurn", objective: 0.999 },
      "fastapi-latency": { alert: "FastAPILatencyBudgetBurn", objective: 0.99 },
    });
  });

  it("latency reads the le=\"1\" bucket, which the catalog lists for the histogram", () => {
    const latency = build.expanded.slos.find((s) => s.name === "fastapi-latency")!.spec;
    expect(latency.good).toMatch(/_bucket\{.*le=~"1\|1\[\.\]0"/);
    expect(latency.goodMayBeAbsent).toBeUndefined();
    expect(lookupSeries("http_request_duration_seconds_bucket")!.metric.buckets).toContain(1);
  });

  it("their rule groups hold 7 recording rules and 4 alerts each, evaluated every minute", () => {
    for (const name of ["slo-fastapi-availability", "slo-fastapi-latency"]) {
      const g = build.groups.find((x) => x.name === name)!;
      expect(g.interval).toBe("1m");
      expect(recordingRules([g]).length).toBe(7);
      expect(alertRules([g]).length).toBe(4);
    }
  });
});

describe("promtool test rules", () => {
  it("input series use the metric catalog's names", () => {
    expect(nonCatalogSeries(cases)).toEqual([]);
  });

  it("every SLO alert has firing, under-threshold, before-for, zero-traffic and absent cases", () => {
    for (const s of SLO_SPECS) {
      const kinds = new Set(s.cases.map((c) => c.kind));
      for (const k of ["fires", "under-threshold", "before-for", "zero-traffic", "absent"]) expect(kinds.has(k as never), `${s.alert} ${k}`).toBe(true);
    }
  });

  for (const s of SLO_SPECS) {
    describe(s.alert, () => {
      for (const c of s.cases) {
        it(c.name, () => {
          const r = results.get(`${s.alert}: ${c.name}`);
          expect(r, "case did not run").toBeDefined();
          expect(r!.ok, `${r!.file}\n${r!.output}`).toBe(true);
        });
      }
    });
  }
});
