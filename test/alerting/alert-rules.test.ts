// The Prometheus rule files: accepted by promtool's checker and linter, and every alert behaves as
// specified under `promtool test rules` (fires with the right labels, silent under the threshold,
// pending before `for`, silent with zero traffic and with absent metrics).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertingBuild } from "../../src/alerting/index.js";
import { alertRules } from "../../src/alerting/model.js";
import { runBuild } from "../../src/commands/build.js";
import { renderedLinks, repoAlerting } from "../fixtures/alerts/build.js";
import { ALERT_SPECS, toCases } from "../fixtures/alerts/cases.js";
import { nonCatalogSeries, runCases, writeRuleFiles, type AlertCase, type CaseKind, type CaseResult } from "../fixtures/alerts/promtool.js";
import { REPO_CONTENT } from "../../scripts/content.js";

let build: AlertingBuild;
let cases: AlertCase[];
let results: Map<string, CaseResult>;
let cleanup = () => {};
const tmp = mkdtempSync(join(tmpdir(), "alert-rules-"));

beforeAll(async () => {
  build = await repoAlerting();
  cases = toCases(ALERT_SPECS, (alert, labels) => renderedLinks(build, alert, labels));
  const run = await runCases(cases, build.groups);
  results = run.results;
  cleanup = run.cleanup;
});
afterAll(() => {
  cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

describe("rule files", () => {
  it("the alerting build has no problems", () => {
    expect(build.problems).toEqual([]);
  });

  it("promtool check rules --lint=all --lint-fatal accepts every rule file", () => {
    const dir = join(tmp, "lint");
    rmSync(dir, { recursive: true, force: true });
    execFileSync("mkdir", ["-p", dir]);
    const files = writeRuleFiles(build.groups, dir);
    expect(files.length).toBe(build.groups.length);
    const r = spawnSync("promtool", ["check", "rules", "--lint=all", "--lint-fatal", ...files], { encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    for (const f of files) expect(r.stdout).toContain(`Checking ${f}`);
    expect(r.stdout).not.toMatch(/FAILED|duplicate/i);
  });

  it("the checker is real: a bad expression, a bad template and a duplicate rule are refused", () => {
    const bad = (name: string, body: string) => {
      const f = join(tmp, name);
      writeFileSync(f, body);
      return spawnSync("promtool", ["check", "rules", "--lint=all", "--lint-fatal", f], { encoding: "utf8" });
    };
    expect(bad("expr.yaml", "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: sum(rate(x[5m])\n").status).not.toBe(0);
    expect(bad("tmpl.yaml", 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        annotations:\n          summary: "{{ $labels.job "\n').status).not.toBe(0);
    // --lint-fatal turns the duplicate-rules lint into exit code 3.
    const dup = bad("dup.yaml", "groups:\n  - name: g\n    rules:\n      - record: a:b\n        expr: up\n      - record: a:b\n        expr: up\n");
    expect(dup.status).toBe(3);
  });

  it("promtool check config accepts prometheus.yml with the built rule files beside it", async () => {
    const out = join(tmp, "tree");
    await runBuild({ content: REPO_CONTENT, out });
    const rules = readdirSync(join(out, "prometheus/rules")).sort();
    expect(rules).toEqual(build.groups.map((g) => `${g.name}.yaml`).sort());
    const r = spawnSync("promtool", ["check", "config", join(out, "prometheus/prometheus.yml")], { encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    // promtool follows rule_files: every file is found and checked.
    for (const f of rules) expect(r.stdout).toContain(`rules/${f}`);
  });

  it("every alert carries severity, summary, description, runbook_url and dashboard_url", () => {
    for (const { rule } of alertRules(build.groups)) {
      expect(["critical", "warning"], rule.name).toContain(rule.labels.severity);
      expect(Object.keys(rule.annotations).sort(), rule.name).toEqual(["dashboard_url", "description", "runbook_url", "summary"]);
      expect(rule.annotations.runbook_url, rule.name).toMatch(new RegExp(`/docs/runbooks/${rule.name}\\.md$`));
      expect(rule.annotations.dashboard_url, rule.name).toMatch(/\/d\/[\w-]+\/[\w-]+\?viewPanel=\d+/);
    }
  });

  it("one page per SLI: the 5xx threshold alert is a warning where the availability burn rate pages, critical elsewhere", () => {
    const rules = alertRules(build.groups).filter(({ rule }) => rule.name === "FastAPIHighErrorRate");
    const jobsOf = (expr: string) => [...expr.matchAll(/job="([^"]+)"/g)].map((m) => m[1]);
    const bySeverity = Object.fromEntries(rules.map(({ rule }) => [rule.labels.severity, [...new Set(jobsOf(rule.expr))].sort()]));
    expect(bySeverity).toEqual({ warning: ["fastapi"], critical: ["pix_erase_api"] });
    expect(rules.map(({ rule }) => rule.for)).toEqual(["5m", "5m"]);
    const pagingBurn = alertRules(build.groups).filter(({ rule }) => rule.name === "FastAPIAvailabilityBudgetBurn" && rule.labels.severity === "critical");
    expect(pagingBurn.length).toBeGreaterThan(0);
    for (const { rule } of pagingBurn) expect(rule.expr).toContain('http_requests_total{job="fastapi"}');
  });

  it("the required alerts exist with their severities and hold times", () => {
    const got = Object.fromEntries(
      alertRules(build.groups)
        .filter(({ rule }) => !rule.variant)
        .map(({ rule }) => [rule.name, `${rule.labels.severity} ${rule.for}`]),
    );
    expect(got).toEqual({
      EvaluationSuccessRateLow: "warning 5m",
      EvaluationFailureRateHigh: "critical 5m",
      HostHighCpuUsage: "warning 5m",
      HostHighMemoryUsage: "warning 5m",
      ContainerHighMemoryUsage: "warning 5m",
      FastAPIHighLatency: "warning 10m",
      LLMHighErrorRate: "warning 10m",
      ModelInferenceHighErrorRate: "warning 10m",
      ServiceStoppedReporting: "warning 5m",
      TaskiqTaskFailureRateHigh: "warning 10m",
      TargetDown: "critical 5m",
      OtelCollectorExportFailing: "warning 10m",
    });
  });
});

describe("promtool test rules", () => {
  it("input series use the metric catalog's names", () => {
    expect(nonCatalogSeries(cases)).toEqual([]);
  });

  it("every alert has a firing, an under-threshold, a before-for and an absent-metric case (and zero traffic where it has traffic)", () => {
    const noTraffic = new Set(["HostHighCpuUsage", "TargetDown"]);
    const alerts = new Set(alertRules(build.groups).filter(({ rule }) => !rule.variant).map(({ rule }) => rule.name));
    for (const alert of alerts) {
      const kinds = new Set(cases.filter((c) => c.alert === alert).map((c) => c.kind));
      const need: CaseKind[] = ["fires", "under-threshold", "before-for", "absent", ...(noTraffic.has(alert) ? [] : (["zero-traffic"] as CaseKind[]))];
      for (const k of need) expect(kinds.has(k), `${alert} has no "${k}" case`).toBe(true);
    }
  });

  it("the harness is real: a wrong severity, a missing label and a wrong state each fail", async () => {
    const base = cases.find((c) => c.alert === "TargetDown" && c.kind === "fires")!;
    const wrong: AlertCase[] = [
      { ...base, name: "wrong severity", annotations: undefined, expect: { firing: [{ job: "fastapi", instance: "app:8000", severity: "warning" }] } },
      { ...base, name: "missing label", annotations: undefined, expect: { firing: [{ job: "fastapi", severity: "critical" }] } },
      { ...base, name: "silent instead of firing", annotations: undefined, expect: "silent" },
    ];
    const run = await runCases(wrong, build.groups);
    try {
      for (const c of wrong) expect(run.results.get(`TargetDown: ${c.name}`)!.ok, c.name).toBe(false);
    } finally {
      run.cleanup();
    }
  });

  for (const spec of ALERT_SPECS) {
    describe(spec.alert, () => {
      for (const c of spec.cases) {
        it(c.name, () => {
          const r = results.get(`${spec.alert}: ${c.name}`);
          expect(r, "case did not run").toBeDefined();
          expect(r!.ok, `${r!.file}\n${r!.output}`).toBe(true);
        });
      }
    });
  }
});

describe("paging across every rule", () => {
  // Every alert and SLO rule at once, fed a quiet night on every FastAPI service: 3 requests within
  // two minutes, one of them a 5xx. Nothing may page or even be pending, before or after `for`.
  it("a quiet night with 1 failure in 3 requests pages nobody", () => {
    const dir = join(tmp, "quiet-night");
    rmSync(dir, { recursive: true, force: true });
    spawnSync("mkdir", ["-p", dir]);
    const ruleFiles = writeRuleFiles(build.groups, dir);
    const app = 'job="fastapi", instance="app:8000", method="GET", path="/api/items"';
    const pix = 'job="pix_erase_api", instance="pix_erase.api:8080", app_name="PixErase", method="POST", path="/api/v1/images"';
    const ok = "0x60 1 2x120"; // two good requests at 60m and 61m
    const failed = "0x61 1x120"; // one 5xx at 61m
    const doc = {
      rule_files: ruleFiles,
      evaluation_interval: "1m",
      tests: [
        {
          interval: "1m",
          input_series: [
            { series: `http_requests_total{${app}, status="2xx"}`, values: ok },
            { series: `http_requests_total{${app}, status="5xx"}`, values: failed },
            { series: `fastapi_requests_total{${pix}, status_code="200"}`, values: ok },
            { series: `fastapi_requests_total{${pix}, status_code="500"}`, values: failed },
            { series: `up{job="fastapi", instance="app:8000"}`, values: "1x180" },
            { series: `up{job="pix_erase_api", instance="pix_erase.api:8080"}`, values: "1x180" },
            // The model service, seen through the collector, keeps working through the night.
            { series: `model_inference_total{job="model-service", instance="otel-collector:8889", model_id="m1", task="classify", framework="onnx", status="success"}`, values: "0+1x180" },
            { series: `up{job="model-service", instance="otel-collector:8889"}`, values: "1x180" },
          ],
          promql_expr_test: ["62m", "63m", "66m", "70m", "90m", "150m"].map((t) => ({ expr: "ALERTS", eval_time: t, exp_samples: [] })),
        },
      ],
    };
    const file = join(dir, "quiet-night.test.yaml");
    writeFileSync(file, JSON.stringify(doc));
    const r = spawnSync("promtool", ["test", "rules", file], { encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});
