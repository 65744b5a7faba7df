// What a reviewer checks on each dashboard: where it is filed, its rows, what each panel draws and
// in which unit, its variables and where it links — and the SRE rules every query follows.
import type { Dashboard, Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../config/index.js";
import { datasources } from "../../datasources/index.js";
import { checkQuery } from "../../src/query/parse.js";
import { allPanels, panelsOf } from "../../src/pipeline/dashboards.js";
import { runBuild } from "../../src/commands/build.js";
import { type BuildResult } from "../../src/pipeline/index.js";
import { REPO_CONTENT } from "../../scripts/content.js";

const config = loadConfig("dev");
let build: BuildResult;
beforeAll(async () => {
  build = await runBuild({ content: REPO_CONTENT, write: false, config });
});

type AnyPanel = Omit<Panel, "targets" | "links"> & {
  targets?: { refId?: string; expr?: string; query?: string; legendFormat?: string; datasource?: { uid?: string; type?: string }; instant?: boolean }[];
  links?: { url?: string }[];
};

function board(uid: string): { json: Dashboard; folder: string } {
  const d = build.dashboards.find((x) => x.json.uid === uid);
  if (!d) throw new Error(`no dashboard ${uid}`);
  return { json: d.json, folder: d.definition.folder };
}

/** Row title → [panel title, type, unit] in order, rows included. */
function outline(json: Dashboard): Record<string, [string, string, string][]> {
  const out: Record<string, [string, string, string][]> = {};
  let current = "(top)";
  for (const p of panelsOf(json)) {
    if (p.type === "row") {
      current = p.title ?? "";
      out[current] = [];
      for (const nested of (p as RowPanel).panels ?? []) out[current].push([nested.title ?? "", nested.type, (nested as Panel).fieldConfig?.defaults?.unit ?? ""]);
    } else (out[current] ??= []).push([p.title ?? "", p.type, (p as Panel).fieldConfig?.defaults?.unit ?? ""]);
  }
  return out;
}

function panel(json: Dashboard, title: string): AnyPanel {
  const found = allPanels(json).filter((p) => p.type !== "row" && p.title === title);
  expect(found, `panel "${title}" of ${json.uid}`).toHaveLength(1);
  return found[0] as unknown as AnyPanel;
}

const exprs = (p: AnyPanel) => (p.targets ?? []).map((t) => t.expr ?? t.query ?? "");
const variables = (json: Dashboard) =>
  Object.fromEntries((json.templating?.list ?? []).map((v) => [v.name, { type: v.type, query: v.query, current: (v.current as { value?: unknown })?.value }]));

const MINE = ["home", "model-service-inference", "llm-overview", "evaluation-analytics", "containers-hosts", "workers", "telemetry-pipeline"];

describe("every dashboard of the project", () => {
  it("is filed in its folder with a description and the project's tags", () => {
    const folders: Record<string, string> = {
      home: "overview", "model-service-inference": "ml", "llm-overview": "ml", "evaluation-analytics": "ml",
      "containers-hosts": "infrastructure", "telemetry-pipeline": "infrastructure", workers: "services",
    };
    for (const uid of MINE) {
      const { json, folder } = board(uid);
      expect(folder, uid).toBe(folders[uid]);
      expect(json.description?.length, uid).toBeGreaterThan(40);
      expect(json.tags, uid).toContain("as-code");
      expect(json.editable, uid).toBe(false);
    }
  });

  it("starts with $datasource, $job and $instance (instance chained on job)", () => {
    for (const uid of MINE) {
      const vars = (board(uid).json.templating?.list ?? []).map((v) => v.name);
      expect(vars.slice(0, 3), uid).toEqual(["datasource", "job", "instance"]);
      const v = variables(board(uid).json);
      expect(v.datasource.type).toBe("datasource");
      expect(String(v.job.query), uid).toMatch(/^label_values\(.*job\)$/);
      expect(String(v.instance.query), uid).toContain('job=~"$job"');
    }
  });

  it("links to every other dashboard, Home first, and every /d/ link resolves", () => {
    // The menu, in the order the definitions' nav entries give: overview, services, ML & LLM, infrastructure.
    const MENU = [
      ["home", "Home"],
      ["fastapi-overview", "FastAPI"],
      ["pixerase-api-overview", "PixErase API"],
      ["workers", "Workers"],
      ["model-service-inference", "Model service"],
      ["llm-overview", "LLM"],
      ["evaluation-analytics", "Evaluation"],
      ["containers-hosts", "Containers & hosts"],
      ["telemetry-pipeline", "Telemetry pipeline"],
    ];
    const uids = new Set(build.dashboards.map((d) => d.json.uid));
    expect([...uids].sort()).toEqual(MENU.map(([uid]) => uid).sort());
    for (const uid of MINE) {
      const links = (board(uid).json.links ?? []).filter((l) => l.type === "link");
      const expected = MENU.filter(([u]) => u !== uid);
      expect(links.map((l) => l.url), uid).toEqual(expected.map(([u]) => `/d/${u}`));
      expect(links.map((l) => l.title), uid).toEqual(expected.map(([, title]) => title));
      const urls = links.map((l) => l.url);
      expect(urls[0], uid).toBe(uid === "home" ? "/d/fastapi-overview" : "/d/home");
    }
  });

  it("follows the query rules: rates over $__rate_interval (or the range), quantiles by le, ratios guarded, no container ids", () => {
    for (const uid of MINE) {
      const { json } = board(uid);
      for (const p of allPanels(json) as unknown as AnyPanel[]) {
        for (const t of p.targets ?? []) {
          const e = t.expr;
          if (!e) continue;
          const at = `${uid} › ${p.title} › ${t.refId}: ${e}`;
          for (const [, fn, range] of e.matchAll(/\b(rate|irate|increase|changes)\([^[]*\[([^\]]+)\]/g)) {
            expect(range, at).toBe(fn === "rate" || fn === "irate" ? "$__rate_interval" : "$__range");
          }
          for (const m of e.matchAll(/histogram_quantile\([\d.]+, sum by \(([^)]*)\)/g)) expect(m[1].split(", ")[0], at).toBe("le");
          expect((e.match(/histogram_quantile/g) ?? []).length, at).toBe((e.match(/histogram_quantile\([\d.]+, sum by \(le/g) ?? []).length);
          // A division of rates never divides by a zero rate (that would draw NaN or +Inf).
          if (/rate\(/.test(e) && /\) \/ \(/.test(e) && !/\/ 1e6/.test(e)) expect(e, at).toMatch(/ > 0\)/);
          expect(t.legendFormat ?? "", at).not.toMatch(/\{\{\s*id\s*\}\}/);
          expect(e, at).not.toMatch(/by \([^)]*\bid\b/);
        }
      }
    }
  });
});

describe("Home", () => {
  it("has one row per service with up / traffic / errors / latency stats, each opening the service's dashboard", () => {
    const { json } = board("home");
    const rows = outline(json);
    const serviceRows: Record<string, string> = {
      "FastAPI backend": "fastapi-overview",
      "PixErase API": "pixerase-api-overview",
      "PixErase worker (taskiq)": "workers",
      "Model service": "model-service-inference",
      "LLM layer": "llm-overview",
      "Evaluation worker": "evaluation-analytics",
      "Telemetry pipeline": "telemetry-pipeline",
      "Containers & hosts": "containers-hosts",
    };
    expect(Object.keys(rows)).toEqual(["What is firing", ...Object.keys(serviceRows), "Scrape health"]);
    for (const [row, target] of Object.entries(serviceRows)) {
      expect(rows[row].map(([, type]) => type), row).toEqual(["stat", "stat", "stat", "stat"]);
      // The model service is scraped through the collector, whose up says nothing about it.
      expect(rows[row][0], row).toEqual(row === "Model service" ? ["Model service: last inference seen", "stat", "s"] : [`${row} up`, "stat", "percentunit"]);
      for (const [title] of rows[row]) {
        const p = panel(json, title) as AnyPanel & { fieldConfig: { defaults: { links?: { url?: string }[] } } };
        expect(p.links?.map((l) => l.url), title).toEqual([`/d/${target}`]);
        expect(p.fieldConfig.defaults.links?.map((l) => l.url), title).toEqual([`/d/${target}`]);
      }
    }
    expect(rows["FastAPI backend"].map(([, , unit]) => unit)).toEqual(["percentunit", "reqps", "percentunit", "s"]);
    // Inferences are not requests: the unit says what is counted.
    expect(rows["Model service"].map(([, , unit]) => unit)).toEqual(["s", "suffix: inferences/s", "percentunit", "ms"]);
  });

  it("shows what is firing first: Grafana's alert list reading the rules of the configured alerting mode", () => {
    const { json } = board("home");
    const list = (json.panels ?? []).find((p) => p.type === "alertlist") as AnyPanel & { options: Record<string, unknown> };
    expect(list.title).toBe("Firing and pending alerts");
    expect(list.gridPos).toMatchObject({ x: 0, w: 24 });
    expect(list.gridPos!.y).toBeLessThan(3);
    expect(list.options).toMatchObject({
      viewMode: "list",
      sortOrder: 3,
      showInstances: true,
      datasource: "Prometheus",
      stateFilter: { firing: true, pending: true, normal: false },
    });
    // The name is the provisioned Prometheus datasource's: Grafana selects a rule source by name.
    expect(datasources(loadConfig("dev")).map((d) => d.name)).toContain(list.options.datasource);
  });

  it("keeps each row on its service's job, under the $job filter", () => {
    const { json } = board("home");
    expect(exprs(panel(json, "FastAPI backend up"))[0]).toBe('avg(up{job=~"$job", job="fastapi", instance=~"$instance"})');
    expect(exprs(panel(json, "Containers & hosts up"))[0]).toContain('job=~"cadvisor|node-exporter"');
    expect(exprs(panel(json, "PixErase requests/s"))[0]).toContain('path!="/metrics"');
    expect(variables(json).job.current).toBe("$__all");
  });
});

describe("Model service inference", () => {
  it("has the throughput, error, latency, models and traces rows with the right units", () => {
    const { json } = board("model-service-inference");
    expect(outline(json)).toEqual({
      Overview: [["Inferences/s", "stat", "suffix: inferences/s"], ["Error ratio", "stat", "percentunit"], ["p95 latency", "stat", "ms"], ["Last inference seen", "stat", "s"], ["Active models", "stat", "short"]],
      Throughput: [["Inferences/s by model and task", "timeseries", "suffix: inferences/s"], ["Calls by framework", "piechart", "short"]],
      Errors: [["Error share by model", "timeseries", "percentunit"], ["Errors/s by model and task", "timeseries", "suffix: failed inferences/s"]],
      Latency: [["Latency p50 / p95 / p99 by model", "timeseries", "ms"]],
      Models: [["Models", "table", "short"]],
      Traces: [["Slow and failed spans", "table", "ms"]],
    });
    expect(Object.keys(variables(json))).toEqual(["datasource", "job", "instance", "model_id", "task", "framework"]);
    expect(variables(json).job.current).toBe("model-service");
  });

  it("splits by model_id and task, draws p50/p95/p99 in ms, and tabulates rate, error % and p95 per model", () => {
    const { json } = board("model-service-inference");
    expect(exprs(panel(json, "Inferences/s by model and task"))[0]).toMatch(/^sum by \(model_id, task\) \(rate\(model_inference_total\{/);
    const latency = exprs(panel(json, "Latency p50 / p95 / p99 by model"));
    expect(latency.map((e) => e.slice(0, 24))).toEqual(["histogram_quantile(0.5, ", "histogram_quantile(0.95,", "histogram_quantile(0.99,"]);
    for (const e of latency) expect(e).toContain("sum by (le, model_id) (rate(model_inference_latency_ms_bucket{");
    expect(exprs(panel(json, "Error share by model"))[0]).toContain('status="error"');
    const table = panel(json, "Models") as AnyPanel & { fieldConfig: { overrides: { matcher: { options: string }; properties: { id: string; value: unknown }[] }[] } };
    expect(table.targets?.every((t) => t.instant)).toBe(true);
    const columns = table.fieldConfig.overrides.map((o) => [o.matcher.options, o.properties.find((p) => p.id === "displayName")?.value, o.properties.find((p) => p.id === "unit")?.value]);
    expect(columns).toEqual([["Value #A", "Inferences/s", "suffix: inferences/s"], ["Value #B", "Error %", "percentunit"], ["Value #C", "p95", "ms"]]);
    const traces = panel(json, "Slow and failed spans");
    expect(traces.datasource).toEqual({ type: "tempo", uid: "tempo" });
    expect(exprs(traces)[0]).toBe(`{resource.service.name="model-service" && (status=error || duration>${config.alerting.thresholds.httpLatencyP95Seconds}s)}`);
  });
});

describe("LLM", () => {
  it("shows calls per minute by model, p95 by model and endpoint, tokens by type, errors by reason, error ratio and cost", () => {
    const { json } = board("llm-overview");
    expect(Object.keys(outline(json))).toEqual(["Overview", "Calls", "Latency", "Tokens", "Errors", "Cost"]);
    expect(exprs(panel(json, "Calls/min by model"))[0]).toMatch(/^sum by \(model\) \(rate\(llm_calls_total\{.*\}\[\$__rate_interval\]\)\) \* 60$/);
    expect(panel(json, "Calls/min by model").fieldConfig?.defaults?.unit).toBe("cpm");
    expect(exprs(panel(json, "p95 latency by model and endpoint"))[0]).toContain("histogram_quantile(0.95, sum by (le, model, endpoint) (rate(llm_latency_seconds_bucket{");
    expect(exprs(panel(json, "Prompt vs completion tokens/s by model"))[0]).toMatch(/^sum by \(model, type\) \(rate\(llm_tokens_total/);
    expect(exprs(panel(json, "Errors/s by reason"))[0]).toMatch(/^sum by \(reason\) \(rate\(llm_errors_total/);
    // Zero-safe: no error series counts as 0 errors, no traffic reads 0, and nothing only without the calls series.
    expect(exprs(panel(json, "Error ratio"))[0]).toMatch(/^\(sum \(rate\(llm_errors_total[^\n]* or 0 \* sum \(rate\(llm_calls_total[^\n]*\)\n\/\nsum \(rate\(llm_calls_total[^\n]*\nand\n[^\n]* > 0\nor\n0 \* sum \(rate\(llm_calls_total[^\n]*$/);
    for (const title of ["Token cost/hour", "Token cost per hour by model", "Token cost in range"]) {
      expect(panel(json, title).fieldConfig?.defaults?.unit, title).toBe("currencyUSD");
    }
    expect(Object.keys(variables(json))).toEqual(["datasource", "job", "instance", "model", "provider"]);
  });

  it("prices each model's prompt and completion tokens from the config", async () => {
    const cost = exprs(panel(board("llm-overview").json, "Token cost per hour by model"))[0];
    for (const [model, p] of Object.entries(config.costs.llmModels)) {
      expect(cost).toContain(`model="${model}", type="prompt"}[$__rate_interval])) * ${p.promptPerMillion}`);
      expect(cost).toContain(`model="${model}", type="completion"}[$__rate_interval])) * ${p.completionPerMillion}`);
    }
    const cheaper = loadConfig("dev", (c) => ({ ...c, costs: { ...c.costs!, llmModels: { "my-model.v2": { promptPerMillion: 0.25, completionPerMillion: 1.25 } } } }));
    const rebuilt = await runBuild({ content: REPO_CONTENT, write: false, config: cheaper });
    const json = rebuilt.dashboards.find((d) => d.json.uid === "llm-overview")!.json;
    const e = exprs(panel(json, "Token cost per hour by model"))[0];
    expect(e).toContain('model="my-model.v2", type="prompt"}[$__rate_interval])) * 0.25');
    expect(e).not.toContain("gpt-4o");
    expect(exprs(panel(json, "Unpriced tokens/s"))[0]).toContain('model!~"my-model\\\\.v2"');
  });
});

describe("Evaluation analytics", () => {
  it("covers throughput, outcomes, success rate both ways, duration percentiles, flagged cases, tokens and cost", () => {
    const { json } = board("evaluation-analytics");
    expect(Object.keys(outline(json))).toEqual(["Overview", "API gateway", "Outcomes", "Processing time", "Flagged cases", "Tokens and cost", "Traces"]);
    const success = exprs(panel(json, "Success rate: counters vs worker gauge"));
    expect(success[0]).toMatch(/evaluations_success_total[^\n]*\n\/\nsum\(rate\(evaluations_total[^\n]*\nand\n[^\n]* > 0$/);
    expect(success[1]).toBe('avg(evaluation_success_rate{job=~"$job", instance=~"$instance"})');
    expect(exprs(panel(json, "Duration p50 / p95 / p99")).map((e) => /histogram_quantile\(([\d.]+), sum by \(le\) \(rate\(evaluation_duration_seconds_bucket/.exec(e)?.[1])).toEqual(["0.5", "0.95", "0.99"]);
    expect(exprs(panel(json, "Tokens/s: input, output, total")).map((e) => /rate\((\w+)/.exec(e)?.[1])).toEqual(["tokens_input_total", "tokens_output_total", "tokens_total"]);
    const { inputPerMillion, outputPerMillion } = config.costs.evaluationTokens;
    expect(exprs(panel(json, "Token cost per hour"))[0]).toBe(
      `(sum(rate(tokens_input_total{job=~"$job", instance=~"$instance"}[$__rate_interval])) * ${inputPerMillion} + sum(rate(tokens_output_total{job=~"$job", instance=~"$instance"}[$__rate_interval])) * ${outputPerMillion}) / 1e6 * 3600`,
    );
    expect(panel(json, "Token cost in range").fieldConfig?.defaults?.unit).toBe("currencyUSD");
    expect(variables(json).job.current).toEqual(["worker", "api-gateway"]);
  });

  it("has a RED row for the API gateway: requests, 5xx share, status split, the slowest routes' p95", () => {
    const { json } = board("evaluation-analytics");
    expect(outline(json)["API gateway"]).toEqual([
      ["Gateway requests/s", "stat", "reqps"],
      ["Gateway 5xx ratio", "stat", "percentunit"],
      ["Gateway requests/s by status", "timeseries", "reqps"],
      ["Gateway p95 latency, slowest routes", "timeseries", "s"],
    ]);
    for (const title of ["Gateway requests/s", "Gateway 5xx ratio", "Gateway requests/s by status", "Gateway p95 latency, slowest routes"]) {
      for (const e of exprs(panel(json, title))) expect(e, title).toContain('job=~"$job", job="api-gateway", instance=~"$instance"');
    }
    expect(exprs(panel(json, "Gateway p95 latency, slowest routes"))[0]).toMatch(/^topk\(5, histogram_quantile\(0\.95, sum by \(le, path\)/);
  });
});

describe("every service dashboard", () => {
  const expectedJobs: Record<string, string[]> = {
    "fastapi-overview": ["fastapi"],
    "pixerase-api-overview": ["pix_erase_api"],
    "model-service-inference": ["model-service"],
    "llm-overview": ["fastapi"],
    "evaluation-analytics": ["worker", "api-gateway"],
    workers: ["pix_erase_worker", "worker"],
    "containers-hosts": ["cadvisor", "node-exporter"],
    "telemetry-pipeline": ["otel-collector"],
  };

  it("annotates the alerts firing on its own jobs, from Prometheus' ALERTS series", () => {
    for (const [uid, jobs] of Object.entries(expectedJobs)) {
      const list = (board(uid).json.annotations?.list ?? []) as { name?: string; expr?: string; enable?: boolean; datasource?: { type?: string } }[];
      const firing = list.filter((a) => a.name === "Firing alerts");
      expect(firing.length, uid).toBe(1);
      expect(firing[0].enable, uid).toBe(true);
      expect(firing[0].datasource?.type, uid).toBe("prometheus");
      const m = /^ALERTS\{alertstate="firing", job(=~?)"([^"]+)"\}$/.exec(firing[0].expr ?? "");
      expect(m, `${uid}: ${firing[0].expr}`).not.toBeNull();
      expect(m![2].split("|").map((j) => j.replace(/\\/g, "")).sort(), uid).toEqual([...jobs].sort());
      expect(checkQuery("promql", firing[0].expr!), uid).toEqual([]);
    }
    expect(board("home").json.annotations?.list?.some((a) => (a as { name?: string }).name === "Firing alerts") ?? false).toBe(false);
  });

  it("shows time series legends as tables, busiest series first", () => {
    for (const uid of Object.keys(expectedJobs)) {
      for (const p of allPanels(board(uid).json).filter((x) => x.type === "timeseries")) {
        const legend = (p as { options?: { legend?: Record<string, unknown> } }).options?.legend;
        expect(legend, `${uid} › ${p.title}`).toMatchObject({ showLegend: true, displayMode: "table", sortBy: "Mean", sortDesc: true });
      }
    }
  });

  it("says what a rate counts: no requests/s unit on evaluations, inferences, tasks or calls", () => {
    for (const uid of Object.keys(expectedJobs)) {
      for (const p of allPanels(board(uid).json)) {
        const unit = (p as { fieldConfig?: { defaults?: { unit?: string } } }).fieldConfig?.defaults?.unit;
        if (/evaluation|inference|task|LLM call|calls/i.test(p.title ?? "") && /\/s/.test(p.title ?? "")) expect(unit, `${uid} › ${p.title}`).not.toBe("reqps");
      }
    }
  });
});

describe("Containers & hosts", () => {
  it("has per-container CPU, memory vs limit, network, filesystem and restarts, and per-host CPU, memory, disk, network, load, uptime", () => {
    const { json } = board("containers-hosts");
    const rows = outline(json);
    expect(Object.keys(rows)).toEqual(["Containers", "Hosts"]);
    expect(rows.Containers.map(([, , u]) => u)).toEqual(["short", "short", "percentunit", "bytes", "percentunit", "Bps", "bytes", "short", "s"]);
    expect(rows.Hosts.map(([t]) => t)).toEqual(["Host uptime", "Host memory", "Host CPU busy", "Host CPU by mode", "Host memory used", "Disk used", "Host network I/O", "Load"]);
    expect(exprs(panel(json, "Memory: working set vs limit"))).toEqual([
      expect.stringContaining("container_memory_working_set_bytes"),
      expect.stringMatching(/container_spec_memory_limit_bytes.* > 0$/),
    ]);
    expect(exprs(panel(json, "Restarts by container"))[0]).toContain("changes(container_start_time_seconds{");
    // Containers by name: never by id (one series per restart) and never the unnamed cgroups.
    for (const p of allPanels(json) as unknown as AnyPanel[]) {
      for (const e of exprs(p).filter((x) => x.includes("container_"))) {
        expect(e, p.title).toContain('name!=""');
        if (/sum by|max by/.test(e)) expect(e, p.title).toMatch(/by \(name\)|count by \(name\)|^count|^sum\(/);
      }
    }
    expect(exprs(panel(json, "Host network I/O"))[0]).toContain('device!="lo"');
    expect(exprs(panel(json, "Disk used"))[0]).toContain('fstype!~"tmpfs|overlay');
    expect(variables(json).job.current).toEqual(["cadvisor", "node-exporter"]);
    expect(Object.keys(variables(json))).toEqual(["datasource", "job", "instance", "container"]);
  });
});

describe("Workers", () => {
  it("shows taskiq tasks by name and status with duration percentiles, and the evaluation worker's throughput", () => {
    const { json } = board("workers");
    expect(Object.keys(outline(json))).toEqual(["taskiq tasks", "Evaluation worker"]);
    expect(exprs(panel(json, "Tasks/s by name and status"))[0]).toMatch(/^sum by \(task_name, status\) \(rate\(taskiq_tasks_total/);
    expect(exprs(panel(json, "Task duration p50 / p95 / p99 by task"))).toHaveLength(3);
    for (const e of exprs(panel(json, "Task duration p50 / p95 / p99 by task"))) expect(e).toContain("sum by (le, task_name) (rate(taskiq_tasks_duration_seconds_bucket{");
    expect(exprs(panel(json, "Evaluation throughput")).map((e) => /rate\((\w+)/.exec(e)?.[1])).toEqual(["evaluations_success_total", "evaluations_failed_total"]);
    expect(panel(json, "Evaluations/s").links?.map((l) => l.url)).toEqual(["/d/evaluation-analytics"]);
    expect(variables(json).job.current).toEqual(["pix_erase_worker", "worker"]);
  });
});

describe("Telemetry pipeline", () => {
  it("shows spans and metric points through the collector, its queue and memory, and scrape health of every target", () => {
    const { json } = board("telemetry-pipeline");
    expect(Object.keys(outline(json))).toEqual(["Spans", "Metric points, queue and memory", "Scrape health"]);
    const metricsUsed = new Set(allPanels(json).flatMap((p) => exprs(p as unknown as AnyPanel)).flatMap((e) => [...e.matchAll(/\b(otelcol_\w+|up)\{/g)].map((m) => m[1])));
    expect([...metricsUsed].sort()).toEqual([
      "otelcol_exporter_queue_size", "otelcol_exporter_send_failed_spans_total", "otelcol_exporter_sent_metric_points_total", "otelcol_exporter_sent_spans_total",
      "otelcol_process_memory_rss", "otelcol_receiver_accepted_metric_points_total", "otelcol_receiver_accepted_spans_total", "otelcol_receiver_refused_spans_total", "up",
    ]);
    expect(exprs(panel(json, "Targets up by job"))[0]).toBe('avg by (job) (up{job=~"$job", instance=~"$instance"})');
    expect(variables(json).job.current).toBe("$__all");
    expect(panel(json, "Collector memory (RSS)").fieldConfig?.defaults?.unit).toBe("bytes");
  });
});
