// npm run catalog -- --verify: reads real expositions (text format, OpenMetrics, from a file or a
// 127.0.0.1 server), lists what the catalog expects and what nobody uses, refuses malformed input
// with the line number; and every catalog entry the stack documents do not name says why it is there.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fc, test as propTest } from "@fast-check/vitest";
import { CATALOG } from "../../catalog/index.js";
import { compareWithCatalog, inferJobs } from "../../src/catalog-verify/compare.js";
import { ExpositionError, parseExposition } from "../../src/catalog-verify/exposition.js";

const tmp = mkdtempSync(join(tmpdir(), "catalog-verify-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const file = (name: string, text: string | Buffer) => {
  const f = join(tmp, name);
  writeFileSync(f, text);
  return f;
};
/** Runs the command without blocking, so the test's own HTTP server can answer it. */
const cli = (...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn("node", ["--import", "tsx", "scripts/catalog.ts", ...args]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });

// What a PixErase API /metrics page looks like (prometheus-fastapi-exporter style), without the
// in-progress gauge and with Python client extras.
const PIXERASE = `# HELP fastapi_requests_total Total requests
# TYPE fastapi_requests_total counter
fastapi_requests_total{app_name="PixErase",method="POST",path="/api/v1/images",status_code="200"} 12.0
fastapi_responses_total{app_name="PixErase",method="POST",path="/api/v1/images",status_code="200"} 12.0
# TYPE fastapi_request_duration_seconds histogram
fastapi_request_duration_seconds_bucket{app_name="PixErase",method="POST",path="/api/v1/images",le="0.5"} 10.0
fastapi_request_duration_seconds_bucket{app_name="PixErase",method="POST",path="/api/v1/images",le="+Inf"} 12.0
fastapi_request_duration_seconds_sum{app_name="PixErase",method="POST",path="/api/v1/images"} 3.2
fastapi_request_duration_seconds_count{app_name="PixErase",method="POST",path="/api/v1/images"} 12.0
fastapi_exceptions_total{app_name="PixErase",method="POST",path="/api/v1/images",exception_type="ValueError"} 1.0
process_start_time_seconds 1.7e9
process_resident_memory_bytes 5.1e7
process_cpu_seconds_total 12.5
python_gc_objects_collected_total{generation="0"} 341.0
python_info{implementation="CPython",major="3",minor="12",patchlevel="1",version="3.12.1"} 1.0
`;

describe("reading an exposition", () => {
  it("reads the text format with escapes, comments, timestamps and special values", () => {
    const e = parseExposition('# free comment\nm{a="x\\"y\\\\z\\n",b=""} NaN 1700000000000\nm2 +Inf\nm3 -1.5e-3\n\n');
    expect(e.format).toBe("prometheus");
    expect(e.samples.map((s) => [s.name, s.labels])).toEqual([["m", { a: 'x"y\\z\n', b: "" }], ["m2", {}], ["m3", {}]]);
  });

  it("reads OpenMetrics with exemplars and # EOF", () => {
    const e = parseExposition('# TYPE rq counter\n# UNIT rq_seconds seconds\nrq_total{path="/"} 3 # {trace_id="4bf92f3577b34da6a3ce929d0e0e4736"} 0.2 1700000000.1\n# EOF\n');
    expect(e.format).toBe("openmetrics");
    expect(e.samples[0].name).toBe("rq_total");
    expect(e.types.get("rq")).toBe("counter");
  });

  const HOSTILE: [string, string, number, RegExp][] = [
    ["unterminated label value", 'ok 1\nm{a="x} 1\n', 2, /not closed with a quote/],
    ["no value", "ok 1\nok 2\nm{a=\"x\"}\n", 3, /expected a space and a value/],
    ["a word for a value", "m abc\n", 1, /"abc" is not a number/],
    ["a bad metric name", "9m 1\n", 1, /expected a metric name/],
    ["an unquoted label value", "m{a=x} 1\n", 1, /must be a quoted string/],
    ["a duplicate label", 'm{a="1",a="2"} 1\n', 1, /label a appears twice/],
    ["an unknown escape", 'm{a="\\q"} 1\n', 1, /unknown escape/],
    ["an unknown type", "# TYPE m histo\nm 1\n", 1, /unknown metric type "histo"/],
    ["two TYPE lines", "# TYPE m gauge\n# TYPE m gauge\nm 1\n", 2, /second # TYPE line/],
    ["a NUL byte", "m 1\n\u0000\u0001\u0002garbage 1\n", 2, /NUL byte/],
    ["content after # EOF", "m 1\n# EOF\nn 1\n", 3, /after # EOF/],
    ["an exemplar outside OpenMetrics", 'm 1 # {trace_id="a"} 1\n', 1, /only in OpenMetrics/],
    ["an empty line in OpenMetrics", "m 1\n\n# EOF\n", 2, /no empty lines/],
    ["three fields after the name", "m 1 2 3\n", 1, /expected "<value> \[timestamp\]"/],
    ["a label set that never closes", 'm{a="1", 1\n', 1, /expected a label name/],
    ["a timestamp that is not a number", "m 1 tomorrow\n", 1, /not a timestamp/],
  ];
  for (const [what, text, line, message] of HOSTILE) {
    it(`refuses ${what}, naming line ${line}`, () => {
      let err: unknown;
      try {
        parseExposition(text);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ExpositionError);
      expect((err as ExpositionError).line).toBe(line);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).toMatch(new RegExp(`^line ${line}: `));
    });
  }

  propTest.prop([fc.string({ maxLength: 300 })])("any input either parses or fails with a line number inside it, never otherwise", (text) => {
    try {
      parseExposition(text);
    } catch (e) {
      expect(e).toBeInstanceOf(ExpositionError);
      const line = (e as ExpositionError).line;
      expect(line).toBeGreaterThanOrEqual(1);
      expect(line).toBeLessThanOrEqual(Math.max(1, text.split("\n").length));
    }
  });

  it("shows hostile bytes escaped in messages, not raw", () => {
    expect(() => parseExposition("m \u001b[31mred\n")).toThrow(/\\u\{1b\}/);
  });
});

describe("comparing with the catalog", () => {
  const used = new Set(["fastapi_requests_total", "fastapi_request_duration_seconds_bucket", "fastapi_exceptions_total", "process_start_time_seconds", "process_resident_memory_bytes", "process_cpu_seconds_total", "fastapi_requests_in_progress"]);

  it("finds the job from the metrics only it exports", () => {
    expect(inferJobs(parseExposition(PIXERASE), CATALOG)).toEqual(["pix_erase_api"]);
  });

  it("lists the expected metric that is missing (with why the catalog assumed it) and what no dashboard uses", () => {
    const r = compareWithCatalog(parseExposition(PIXERASE), CATALOG, ["pix_erase_api"], used, true);
    expect(r.missing.map((m) => m.name)).toEqual(["fastapi_requests_in_progress"]);
    expect(r.missing[0].assumed).toMatch(/does not list it/);
    expect(r.unused).toEqual(["fastapi_responses_total", "python_gc_objects_collected_total", "python_info"]);
    expect(r.missingLabels).toEqual([]);
  });

  it("reports labels the catalog expects that no sample carries", () => {
    const r = compareWithCatalog(parseExposition('taskiq_tasks_total{task_name="erase"} 3\n'), CATALOG, ["pix_erase_worker"], new Set(), true);
    expect(r.missingLabels).toEqual([{ name: "taskiq_tasks_total", labels: ["status"] }]);
  });

  it("accepts the collector counter in both spellings and says which setting matches", () => {
    const page = '# TYPE model_inference counter\nmodel_inference{model_id="m",task="t",framework="onnx",status="success"} 4\nmodel_inference_latency_ms_bucket{model_id="m",task="t",framework="onnx",status="success",le="+Inf"} 4\n';
    const r = compareWithCatalog(parseExposition(page), CATALOG, ["model-service"], new Set(), true);
    expect(r.missing).toEqual([]);
    expect(r.spelling).toEqual(["model_inference_total is exported as model_inference: set signals.collectorMetricSuffixes to false"]);
    expect(compareWithCatalog(parseExposition(page), CATALOG, ["model-service"], new Set(), false).spelling).toEqual([]);
  });

  it("with the unit appended by the exporter (ms → _milliseconds) the histogram is reported missing", () => {
    const page = 'model_inference_total{model_id="m",task="t",framework="onnx",status="success"} 4\nmodel_inference_latency_ms_milliseconds_bucket{model_id="m",task="t",framework="onnx",status="success",le="+Inf"} 4\n';
    const r = compareWithCatalog(parseExposition(page), CATALOG, ["model-service"], new Set(["model_inference_total"]), true);
    expect(r.missing.map((m) => m.name)).toEqual(["model_inference_latency_ms"]);
    expect(r.unused).toEqual(["model_inference_latency_ms_milliseconds"]);
  });
});

describe("npm run catalog -- --verify", () => {
  let server: Server;
  let base = "";
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/metrics") res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(PIXERASE);
      else if (req.url === "/broken") res.writeHead(200).end("ok 1\nbad{ 1\n");
      else res.writeHead(404).end("no");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("prints the report for a file, exit 0, using the real dashboards", async () => {
    const r = await cli("--verify", file("pix.txt", PIXERASE));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("compared with the catalog's metrics of job pix_erase_api");
    expect(r.stdout).toMatch(/not exported \(1\):\n {2}fastapi_requests_in_progress \(assumed: /);
    expect(r.stdout).toContain("  python_gc_objects_collected_total");
    // Dashboards do query the request counter.
    expect(r.stdout).not.toMatch(/^ {2}fastapi_requests_total$/m);
  });

  it("fetches a URL on 127.0.0.1", async () => {
    const r = await cli("--verify", `${base}/metrics`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${base}/metrics: 12 samples`);
  });

  it("a malformed exposition: one line naming the source and line number, exit 1, no stack trace", async () => {
    for (const [source, line] of [[file("broken.txt", 'ok 1\nok{a="1"} 2\nm{a="x} 1\n'), 3], [`${base}/broken`, 2]] as const) {
      const r = await cli("--verify", source);
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toMatch(new RegExp(`^catalog: ${source.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: line ${line}: `));
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe("");
    }
  });

  it("binary garbage is refused by line, not crashed on", async () => {
    const r = await cli("--verify", file("garbage.bin", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x0a, 0xff, 0xfe])));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/line 1: /);
  });

  it("an exposition without any catalog metric asks for --job; an empty one says so", async () => {
    expect((await cli("--verify", file("other.txt", "node_something 1\n"))).stderr).toMatch(/name the service with --job/);
    const empty = await cli("--verify", file("empty.txt", "# nothing\n"));
    expect(empty.status).toBe(1);
    expect(empty.stderr).toMatch(/no samples/);
  });

  it("usage errors exit 2; an unreachable URL, a missing file and an HTTP error exit 3", async () => {
    expect((await cli()).status).toBe(2);
    expect((await cli("--verify", file("x.txt", "m 1\n"), "--job", "nope")).status).toBe(2);
    const missing = await cli("--verify", join(tmp, "absent.txt"));
    expect([missing.status, missing.stderr]).toEqual([3, expect.stringMatching(/absent\.txt: cannot read \(ENOENT\)/)]);
    const notFound = await cli("--verify", `${base}/nothing`);
    expect([notFound.status, notFound.stderr.trim()]).toEqual([3, `catalog: ${base}/nothing: HTTP 404`]);
    const closed = await cli("--verify", "http://127.0.0.1:9/metrics");
    expect(closed.status).toBe(3);
    expect(closed.stderr).toMatch(/127\.0\.0\.1:9\/metrics: no answer/);
  });
});

describe("catalog entries the stack documents do not name are marked", () => {
  const STACK_DOCS = join(import.meta.dirname, "../../../shared/seeds");
  const present = existsSync(STACK_DOCS);
  if (!present) console.warn(`catalog-verify: ${STACK_DOCS} not found; skipping the check against the stack documents`);

  it.skipIf(!present)("every entry not named in the stack documents carries assumed: <why>", () => {
    const docs = readdirSync(STACK_DOCS).map((f) => readFileSync(join(STACK_DOCS, f), "utf8")).join("\n");
    const unmarked = CATALOG.filter((m) => !m.assumed && !docs.includes(m.name) && !(m.viaCollector && docs.includes(m.name.replace(/_total$/, ""))));
    expect(unmarked.map((m) => m.name)).toEqual([]);
  });

  it("the entries the documents leave open are marked (in-progress gauge, taskiq labels)", () => {
    const byName = new Map(CATALOG.map((m) => [m.name, m]));
    for (const n of ["fastapi_requests_in_progress", "taskiq_tasks_total", "taskiq_tasks_duration_seconds", "otelcol_exporter_queue_size"]) {
      expect(byName.get(n)?.assumed, n).toMatch(/\S/);
    }
  });
});
