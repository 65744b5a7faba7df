import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BUCKETS, toOpenMetrics, type SeriesSpec } from "./fixtures/openmetrics.js";
import { startPrometheus, type TestPrometheus } from "./fixtures/prometheus.js";

type VectorSample = { metric: Record<string, string>; value: [number, string] };
type MatrixSeries = { metric: Record<string, string>; values: [number, string][] };

const gaugeValue = (i: number, k: number) => 100 + 10 * k + (i % 13) * 0.5;

const SERIES: SeriesSpec[] = [
  {
    name: "http_requests_total",
    type: "counter",
    labelSets: [
      { job: "api", instance: "api-0:8080", status: "200" },
      { job: "api", instance: "api-0:8080", status: "500" },
      { job: "api", instance: "api-1:8080", status: "200" },
    ],
  },
  { name: "jobs_processed", type: "counter", labelSets: [{ job: "worker", instance: "worker-0:9100" }] },
  {
    name: "queue_depth",
    type: "gauge",
    labelSets: [
      { job: "worker", instance: "worker-0:9100" },
      { job: "worker", instance: "worker-1:9100" },
    ],
    value: gaugeValue,
  },
  { name: "process_resident_memory_bytes", type: "gauge", labelSets: [{ job: "api", instance: "api-0:8080" }] },
  {
    name: "http_request_duration_seconds",
    type: "histogram",
    labelSets: [
      { job: "api", instance: "api-0:8080" },
      { job: "api", instance: "api-1:8080" },
    ],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5],
  },
];

const OPTS = { start: 1_700_000_000, step: 15, samples: 40 };

/** Parse generated OpenMetrics into sample lines: name, labels, value, timestamp. */
function parseSamples(text: string) {
  return text
    .split("\n")
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+) (\S+)$/.exec(l);
      if (!m) throw new Error(`unparseable line: ${l}`);
      return { name: m[1], labels: m[2] ?? "", value: Number(m[3]), ts: Number(m[4]) };
    });
}

function groupBySeries(samples: ReturnType<typeof parseSamples>) {
  const bySeries = new Map<string, { value: number; ts: number }[]>();
  for (const s of samples) {
    const key = s.name + s.labels;
    if (!bySeries.has(key)) bySeries.set(key, []);
    bySeries.get(key)!.push(s);
  }
  return bySeries;
}

