// Each panel kind drawn from fixed data, compared byte for byte with a committed SVG (review a
// change by opening test/preview/golden/*.svg; regenerate with UPDATE_GOLDEN=1 after checking it), and
// the facts a reader looks for asserted on their own: values in Grafana's units, threshold colours,
// mapped texts, legend names.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { PanelData, PanelJson, Series } from "../../src/preview/model.js";
import { renderPanel } from "../../src/preview/panel.js";

const DIR = join(import.meta.dirname, "golden");
const WINDOW = { from: 1_767_279_600_000, to: 1_767_283_200_000 };
const STEP = 60_000;

function series(name: string, labels: Record<string, string>, f: (i: number) => number, refId = "A"): Series {
  return { refId, name, labels, points: Array.from({ length: 61 }, (_, i) => [WINDOW.from + i * STEP, f(i)] as [number, number]) };
}
const data = (...s: Series[]): PanelData => ({ series: s, errors: [] });
const thresholds = (steps: [string, number | null][]) => ({ mode: "absolute", steps: steps.map(([color, value]) => ({ color, value })) });

const CASES: { kind: string; panel: PanelJson; data: PanelData; w: number; h: number; expect: (string | RegExp)[] }[] = [
  {
    kind: "timeseries",
    panel: {
      id: 1, type: "timeseries", title: "Latency p95 by path",
      fieldConfig: { defaults: { unit: "s", custom: { fillOpacity: 10, lineWidth: 1, thresholdsStyle: { mode: "line+area" } }, thresholds: thresholds([["green", null], ["red", 0.5]]) } },
      options: { legend: { showLegend: true, calcs: ["mean", "max"], placement: "bottom" } },
    },
    data: data(series("/api/items", { path: "/api/items" }, (i) => 0.2 + 0.1 * Math.sin(i / 5)), series("/healthz", { path: "/healthz" }, (i) => 0.05 + (i > 40 && i < 46 ? 0.6 : 0))),
    w: 600, h: 260,
    expect: ["/api/items", /Mean: \d+ ms/, "500 ms", "#F2495C"],
  },
  {
    kind: "timeseries-stacked",
    panel: { id: 2, type: "timeseries", title: "Requests/s by status", fieldConfig: { defaults: { unit: "reqps", custom: { fillOpacity: 40, stacking: { mode: "normal" } } } }, options: { legend: { showLegend: true, placement: "right" } } },
    data: data(series("2xx", { status: "2xx" }, (i) => 150 + 30 * Math.sin(i / 8)), series("5xx", { status: "5xx" }, (i) => (i % 20 < 3 ? 20 : 1))),
    w: 600, h: 220,
    expect: ["2xx", "5xx", /req\/s/],
  },
  {
    kind: "stat",
    panel: { id: 3, type: "stat", title: "Error ratio", fieldConfig: { defaults: { unit: "percentunit", thresholds: thresholds([["green", null], ["orange", 0.01], ["red", 0.05]]) } }, options: { colorMode: "value", graphMode: "area", reduceOptions: { calcs: ["lastNotNull"] } } },
    data: data(series("ratio", {}, (i) => (i === 60 ? 0.0123 : 0.005 + i * 0.0001))),
    w: 300, h: 130,
    expect: ["1.23%", "#FF9830"],
  },
  {
    kind: "stat-background",
    panel: { id: 4, type: "stat", title: "Targets up", fieldConfig: { defaults: { unit: "short", decimals: 0, mappings: [{ type: "value", options: { "0": { text: "DOWN", color: "red" } } }], thresholds: thresholds([["green", null]]) } }, options: { colorMode: "background", graphMode: "none" } },
    data: data(series("api", { job: "api" }, () => 0), series("worker", { job: "worker" }, () => 3)),
    w: 300, h: 100,
    expect: ["DOWN", ">3<", "#F2495C", "#73BF69", "worker"],
  },
  {
    kind: "gauge",
    panel: { id: 5, type: "gauge", title: "Memory used", fieldConfig: { defaults: { unit: "percentunit", min: 0, max: 1, thresholds: thresholds([["green", null], ["yellow", 0.8], ["red", 0.9]]) } } },
    data: data(series("app", {}, () => 0.93)),
    w: 260, h: 200,
    expect: ["93%", "#F2495C"],
  },
  {
    kind: "bargauge",
    panel: { id: 6, type: "bargauge", title: "Restarts by container", fieldConfig: { defaults: { unit: "short", decimals: 0, thresholds: thresholds([["green", null], ["orange", 1], ["red", 5]]) } }, options: { orientation: "horizontal", displayMode: "gradient", showUnfilled: true } },
    data: data(series("api", { name: "api" }, () => 0), series("worker", { name: "worker" }, () => 2), series("model", { name: "model" }, () => 7)),
    w: 500, h: 200,
    expect: ["worker", "model", "#F2495C", "#FF9830"],
  },
  {
    kind: "table",
    panel: {
      id: 7, type: "table", title: "Scrape targets",
      fieldConfig: { defaults: { unit: "short", mappings: [{ type: "value", options: { "0": { text: "DOWN", color: "red" }, "1": { text: "UP", color: "green" } } }] }, overrides: [{ matcher: { id: "byName", options: "Value" }, properties: [{ id: "displayName", value: "Up" }] }] },
    },
    data: data(series("", { job: "api", instance: "api:8000" }, () => 1), series("", { job: "worker", instance: "worker:9100" }, () => 0)),
    w: 600, h: 160,
    expect: [">Up<", ">UP<", ">DOWN<", "api:8000", ">instance<"],
  },
  {
    kind: "piechart",
    panel: { id: 8, type: "piechart", title: "Calls by framework", fieldConfig: { defaults: { unit: "short" } }, options: { pieType: "donut", legend: { showLegend: true, placement: "right", values: ["percent"] } } },
    data: data(series("onnx", { framework: "onnx" }, () => 300), series("torch", { framework: "torch" }, () => 100)),
    w: 400, h: 220,
    expect: ["onnx   75%", "torch   25%"],
  },
  {
    kind: "heatmap",
    panel: { id: 9, type: "heatmap", title: "Latency distribution", fieldConfig: { defaults: { unit: "s" } } },
    data: data(series("0.1", { le: "0.1" }, (i) => 10 * i), series("0.5", { le: "0.5" }, (i) => 30 * i), series("+Inf", { le: "+Inf" }, (i) => 32 * i)),
    w: 500, h: 200,
    expect: ["100 ms", "500 ms", "+Inf"],
  },
  {
    kind: "logs",
    panel: { id: 10, type: "logs", title: "Logs", datasource: { type: "loki", uid: "loki" }, targets: [{ refId: "A", expr: '{job="docker", service="app"} | json' }] },
    data: { series: [], errors: [], unavailable: "no Loki in preview" },
    w: 600, h: 160,
    expect: ["no Loki in preview", "{job=&quot;docker&quot;, service=&quot;app&quot;} | json"],
  },
  {
    kind: "logs-lines",
    panel: { id: 11, type: "logs", title: "Application logs", datasource: { type: "loki", uid: "loki" }, options: { showTime: true, sortOrder: "Descending" } },
    data: {
      series: [],
      errors: [],
      logs: [
        { ns: "1767283199123000000", line: "ERROR upstream timeout after 30s path=/v1/chat/completions", labels: { level: "error" } },
        { ns: "1767283190000000000", line: "WARNING retrying request attempt=2", labels: { detected_level: "warn" } },
        { ns: "1767283185500000000", line: "INFO request completed status=200 duration_ms=412", labels: { level: "info" } },
        { ns: "1767283180000000000", line: "a line from a stream without a level", labels: {} },
      ],
    },
    w: 600, h: 120,
    expect: ["2026-01-01 15:59:59.123", "ERROR upstream timeout", 'fill="#e24d42"', 'fill="#eab839"', 'fill="#7eb26d"', "without a level"],
  },
  {
    kind: "traces",
    panel: { id: 12, type: "traces", title: "Slow traces", datasource: { type: "tempo", uid: "tempo" } },
    data: {
      series: [],
      errors: [],
      traces: [
        { traceId: "2f3e0cee77ae5dc9c17ade3689eb2e54", rootServiceName: "fastapi-app", rootTraceName: "POST /v1/chat/completions", startNs: "1767283080000000000", durationMs: 2350 },
        { traceId: "9c1d2e3f4a5b6c7d", rootTraceName: "GET /health", startNs: "1767282900000000000", durationMs: 0.4 },
      ],
    },
    w: 900, h: 120,
    expect: ["Trace ID", ">2f3e0cee77ae5dc9c17ade3689eb2e54<", "fastapi-app", "2026-01-01 15:58:00", "2.35 s", "&lt;1 ms", "&lt;root span not yet"],
  },
];

