// Every Prometheus query of every dashboard returns data from a real Prometheus holding the catalog's
// series: variables set the way a viewer first sees the dashboard (job = the configured job, All
// elsewhere), Grafana's interval macros expanded the way Grafana would for the default time range.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../config/index.js";
import { datasources } from "../../datasources/index.js";
import { runBuild } from "../../src/commands/build.js";
import { type BuildResult } from "../../src/pipeline/index.js";
import { dashboardQueries, type DashboardQuery } from "../../src/validate/dashboardQueries.js";
import { rateRatio as alertRatio, ratio } from "../../src/query/build.js";
import { catalogSeries } from "../fixtures/catalogSeries.js";
import { startPrometheus, type TestPrometheus } from "../fixtures/prometheus.js";
import { REPO_CONTENT } from "../../scripts/content.js";

const config = loadConfig("dev");

/** Grafana's macros for the default range (now-1h) at a 15 s scrape interval. */
const MACROS: Record<string, string> = {
  __rate_interval: "1m",
  __interval: "15s",
  __interval_ms: "15000",
  __range: "1h",
  __range_s: "3600",
  __range_ms: "3600000",
  __auto: "1m",
};

type Json = BuildResult["dashboards"][number]["json"];

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Variable name → the text Grafana substitutes for its current value (regex-formatted, as in =~ matchers). */
export function variableValues(json: Json): Record<string, string> {
  const values: Record<string, string> = { ...MACROS };
  for (const v of json.templating?.list ?? []) {
    const current = (v.current ?? {}) as { value?: string | string[] };
    if (v.type === "datasource") {
      values[v.name] = String(current.value ?? "prometheus");
      continue;
    }
    const raw = current.value ?? "";
    const list = Array.isArray(raw) ? raw : [raw];
    if (list.includes("$__all") || list.length === 0 || list[0] === "") values[v.name] = (v as { allValue?: string }).allValue ?? ".*";
    else values[v.name] = list.length === 1 ? escapeRegex(list[0]) : `(${list.map(escapeRegex).join("|")})`;
  }
  return values;
}

export function expand(expr: string, values: Record<string, string>): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)/g, (whole, a?: string, b?: string, c?: string) => {
    const name = a ?? b ?? c!;
    if (!(name in values)) throw new Error(`unknown variable ${whole} in ${expr}`);
    return values[name];
  });
}

type Sample = { metric: Record<string, string>; value: [number, string] };

function describeResult(r: { resultType: string; result: unknown }): string | undefined {
  if (r.resultType === "scalar" || r.resultType === "string") {
    const [, v] = r.result as unknown as [number, string];
    return Number.isFinite(Number(v)) ? undefined : `returned ${v}`;
  }
  const samples = r.result as Sample[];
  if (samples.length === 0) return "returned no series";
  const finite = samples.filter((s) => Number.isFinite(Number(s.value[1])));
  if (finite.length === 0) return `returned only ${samples.map((s) => s.value[1]).join(", ")}`;
  return undefined;
}

let prom: TestPrometheus;
let build: BuildResult;
let queries: DashboardQuery[];

beforeAll(async () => {
  build = await runBuild({ content: REPO_CONTENT, write: false, config });
  const provisioned = new Map(datasources(config).map((d) => [d.uid, d.type]));
  queries = dashboardQueries(build.dashboards, provisioned).filter((q) => q.lang === "promql");
  prom = await startPrometheus({ series: catalogSeries({ config }) });
});

afterAll(async () => {
  await prom?.stop();
});

describe("dashboards against a Prometheus holding the catalog's series", () => {
  it("covers every dashboard", () => {
    const uids = new Set(queries.map((q) => q.dashboard.json.uid));
    for (const d of build.dashboards) expect(uids, `dashboard ${d.json.uid} has no Prometheus query`).toContain(d.json.uid);
    expect(queries.length).toBeGreaterThan(100);
  });

  it("every panel query returns finite data", async () => {
    const failures: string[] = [];
    await Promise.all(
      queries.map(async (q) => {
        const where = `${q.dashboard.json.uid} › "${q.panelTitle}" › ${q.refId}`;
        let expr = "";
        try {
          expr = expand(q.expr, variableValues(q.dashboard.json));
          const problem = describeResult(await prom.query(expr));
          if (problem) failures.push(`${where}: ${problem}\n    ${expr}`);
        } catch (e) {
          failures.push(`${where}: ${(e as Error).message.split("\n")[0]}\n    ${expr || q.expr}`);
        }
      }),
    );
    expect(failures.sort(), `${failures.length} of ${queries.length} queries failed:\n${failures.join("\n")}`).toEqual([]);
  });

  it("every variable query lists values", async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const { json } of build.dashboards) {
      const values = variableValues(json);
      for (const v of json.templating?.list ?? []) {
        if (v.type !== "query") continue;
        const query = typeof v.query === "string" ? v.query : String((v.query as { query?: string }).query ?? "");
        const m = /^label_values\((?:(.*),\s*)?(\w+)\)$/s.exec(query.trim());
        if (!m) {
          failures.push(`${json.uid} $${v.name}: not a label_values() query: ${query}`);
          continue;
        }
        const selector = m[1] ? expand(m[1], values) : '{__name__=~".+"}';
        const expr = `count by (${m[2]}) (${selector})`;
        checked++;
        const { result } = await prom.query(expr);
        const listed = (result as Sample[]).map((s) => s.metric[m[2]]).filter((x) => x !== undefined && x !== "");
        if (listed.length === 0) failures.push(`${json.uid} $${v.name}: ${query} lists nothing\n    ${expr}`);
      }
    }
    expect(checked).toBeGreaterThan(15);
    expect(failures, failures.join("\n")).toEqual([]);
  });

  it("the check tells empty and NaN results apart from data, and guarded ratios give no point instead of NaN", async () => {
    expect(describeResult(await prom.query('sum(rate(llm_calls_total{model="nope"}[1m]))'))).toBe("returned no series");
    expect(describeResult(await prom.query("0 / 0"))).toBe("returned NaN");
    expect(describeResult(await prom.query('sum(rate(llm_calls_total{model="nope"}[1m])) / sum(rate(llm_calls_total{model="nope"}[1m])) or vector(0/0)'))).toMatch(/NaN/);
    const none = 'sum(rate(llm_calls_total{model="nope"}[1m]))';
    expect((await prom.query(ratio(none, none))).result).toEqual([]);
    // No error series at all, but traffic: the share is 0, not missing.
    const noErrors = 'sum(rate(llm_errors_total{reason="nope"}[1m]))';
    const calls = "sum(rate(llm_calls_total[1m]))";
    expect((await prom.query(ratio(noErrors, calls))).result).toEqual([{ metric: {}, value: [prom.time, "0"] }]);
  });

  it("the preselected job of each dashboard is one Prometheus has data for", async () => {
    const { result } = await prom.query("count by (job) (up)");
    const jobs = new Set((result as Sample[]).map((s) => s.metric.job));
    expect([...jobs].sort()).toEqual(Object.keys(config.prometheus.scrapeJobs).sort());
    for (const { json } of build.dashboards) {
      const job = json.templating?.list?.find((v) => v.name === "job");
      const current = (job?.current as { value?: string | string[] } | undefined)?.value;
      for (const value of (Array.isArray(current) ? current : [current]).filter((x): x is string => !!x && x !== "$__all")) {
        expect(jobs, `${json.uid}: $job preselects "${value}"`).toContain(value);
      }
    }
  });
});

