// Queries naming a metric or label the catalog does not have stop the build — before anything could
// be sent to Prometheus — with a problem that says where and what the closest catalog name is.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BuildError, type Problem } from "../../src/errors.js";
import { runBuild } from "../../src/commands/build.js";
import { catalog } from "../../catalog/index.js";
import { checkExpressionAgainstCatalog } from "../../src/query/catalogCheck.js";
import { checkVariableQueryAgainstCatalog } from "../../src/query/labelValues.js";
import { REPO_CONTENT } from "../../scripts/content.js";
import { definitionsDir, REPO } from "../fixtures/definitions.js";

async function buildProblems(files: Record<string, string>): Promise<Problem[]> {
  const out = join(mkdtempSync(join(tmpdir(), "catalog-out-")), "build");
  try {
    const err = await runBuild({ content: REPO_CONTENT, out, dashboardsDir: definitionsDir(files), referenceSchemas: false }).then(() => null, (e: unknown) => e);
    expect(err, "the build should have failed").toBeInstanceOf(BuildError);
    return (err as BuildError).problems;
  } finally {
    rmSync(join(out, ".."), { recursive: true, force: true });
  }
}

const dashboard = (uid: string, opts: { exprs?: string[]; variable?: string; links?: string } = {}) => `
import { labelVariable } from "${REPO}/src/presets/variables.ts";
import * as sdk from "${REPO}/node_modules/@grafana/grafana-foundation-sdk/dist/dashboard/index.js";
import { REPO_CONTENT } from "../../scripts/content.js";
export default defineDashboard({
  uid: "${uid}", folder: "ml",
  build: (ctx) => {
    const d = baseDashboard(ctx, { uid: "${uid}", title: "T ${uid}", description: "d" })
      .variables([datasourceVariable()${opts.variable ? `, labelVariable({ name: "v", label: "V", query: ${JSON.stringify(opts.variable)} })` : ""}]);
    ${opts.links ?? ""}
    return d.withPanel(timeseriesPanel({ title: "LLM calls", unit: "short", description: "calls",
      targets: ${JSON.stringify(opts.exprs ?? ['sum by (model) (rate(llm_calls_total{job=~"fastapi"}[$__rate_interval]))'])}.map((e) => prom(e)) }));
  },
});
`;

describe("the build checks every dashboard query against the metric catalog", () => {
  it("a valid dashboard builds", async () => {
    const r = await runBuild({ content: REPO_CONTENT, write: false, dashboardsDir: definitionsDir({ "ok.ts": dashboard("ok-llm") }), referenceSchemas: false });
    expect(r.stats.queries).toBe(1);
  });

  it("rejects an unknown metric, naming file, dashboard, panel, refId and the closest catalog name", async () => {
    const problems = await buildProblems({
      "typo.ts": dashboard("typo-metric", {
        exprs: ['sum by (model) (rate(llm_calls_total[$__rate_interval]))', 'sum by (model) (rate(llm_call_total{job=~"fastapi"}[$__rate_interval]))'],
      }),
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: "catalog-unknown-metric",
      dashboardUid: "typo-metric",
      panelTitle: "LLM calls",
      refId: "B",
      file: expect.stringContaining("typo.ts"),
    });
    expect(problems[0].message).toContain('metric "llm_call_total" is not in the metric catalog');
    expect(problems[0].message).toContain('did you mean "llm_calls_total"?');
  });

  it("rejects a label the series does not carry, in a matcher and in by (...)", async () => {
    const problems = await buildProblems({
      "labels.ts": dashboard("bad-labels", {
        exprs: [
          'sum by (model) (rate(llm_calls_total{modle="gpt-4o"}[$__rate_interval]))',
          'sum by (reasons) (rate(llm_errors_total[$__rate_interval]))',
        ],
      }),
    });
    expect(problems.map((p) => [p.code, p.refId])).toEqual([
      ["catalog-unknown-label", "A"],
      ["catalog-unknown-label", "B"],
    ]);
    expect(problems[0].message).toMatch(/label "modle" is not a label of llm_calls_total .*did you mean "model"\?/);
    expect(problems[1].message).toMatch(/label "reasons" in sum by \(\.\.\.\).*llm_errors_total.*did you mean "reason"\?/);
  });

  it("rejects a variable query on an unknown label", async () => {
    const problems = await buildProblems({
      "var.ts": dashboard("bad-variable", { variable: 'label_values(llm_tokens_total{job=~"fastapi"}, kind)' }),
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "catalog-unknown-label", dashboardUid: "bad-variable", panelTitle: "variable $v" });
    expect(problems[0].message).toContain('label "kind" is not a label of llm_tokens_total');
  });

  it("rejects a raw counter outside rate()/increase()", async () => {
    const problems = await buildProblems({ "raw.ts": dashboard("raw-counter", { exprs: ["sum(llm_calls_total)"] }) });
    expect(problems).toHaveLength(1);
    expect(problems[0].code).toBe("catalog-counter-without-rate");
    expect(problems[0].message).toContain("llm_calls_total is a counter");
  });

  it("rejects a link to a dashboard uid the build does not have", async () => {
    const problems = await buildProblems({
      "a.ts": dashboard("links-a"),
      "b.ts": dashboard("links-b", {
        links: `for (const [title, uid] of [["A", "links-a"], ["Gone", "no-such-dashboard"]]) d.link(new sdk.DashboardLinkBuilder(title).type(sdk.DashboardLinkType.Link).url(ctx.dashboardPath(uid)));`,
      }),
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "dangling-dashboard-link", dashboardUid: "links-b" });
    expect(problems[0].message).toContain("/d/no-such-dashboard");
  });
});

