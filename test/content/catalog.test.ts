import { describe, expect, it } from "vitest";
import { CATALOG, SCRAPED_JOBS, labelsOf, lookupSeries, metricsOfJob, seriesNames } from "../../catalog/index.js";
import { loadConfig } from "../../config/index.js";

const config = loadConfig("dev");
const scrapeJobs = Object.keys(config.prometheus.scrapeJobs).sort();

describe("metric catalog", () => {
  it("names each metric once, the way Prometheus stores it", () => {
    const names = CATALOG.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const m of CATALOG) {
      expect(m.name, m.name).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
      if (m.type === "counter") expect(m.name, `counter ${m.name}`).toMatch(/_total$/);
      if (m.type === "histogram") expect(m.name, `histogram ${m.name}`).not.toMatch(/_(bucket|sum|count|total)$/);
      if (m.type === "gauge") expect(m.name, `gauge ${m.name}`).not.toMatch(/_total$/);
    }
    // Series names never collide across metrics (e.g. a histogram's _count with a counter).
    const series = seriesNames();
    expect(new Set(series).size).toBe(series.length);
  });

  it("gives every metric a unit, help text, a seed and jobs that Prometheus scrapes", () => {
    for (const m of CATALOG) {
      expect(m.unit, m.name).not.toBe("");
      expect(m.help.length, m.name).toBeGreaterThan(10);
      expect(["model-service", "fastapi-llm", "pixerase", "evaluation", "all"], m.name).toContain(m.stack);
      expect(m.jobs.length, m.name).toBeGreaterThan(0);
      for (const job of m.jobs) expect(scrapeJobs, `${m.name} job ${job}`).toContain(job);
    }
  });

  it("keeps labels apart from job/instance/le, and known values only for declared labels", () => {
    for (const m of CATALOG) {
      expect(m.labels.filter((l) => ["job", "instance", "le", "__name__"].includes(l)), m.name).toEqual([]);
      expect(new Set(m.labels).size, m.name).toBe(m.labels.length);
      for (const [label, values] of Object.entries(m.labelValues ?? {})) {
        expect(m.labels, `${m.name}.labelValues.${label}`).toContain(label);
        expect(values.length, `${m.name}.labelValues.${label}`).toBeGreaterThan(0);
      }
      if (m.buckets) {
        expect(m.type, m.name).toBe("histogram");
        expect([...m.buckets].sort((a, b) => a - b), m.name).toEqual(m.buckets);
      }
    }
  });

  it("has `up` for every scrape job of the config, and every configured service job has metrics", () => {
    expect([...SCRAPED_JOBS].sort()).toEqual(scrapeJobs);
    expect(lookupSeries("up")?.metric.jobs.sort()).toEqual(scrapeJobs);
    for (const [key, service] of Object.entries(config.services)) {
      expect(metricsOfJob(service.job).filter((m) => m.name !== "up").length, `service ${key}`).toBeGreaterThan(0);
    }
  });

  it("carries the seeds' metric names and label sets", () => {
    const expected: Record<string, string[]> = {
      http_requests_total: ["method", "path", "status"],
      http_request_duration_seconds_bucket: ["method", "path", "le"],
      fastapi_requests_total: ["app_name", "method", "path", "status_code"],
      fastapi_exceptions_total: ["app_name", "method", "path", "exception_type"],
      taskiq_tasks_total: ["task_name", "status"],
      model_inference_total: ["model_id", "task", "framework", "status"],
      model_inference_latency_ms_bucket: ["model_id", "task", "framework", "status", "le"],
      llm_tokens_total: ["model", "provider", "type"],
      llm_errors_total: ["model", "provider", "reason"],
      evaluation_duration_seconds_bucket: ["le"],
      container_network_receive_bytes_total: ["name", "image", "id", "interface"],
      node_filesystem_avail_bytes: ["device", "fstype", "mountpoint"],
      otelcol_exporter_queue_size: ["exporter"],
    };
    for (const [series, labels] of Object.entries(expected)) {
      expect(labelsOf(series)?.sort(), series).toEqual(["job", "instance", ...labels].sort());
    }
    expect(lookupSeries("model_inference_total")?.metric.labelValues?.status).toEqual(["success", "error"]);
    expect(lookupSeries("llm_tokens_total")?.metric.labelValues?.type).toEqual(["prompt", "completion"]);
    expect(lookupSeries("model_inference_latency_ms_bucket")?.metric.unit).toBe("ms");
    expect(lookupSeries("process_cpu_seconds_total")?.metric.jobs).toEqual(["fastapi", "pix_erase_api"]);
  });
});

describe("lookupSeries / labelsOf", () => {
  it("resolves histogram series to their base metric and suffix", () => {
    expect(lookupSeries("llm_latency_seconds_bucket")).toMatchObject({ metric: { name: "llm_latency_seconds" }, suffix: "_bucket" });
    expect(lookupSeries("llm_latency_seconds_sum")?.suffix).toBe("_sum");
    expect(lookupSeries("llm_latency_seconds_count")?.suffix).toBe("_count");
    expect(labelsOf("llm_latency_seconds_count")).not.toContain("le");
    expect(labelsOf("llm_latency_seconds_bucket")).toContain("le");
  });

  it("resolves counters and gauges by their full name only", () => {
    expect(lookupSeries("up")).toMatchObject({ metric: { name: "up" }, suffix: "" });
    expect(lookupSeries("tokens_total")?.metric.type).toBe("counter");
    expect(labelsOf("up")).toEqual(["job", "instance"]);
  });

  it("knows nothing else: a histogram's bare base name, typos, counters without _total", () => {
    expect(lookupSeries("llm_latency_seconds")).toBeUndefined();
    expect(lookupSeries("llm_calls")).toBeUndefined();
    expect(lookupSeries("http_requests_total_bucket")).toBeUndefined();
    expect(lookupSeries("model_inference_latency_ms_milliseconds_bucket")).toBeUndefined();
    expect(labelsOf("nope")).toBeUndefined();
  });
});