// Error ratios on a real Prometheus holding the cases the catalog's series never show: traffic whose
// error counter does not exist yet, traffic that stopped, and a service that is not there at all.
describe("error ratios read 0 without errors and nothing only without the service", () => {
  let idle: TestPrometheus;
  const panelExpr = (uid: string, title: string) => {
    const d = build.dashboards.find((x) => x.json.uid === uid)!;
    const q = dashboardQueries([d], new Map(datasources(config).map((x) => [x.uid, x.type]))).find((x) => x.panelTitle === title && x.lang === "promql");
    if (!q) throw new Error(`no panel "${title}" on ${uid}`);
    return expand(q.expr, variableValues(d.json));
  };
  const values = async (expr: string) => ((await idle.query(expr)).result as Sample[]).map((s) => Number(s.value[1]));

  beforeAll(async () => {
    idle = await startPrometheus({
      minutes: 20,
      series: [
        // FastAPI app: requests, never a 5xx (the instrumentator creates no 5xx series until one happens).
        { name: "http_requests_total", type: "counter", labelSets: [{ job: "fastapi", instance: "app:8000", method: "GET", path: "/api/items", status: "2xx" }], value: (i) => 10 * i },
        // PixErase API: its counters exist but no request came in (zero traffic).
        { name: "fastapi_requests_total", type: "counter", labelSets: [{ job: "pix_erase_api", instance: "pix_erase.api:8080", app_name: "PixErase", method: "GET", path: "/api/v1/images", status_code: "200" }], value: () => 7 },
        // Model service: inferences, no error series.
        { name: "model_inference_total", type: "counter", labelSets: [{ job: "model-service", model_id: "m1", task: "t", framework: "f", status: "success" }], value: (i) => 5 * i },
        // The taskiq worker and the LLM layer are absent altogether.
        { name: "up", type: "gauge", labelSets: [{ job: "fastapi", instance: "app:8000" }], value: () => 1 },
      ],
    });
  });
  afterAll(async () => {
    await idle?.stop();
  });

  it("traffic without a single error series reads 0 (FastAPI overview, Home, model service)", async () => {
    expect(await values(panelExpr("fastapi-overview", "Error ratio (5xx)"))).toEqual([0]);
    expect(await values(panelExpr("home", "FastAPI 5xx ratio"))).toEqual([0]);
    expect(await values(panelExpr("home", "Inference error ratio"))).toEqual([0]);
  });

  it("a service that is there but idle reads 0, not NaN or No data", async () => {
    expect(await values(panelExpr("pixerase-api-overview", "Error ratio (5xx)"))).toEqual([0]);
    expect(await values(panelExpr("home", "PixErase 5xx ratio"))).toEqual([0]);
  });

  it("a service that is absent gives no data (not a reassuring 0)", async () => {
    expect(await values(panelExpr("home", "taskiq failure ratio"))).toEqual([]);
    expect(await values(panelExpr("home", "LLM error ratio"))).toEqual([]);
    expect(await values(panelExpr("home", "Evaluation failure ratio"))).toEqual([]);
  });

  it("the alerts' ratio shares the helper: 0 with traffic and no errors, nothing below the minimum rate", async () => {
    const whole = 'http_requests_total{job="fastapi"}';
    expect(await values(alertRatio({ part: `${whole.slice(0, -1)}, status=~"5.."}`, whole, by: ["job"], minPerMinute: 1 }))).toEqual([0]);
    expect(await values(alertRatio({ part: `${whole.slice(0, -1)}, status=~"5.."}`, whole, by: ["job"], minPerMinute: 1000 }))).toEqual([]);
  });
});