function isAlive(pid: number): boolean {
  try {
    // A zombie (exited, not yet reaped) is as good as dead.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("toOpenMetrics", () => {
  it("is deterministic: the same input gives the same text, a different label set different values", () => {
    const a = toOpenMetrics(SERIES, OPTS);
    expect(toOpenMetrics(SERIES, OPTS)).toBe(a);
    const renamed = SERIES.map((s) =>
      s.name === "jobs_processed" ? { ...s, labelSets: [{ job: "worker", instance: "worker-9:9100" }] } : s,
    );
    const b = toOpenMetrics(renamed, OPTS);
    const jobs = (t: string) =>
      parseSamples(t)
        .filter((s) => s.name === "jobs_processed_total")
        .map((s) => s.value);
    expect(jobs(b)).not.toEqual(jobs(a));
  });

  it("writes one TYPE line per family, never interleaves families, uses counter _total samples and ends with # EOF", () => {
    const text = toOpenMetrics(SERIES, OPTS);
    const lines = text.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("# EOF");
    expect(lines.filter((l) => l.startsWith("# TYPE"))).toEqual([
      "# TYPE http_requests counter",
      "# TYPE jobs_processed counter",
      "# TYPE queue_depth gauge",
      "# TYPE process_resident_memory_bytes gauge",
      "# TYPE http_request_duration_seconds histogram",
    ]);
    // Families appear as contiguous blocks in the order of the specs.
    const familyOf = (name: string) => name.replace(/_(total|bucket|sum|count)$/, "");
    const order: string[] = [];
    for (const s of parseSamples(text)) if (order.at(-1) !== familyOf(s.name)) order.push(familyOf(s.name));
    expect(order).toEqual([
      "http_requests",
      "jobs_processed",
      "queue_depth",
      "process_resident_memory_bytes",
      "http_request_duration_seconds",
    ]);
    const names = new Set(parseSamples(text).map((s) => s.name));
    expect([...names]).toEqual([
      "http_requests_total",
      "jobs_processed_total",
      "queue_depth",
      "process_resident_memory_bytes",
      "http_request_duration_seconds_bucket",
      "http_request_duration_seconds_sum",
      "http_request_duration_seconds_count",
    ]);
    expect(text).toContain('http_request_duration_seconds_bucket{job="api",instance="api-0:8080",le="+Inf"}');
  });

  it("gives every series ascending timestamps in seconds across the requested window", () => {
    const bySeries = groupBySeries(parseSamples(toOpenMetrics(SERIES, OPTS)));
    // 3 + 1 + 2 + 1 counter/gauge series, 2 histograms x (7 buckets + sum + count)
    expect(bySeries.size).toBe(3 + 1 + 2 + 1 + 2 * 9);
    for (const points of bySeries.values()) {
      expect(points.map((p) => p.ts)).toEqual(Array.from({ length: OPTS.samples }, (_, i) => OPTS.start + i * OPTS.step));
    }
  });

  it("keeps counters growing every step, error series included but slower", () => {
    const bySeries = groupBySeries(parseSamples(toOpenMetrics(SERIES, OPTS)));
    const growth = (key: string) => {
      const v = bySeries.get(key)!.map((p) => p.value);
      for (let i = 1; i < v.length; i++) expect(v[i]).toBeGreaterThan(v[i - 1]);
      return v.at(-1)! - v[0];
    };
    const ok = growth('http_requests_total{job="api",instance="api-0:8080",status="200"}');
    const errors = growth('http_requests_total{job="api",instance="api-0:8080",status="500"}');
    expect(errors).toBeGreaterThan(0);
    expect(errors).toBeLessThan(ok / 5);
    growth('jobs_processed_total{job="worker",instance="worker-0:9100"}');
  });

  it("keeps histogram buckets cumulative, +Inf equal to _count, _sum and _count growing", () => {
    const bySeries = groupBySeries(parseSamples(toOpenMetrics(SERIES, OPTS)));
    const base = 'job="api",instance="api-1:8080"';
    const les = ["0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"];
    const buckets = les.map((le) => bySeries.get(`http_request_duration_seconds_bucket{${base},le="${le}"}`)!.map((p) => p.value));
    const count = bySeries.get(`http_request_duration_seconds_count{${base}}`)!.map((p) => p.value);
    const sum = bySeries.get(`http_request_duration_seconds_sum{${base}}`)!.map((p) => p.value);
    for (let i = 0; i < OPTS.samples; i++) {
      for (let b = 1; b < les.length; b++) expect(buckets[b][i]).toBeGreaterThanOrEqual(buckets[b - 1][i]);
      expect(buckets.at(-1)![i]).toBe(count[i]);
      if (i > 0) {
        expect(count[i]).toBeGreaterThan(count[i - 1]);
        expect(sum[i]).toBeGreaterThan(sum[i - 1]);
        for (const series of buckets) expect(series[i]).toBeGreaterThanOrEqual(series[i - 1]);
      }
    }
    // Observations spread over several buckets rather than piling into one.
    const last = buckets.map((s) => s.at(-1)! - s[0]);
    const perBucket = last.map((v, b) => v - (b > 0 ? last[b - 1] : 0));
    expect(perBucket.filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);
  });

  it("uses value() as given for gauges and uses Prometheus' default buckets when none are given", () => {
    const text = toOpenMetrics(
      [
        { name: "temp", type: "gauge", labelSets: [{ job: "a" }], value: (i) => i * 2.5 },
        { name: "lat", type: "histogram", labelSets: [{ job: "a" }] },
      ],
      { start: 1000, step: 0.5, samples: 3 },
    );
    expect(text).toContain('temp{job="a"} 0 1000\ntemp{job="a"} 2.5 1000.5\ntemp{job="a"} 5 1001\n');
    const les = parseSamples(text)
      .filter((s) => s.name === "lat_bucket" && s.ts === 1000)
      .map((s) => /le="([^"]+)"/.exec(s.labels)![1]);
    expect(les).toEqual([...DEFAULT_BUCKETS.map(String), "+Inf"]);
  });

  it("rejects decreasing counters, duplicate families and invalid names", () => {
    const labelSets = [{ job: "a" }];
    expect(() => toOpenMetrics([{ name: "c", type: "counter", labelSets, value: (i) => 10 - i }], OPTS)).toThrow(/non-decreasing/);
    expect(() =>
      toOpenMetrics(
        [
          { name: "c_total", type: "counter", labelSets },
          { name: "c", type: "counter", labelSets },
        ],
        OPTS,
      ),
    ).toThrow(/given twice/);
    expect(() => toOpenMetrics([{ name: "bad-name", type: "gauge", labelSets }], OPTS)).toThrow(/invalid metric name/);
    expect(() => toOpenMetrics([{ name: "h", type: "histogram", labelSets: [{ le: "1" }] }], OPTS)).toThrow(/le/);
    expect(() => toOpenMetrics([{ name: "g", type: "gauge", labelSets: [] }], OPTS)).toThrow(/labelSets is empty/);
  });
});