describe("panel kinds against golden SVGs", () => {
  it.each(CASES.map((c) => [c.kind, c] as const))("%s", (kind, c) => {
    const svg = renderPanel(c.panel, c.data, c.w, c.h, WINDOW, `golden-${kind}`);
    expect(renderPanel(c.panel, c.data, c.w, c.h, WINDOW, `golden-${kind}`), "two renders differ").toBe(svg);
    for (const e of c.expect) {
      if (typeof e === "string") expect(svg, `${kind} shows ${e}`).toContain(e);
      else expect(svg, `${kind} shows ${e}`).toMatch(e);
    }
    const file = join(DIR, `${kind}.svg`);
    if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) {
      mkdirSync(DIR, { recursive: true });
      writeFileSync(file, svg);
      if (process.env.CI) throw new Error(`${file} was missing; it has been written: commit it`);
    }
    expect(svg === readFileSync(file, "utf8"), `${kind} differs from ${file} (UPDATE_GOLDEN=1 to accept a deliberate change)`).toBe(true);
  });

  it("a failed query marks the panel and names the query", () => {
    const svg = renderPanel({ id: 1, type: "timeseries", title: "T" }, { series: [], errors: ["query B: parse error at char 5"] }, 300, 150, WINDOW, "err");
    expect(svg).toContain("#D10E5C");
    expect(svg).toContain("query B: parse error at char 5");
  });
});