describe("checkExpressionAgainstCatalog", () => {
  const codes = (expr: string, extra?: Parameters<typeof checkExpressionAgainstCatalog>[2]) =>
    checkExpressionAgainstCatalog(expr, catalog, extra).map((i) => `${i.code}:${i.label ?? i.metric}`);

  it("accepts the seeds' example queries (with the counters rated)", () => {
    for (const expr of [
      'time() - process_start_time_seconds{job="fastapi"}',
      'sum by (method, path) (rate(http_requests_total{job="fastapi"}[1m]))',
      'histogram_quantile(0.95, sum by (le, method, path) (rate(http_request_duration_seconds_bucket{job="fastapi"}[5m])))',
      'sum by (method, path) (rate(http_requests_total{status=~"5..",job="fastapi"}[1m]))',
      "sum by (model) (rate(llm_calls_total[1m]))",
      "histogram_quantile(0.95, sum by (le, model, endpoint) (rate(llm_latency_seconds_bucket[5m])))",
      "sum by (model, type) (rate(llm_tokens_total[5m]))",
      "sum by (reason) (rate(llm_errors_total[5m]))",
      'sum(increase(fastapi_requests_total{app_name="PixErase", path!="/metrics"}[1h])) by (status_code)',
    ]) {
      expect(checkExpressionAgainstCatalog(expr, catalog), expr).toEqual([]);
    }
  });

  it("reports the column of the offending name in the expression as written", () => {
    const expr = 'sum(rate(llm_calls_total{job=~"$job", modle="x"}[$__rate_interval]))';
    const [issue] = checkExpressionAgainstCatalog(expr, catalog);
    expect(issue.column).toBe(expr.indexOf("modle") + 1);
  });

  it("follows labels through aggregations, joins and label_replace", () => {
    expect(codes("sum by (reason) (sum by (model) (rate(llm_errors_total[5m])))")).toEqual(["unknown-label:reason"]);
    expect(codes("sum without (reason) (rate(llm_errors_total[5m])) / on (reason) sum(rate(llm_calls_total[5m]))")).toEqual(["unknown-label:reason", "unknown-label:reason"]);
    expect(codes("sum by (model) (rate(llm_errors_total[5m])) / on (model) group_left (provider) sum by (model, provider) (rate(llm_calls_total[5m]))")).toEqual([]);
    expect(codes("sum by (model) (rate(llm_errors_total[5m])) / on (model) group_left (endpoint) sum by (model) (rate(llm_calls_total[5m]))")).toEqual(["unknown-label:endpoint"]);
    expect(codes('sum by (service) (label_replace(up, "service", "$1", "job", "(.*)"))')).toEqual([]);
    expect(codes('label_replace(up, "service", "$1", "jobname", "(.*)")')).toEqual(["unknown-label:jobname"]);
    expect(codes("histogram_quantile(0.9, sum by (model) (rate(llm_latency_seconds_bucket[5m])))")).toEqual(["unknown-label:le"]);
  });

  it("knows histogram series by suffix, and a histogram's bare name is not a series", () => {
    expect(codes("sum(rate(llm_latency_seconds_sum[5m])) / sum(rate(llm_latency_seconds_count[5m]))")).toEqual([]);
    expect(codes("sum by (le) (rate(llm_latency_seconds_count[5m]))")).toEqual(["unknown-label:le"]);
    expect(codes("rate(llm_latency_seconds[5m])")).toEqual(["unknown-metric:llm_latency_seconds"]);
  });

  it("allows counters where only their increments or presence count", () => {
    expect(codes("count by (job) (llm_calls_total)")).toEqual([]);
    expect(codes("absent(llm_calls_total)")).toEqual([]);
    expect(codes("increase(llm_calls_total[1h])")).toEqual([]);
    expect(codes("llm_calls_total > 0")).toEqual(["counter-without-rate:llm_calls_total"]);
  });

  it("skips names made of Grafana variables and accepts extra names such as recording rules", () => {
    expect(codes('sum by ($group) (rate(${metric}_total{$label="x"}[5m]))')).toEqual([]);
    expect(codes("sum by (job) (job:llm_calls:rate5m)")).toEqual(["unknown-metric:job:llm_calls:rate5m"]);
    expect(codes("sum by (job) (job:llm_calls:rate5m)", ["job:llm_calls:rate5m"])).toEqual([]);
    expect(codes("sum by (model) (job:llm_calls:rate5m)", { "job:llm_calls:rate5m": [] })).toEqual(["unknown-label:model"]);
  });
});

describe("checkVariableQueryAgainstCatalog", () => {
  it("checks the selector and the label of label_values", () => {
    expect(checkVariableQueryAgainstCatalog('label_values(model_inference_total{job=~"$job"}, model_id)', catalog)).toEqual([]);
    expect(checkVariableQueryAgainstCatalog("label_values(job)", catalog)).toEqual([]);
    const [bad] = checkVariableQueryAgainstCatalog('label_values(model_inference_total{job=~"$job"}, model)', catalog);
    expect(bad).toMatchObject({ code: "unknown-label", label: "model" });
    expect(bad.message).toContain('did you mean "model_id"?');
    const q = 'label_values(model_inference_totl{job=~"$job"}, model_id)';
    const [metric] = checkVariableQueryAgainstCatalog(q, catalog);
    expect(metric).toMatchObject({ code: "unknown-metric", column: q.indexOf("model_inference_totl") + 1 });
    expect(checkVariableQueryAgainstCatalog("label_values(modelid)", catalog)[0]?.message).toContain('did you mean "model_id"?');
  });
});