describe("startPrometheus", () => {
  let prom: TestPrometheus;
  let startMs = 0;

  beforeAll(async () => {
    const t0 = performance.now();
    prom = await startPrometheus({ series: SERIES });
    startMs = performance.now() - t0;
  });
  afterAll(async () => {
    await prom?.stop();
  });

  it("serves on 127.0.0.1 with a 90 minute window of 15 s samples ending near now", () => {
    expect(prom.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(prom.step).toBe(15);
    expect(prom.samples).toBe(90 * 4 + 1);
    expect(prom.time - prom.start).toBe(90 * 60);
    expect(Math.abs(Date.now() / 1000 - prom.time)).toBeLessThan(300);
    // Generous bound; start-up usually takes well under a second.
    expect(startMs).toBeLessThan(20_000);
  });

  it("rate() over generated counters is > 0 for every series, whether or not the name ended in _total", async () => {
    const rates = await prom.query("rate(http_requests_total[5m])");
    expect(rates.resultType).toBe("vector");
    const result = rates.result as VectorSample[];
    expect(result).toHaveLength(3);
    for (const r of result) expect(Number(r.value[1])).toBeGreaterThan(0);

    const jobs = (await prom.query("rate(jobs_processed_total[5m])")).result as VectorSample[];
    expect(jobs).toHaveLength(1);
    expect(Number(jobs[0].value[1])).toBeGreaterThan(0);
  });

  it("an error ratio query is non-zero and below 1", async () => {
    const result = (await prom.query('sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))'))
      .result as VectorSample[];
    expect(result).toHaveLength(1);
    const ratio = Number(result[0].value[1]);
    expect(ratio).toBeGreaterThan(0);
    expect(ratio).toBeLessThan(0.5);
  });

  it("histogram_quantile over the generated histogram is finite and within the bucket bounds", async () => {
    for (const q of [0.5, 0.95, 0.99]) {
      const result = (await prom.query(`histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))`))
        .result as VectorSample[];
      expect(result).toHaveLength(1);
      const v = Number(result[0].value[1]);
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThanOrEqual(2.5);
    }
    const p50 = Number(
      (
        (await prom.query("histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))")).result as VectorSample[]
      )[0].value[1],
    );
    const p99 = Number(
      (
        (await prom.query("histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))"))
          .result as VectorSample[]
      )[0].value[1],
    );
    expect(p99).toBeGreaterThan(p50);
    const avg = (await prom.query("sum(rate(http_request_duration_seconds_sum[5m])) / sum(rate(http_request_duration_seconds_count[5m]))"))
      .result as VectorSample[];
    expect(Number(avg[0].value[1])).toBeGreaterThan(0);
  });

  it("a gauge returns the generated value at `time`", async () => {
    const result = (await prom.query('queue_depth{job="worker"}')).result as VectorSample[];
    const byInstance = Object.fromEntries(result.map((r) => [r.metric.instance, Number(r.value[1])]));
    expect(byInstance).toEqual({
      "worker-0:9100": gaugeValue(prom.samples - 1, 0),
      "worker-1:9100": gaugeValue(prom.samples - 1, 1),
    });
    expect(result[0].value[0]).toBe(prom.time);
  });

  it("serves exactly what toOpenMetrics generates for the same window (default gauge values)", async () => {
    const text = toOpenMetrics(SERIES, { start: prom.start, step: prom.step, samples: prom.samples });
    const generated = parseSamples(text).filter((s) => s.name === "process_resident_memory_bytes");
    expect(generated).toHaveLength(prom.samples);
    const at = (await prom.query("process_resident_memory_bytes")).result as VectorSample[];
    expect(Number(at[0].value[1])).toBe(generated.at(-1)!.value);
    // Earlier in the window too.
    const mid = generated[100];
    const then = (await prom.query("process_resident_memory_bytes", mid.ts)).result as VectorSample[];
    expect(Number(then[0].value[1])).toBe(mid.value);
    const bytes = generated.map((s) => s.value);
    expect(Math.min(...bytes)).toBeGreaterThanOrEqual(1e8);
    expect(Math.max(...bytes)).toBeLessThanOrEqual(8e9);
    expect(new Set(bytes).size).toBeGreaterThan(10);
  });

  it("queryRange returns every generated sample across the window", async () => {
    const matrix = (await prom.queryRange("queue_depth", prom.start, prom.time, prom.step)) as MatrixSeries[];
    expect(matrix).toHaveLength(2);
    for (const series of matrix) {
      const k = series.metric.instance === "worker-0:9100" ? 0 : 1;
      expect(series.values).toHaveLength(prom.samples);
      expect(series.values.map(([, v]) => Number(v))).toEqual(Array.from({ length: prom.samples }, (_, i) => gaugeValue(i, k)));
    }
  });

  it("a query for a metric that was not generated returns an empty result", async () => {
    const { resultType, result } = await prom.query('not_generated_metric_total{job="api"}');
    expect(resultType).toBe("vector");
    expect(result).toEqual([]);
    expect((await prom.query('http_requests_total{status="404"}')).result).toEqual([]);
  });

  it("a malformed query throws with Prometheus' parse error", async () => {
    await expect(prom.query("sum(rate(http_requests_total[5m])")).rejects.toThrow(/parse error: unclosed left parenthesis/);
    await expect(prom.query("rate(http_requests_total)")).rejects.toThrow(/expected type range vector/);
    await expect(prom.queryRange("sum by (", prom.start, prom.time, 60)).rejects.toThrow(/parse error/);
  });
});

describe("startPrometheus lifecycle", () => {
  const tiny: SeriesSpec[] = [
    {
      name: "http_requests_total",
      type: "counter",
      labelSets: [
        { job: "api", instance: "api-0:8080", status: "200" },
        { job: "api", instance: "api-0:8080", status: "500" },
      ],
    },
  ];

  it("stop() ends the server, frees its port and removes its directory; a second stop() is harmless", async () => {
    const prom = await startPrometheus({ series: tiny, minutes: 10 });
    expect(isAlive(prom.pid)).toBe(true);
    expect(existsSync(prom.dir)).toBe(true);
    await prom.stop();
    expect(isAlive(prom.pid)).toBe(false);
    expect(existsSync(prom.dir)).toBe(false);
    await expect(fetch(`${prom.url}/-/ready`)).rejects.toThrow();
    await prom.stop();
  });

  it("loads rule files: recording rules record and alerts fire on the generated data", async () => {
    const dir = await mkdtemp(join(tmpdir(), "prom-fixture-rules-test-"));
    try {
      const rules = join(dir, "rules.yml");
      await writeFile(
        rules,
        [
          "groups:",
          "  - name: fixture",
          "    interval: 1s",
          "    rules:",
          "      - record: job:http_requests:rate5m",
          "        expr: sum by (job) (rate(http_requests_total[5m]))",
          "      - alert: ErrorsPresent",
          '        expr: sum(rate(http_requests_total{status="500"}[5m])) / sum(rate(http_requests_total[5m])) > 0',
          "      - alert: NeverFires",
          '        expr: sum(rate(http_requests_total{status="500"}[5m])) > 1e9',
          "",
        ].join("\n"),
      );
      const prom = await startPrometheus({ series: tiny, minutes: 10, rulesFiles: [rules] });
      try {
        const now = () => Date.now() / 1000;
        const firing = await waitFor(
          async () => {
            const r = (await prom.query('ALERTS{alertstate="firing"}', now())).result as VectorSample[];
            return r.length > 0 ? r : undefined;
          },
          20_000,
          "ErrorsPresent to fire",
        );
        expect(firing.map((r) => r.metric.alertname)).toEqual(["ErrorsPresent"]);
        const recorded = (await prom.query("job:http_requests:rate5m", now())).result as VectorSample[];
        expect(recorded).toHaveLength(1);
        expect(recorded[0].metric.job).toBe("api");
        expect(Number(recorded[0].value[1])).toBeGreaterThan(0);
      } finally {
        await prom.stop();
      }

      await writeFile(rules, "groups:\n  - name: broken\n    rules:\n      - alert: Bad\n        expr: sum(\n");
      await expect(startPrometheus({ series: tiny, minutes: 10, rulesFiles: [rules] })).rejects.toThrow(
        /could not parse expression: 1:5: parse error: unclosed left parenthesis/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("says to apt-get install prometheus when the binaries are missing", async () => {
    const path = process.env.PATH;
    const empty = await mkdtemp(join(tmpdir(), "prom-fixture-nopath-test-"));
    process.env.PATH = empty;
    try {
      await expect(startPrometheus({ series: tiny })).rejects.toThrow(/apt-get install -y prometheus/);
    } finally {
      process.env.PATH = path;
      await rm(empty, { recursive: true, force: true });
    }
  });

  // The server must not outlive the process that started it, whether that process exits
  // normally without calling stop() or is killed outright.
  it.each([
    ["exits without calling stop()", "exit"],
    ["is killed with SIGKILL", "kill"],
  ])("leaves no server behind when the test process %s", async (_, mode) => {
    const dir = await mkdtemp(join(tmpdir(), "prom-fixture-orphan-test-"));
    try {
      const script = join(dir, "start.mts");
      const fixture = resolve("test/fixtures/prometheus.ts");
      await writeFile(
        script,
        [
          `import { startPrometheus } from ${JSON.stringify(fixture)};`,
          `const p = await startPrometheus({ series: ${JSON.stringify(tiny)}, minutes: 5 });`,
          `console.log(JSON.stringify({ pid: p.pid, dir: p.dir }));`,
          mode === "exit" ? "process.exit(0);" : "setInterval(() => {}, 1000);",
        ].join("\n"),
      );
      const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (err += d));
      const info = await waitFor(
        async () => {
          const line = out.split("\n").find((l) => l.startsWith("{"));
          if (!line && child.exitCode !== null) throw new Error(`child exited early: ${err}`);
          return line ? (JSON.parse(line) as { pid: number; dir: string }) : undefined;
        },
        30_000,
        "the child to start prometheus",
      );
      if (mode === "kill") {
        expect(isAlive(info.pid)).toBe(true);
        child.kill("SIGKILL");
      }
      await waitFor(async () => (isAlive(info.pid) ? undefined : true), 10_000, `prometheus ${info.pid} to die`);
      if (mode === "exit") {
        // The exit handler kills the server, then removes its directory: wait for the handler to finish.
        await waitFor(async () => (child.exitCode !== null || child.signalCode !== null ? true : undefined), 10_000, "the child to exit");
        expect(existsSync(info.dir)).toBe(false);
      } else {
        // Exit handlers cannot run under SIGKILL; the next start sweeps the dead process' directory.
        expect(existsSync(info.dir)).toBe(true);
        await waitFor(async () => (child.exitCode !== null || child.signalCode !== null ? true : undefined), 10_000, "the child to exit");
        const next = await startPrometheus({ series: tiny, minutes: 5 });
        await next.stop();
        expect(existsSync(info.dir)).toBe(false);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
