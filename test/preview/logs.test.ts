import { afterEach, describe, expect, it } from "vitest";
import { prometheusClient } from "../../src/preview/client.js";
import { queriedData, renderDashboard } from "../../src/preview/dashboard.js";
import { lokiClient, tempoClient } from "../../src/preview/logsClient.js";
import type { DashboardJson, PanelJson } from "../../src/preview/model.js";
import { variableValues } from "../../src/preview/queries.js";
import { startLogsDouble, type LogsDouble, type LogsDoubleOptions } from "../fixtures/loki-tempo-double.js";

const WINDOW = { from: 1_767_279_600_000, to: 1_767_283_200_000 }; // 2026-01-01 15:00–16:00 UTC
const NS_PER_MS = 1_000_000n;
const LOKI_DS = { type: "loki", uid: "${loki_datasource}" };
const TEMPO_DS = { type: "tempo", uid: "${tempo_datasource}" };
const LOGQL = '{job="docker", service="$service"} | json';
const TRACEQL = '{ resource.service.name = "$service" && status = error }';

let double: LogsDouble | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
  delete process.env.PREVIEW_TEST_LOKI_PASSWORD;
  delete process.env.PREVIEW_TEST_TEMPO_TOKEN;
});

function dashboard(panels: PanelJson[]): DashboardJson {
  return {
    uid: "logs-preview",
    title: "Logs preview",
    time: { from: "now-1h" },
    panels,
    templating: { list: [{ name: "service", type: "custom", current: { value: "app", text: "app" } }] },
  };
}

const logsPanel = (extra: Record<string, unknown> = {}): PanelJson => ({
  id: 1,
  type: "logs",
  title: "Application logs",
  gridPos: { x: 0, y: 0, w: 24, h: 8 },
  datasource: LOKI_DS,
  targets: [{ refId: "A", expr: LOGQL, datasource: LOKI_DS, ...extra } as PanelJson["targets"] extends (infer T)[] | undefined ? T : never],
  options: { showTime: true, sortOrder: "Descending" },
});

const tracesPanel: PanelJson = {
  id: 2,
  type: "traces",
  title: "Failed requests",
  gridPos: { x: 0, y: 8, w: 24, h: 8 },
  datasource: TEMPO_DS,
  targets: [{ refId: "A", query: TRACEQL, queryType: "traceql", limit: 20, datasource: TEMPO_DS } as never],
};

/** 30 lines, one a minute, the newest a second before the window's end; levels cycle. */
const LEVELS = ["info", "warn", "error"];
const ENTRIES = Array.from({ length: 30 }, (_, i) => ({ ns: String((BigInt(WINDOW.to) - BigInt(1000 + i * 60_000)) * NS_PER_MS), line: `{"event":"request ${i}"}`, level: LEVELS[i % 3] }));
const STREAMS = LEVELS.map((level) => ({ stream: { job: "docker", service: "app", level }, values: ENTRIES.filter((e) => e.level === level).map((e) => [e.ns, e.line] as [string, string]) }));

async function render(opts: LogsDoubleOptions, panels: PanelJson[], clients: { loki?: boolean; tempo?: boolean; lokiAuth?: object; tempoAuth?: object } = {}) {
  double = await startLogsDouble(opts);
  const d = dashboard(panels);
  const ctx = {
    client: prometheusClient("http://127.0.0.1:9"), // never asked: these panels have no Prometheus target
    window: WINDOW,
    variables: variableValues(d),
    scrapeSeconds: 15,
    loki: clients.loki === false ? undefined : lokiClient(double.url, clients.lokiAuth),
    tempo: clients.tempo === false ? undefined : tempoClient(double.url, clients.tempoAuth),
  };
  return renderDashboard(d, WINDOW, queriedData(ctx));
}

describe("logs panels with --loki-url", () => {
  it("asks Loki for the window's newest lines as Grafana's logs panel does, with the datasource's basic auth", async () => {
    process.env.PREVIEW_TEST_LOKI_PASSWORD = "s3cret-loki";
    const r = await render({ logs: { '{job="docker", service="app"} | json': STREAMS }, auth: { user: "grafana", password: "s3cret-loki" } }, [logsPanel({ maxLines: 500 })], {
      lokiAuth: { user: "grafana", passwordEnv: "PREVIEW_TEST_LOKI_PASSWORD" },
    });
    expect(double!.requests).toHaveLength(1);
    const req = double!.requests[0];
    expect(req.method).toBe("GET");
    expect(req.path).toBe("/loki/api/v1/query_range");
    expect(req.authorization).toBe(`Basic ${Buffer.from("grafana:s3cret-loki").toString("base64")}`);
    expect(req.params.query).toBe('{job="docker", service="app"} | json');
    expect(req.params.start).toBe(String(BigInt(WINDOW.from) * NS_PER_MS));
    expect(req.params.end).toBe(String(BigInt(WINDOW.to) * NS_PER_MS));
    expect(req.params.direction).toBe("backward");
    // An 8-row panel shows 16 lines of 16 px: only those are asked for (below the panel's 500).
    expect(req.params.limit).toBe("16");
    const svg = r.panels[0].svg;
    expect(r.panels[0].errors).toEqual([]);
    for (const e of ENTRIES.slice(0, 16)) expect(svg).toContain(e.line.replace(/"/g, "&quot;"));
    expect(svg).not.toContain("request 16&quot;");
    expect(svg).toContain("2026-01-01 15:59:59.000"); // the newest line's time, at the top
    expect(svg.indexOf("request 0&quot;")).toBeLessThan(svg.indexOf("request 1&quot;"));
    // Level colours as Grafana's: error red, warning yellow, info green.
    for (const c of ["#e24d42", "#eab839", "#7eb26d"]) expect(svg).toContain(`fill="${c}"`);
    expect(svg).not.toContain("no Loki in preview");
    expect(r.svg).not.toContain("s3cret-loki");
  });

  it("keeps the panel's own smaller limit, draws ascending order when asked, and renders the same bytes twice", async () => {
    const opts = { logs: { '{job="docker", service="app"} | json': STREAMS } };
    const panel = { ...logsPanel({ maxLines: 5 }), options: { showTime: false, sortOrder: "Ascending" } };
    const first = await render(opts, [panel]);
    expect(double!.requests[0].params.limit).toBe("5");
    const svg = first.panels[0].svg;
    expect(svg.indexOf("request 4&quot;")).toBeLessThan(svg.indexOf("request 0&quot;"));
    expect(svg).not.toContain("request 5&quot;");
    expect(svg).not.toContain("2026-01-01");
    await double!.close();
    const second = await render(opts, [panel]);
    expect(second.svg).toBe(first.svg);
  });

  it("a malformed Loki body is a named panel error, not a crash", async () => {
    const bad = JSON.stringify({ status: "success", data: { resultType: "streams", result: [{ stream: { job: "docker" }, values: [[1767283199000000000, "line"]] }] } });
    const r = await render({ respond: () => ({ status: 200, body: bad }) }, [logsPanel()]);
    expect(r.panels[0].errors).toHaveLength(1);
    expect(r.panels[0].errors[0]).toMatch(/^panel "Application logs": query A: Loki http:\/\/127\.0\.0\.1:\d+\/loki\/api\/v1\/query_range answered with something that is not a streams result: data\.result\.0\.values\.0\.0: /);
    expect(r.panels[0].svg).toContain("#D10E5C"); // the red corner naming the error
  });

  it("a metric LogQL query's matrix answer is named on a logs panel as not a streams result", async () => {
    const matrix = JSON.stringify({ status: "success", data: { resultType: "matrix", result: [{ metric: {}, values: [[1767283199, "3"]] }] } });
    const r = await render({ respond: () => ({ status: 200, body: matrix }) }, [logsPanel()]);
    expect(r.panels[0].errors[0]).toMatch(/not a streams result: data\.resultType: Invalid literal value, expected "streams"/);
  });

  it("Loki's plain-text 400 (a LogQL parse error) is quoted on the panel", async () => {
    const r = await render({ respond: () => ({ status: 400, body: "parse error at line 1, col 23: syntax error: unexpected IDENTIFIER\n" }) }, [logsPanel()]);
    expect(r.panels[0].errors[0]).toContain("answered HTTP 400: parse error at line 1, col 23: syntax error: unexpected IDENTIFIER");
    expect(r.panels[0].svg).toContain("parse error at line 1");
  });

  it("a wrong password is Loki's 401 on the panel, and the password is never shown", async () => {
    process.env.PREVIEW_TEST_LOKI_PASSWORD = "wrong-one";
    const r = await render({ auth: { user: "grafana", password: "right-one" } }, [logsPanel()], { lokiAuth: { user: "grafana", passwordEnv: "PREVIEW_TEST_LOKI_PASSWORD" } });
    expect(r.panels[0].errors[0]).toContain("answered HTTP 401: Unauthorized");
    expect(JSON.stringify(r)).not.toContain("wrong-one");
  });

  it("without --loki-url a logs panel stays the placeholder with its query", async () => {
    const r = await render({}, [logsPanel()], { loki: false });
    expect(double!.requests).toHaveLength(0);
    expect(r.panels[0].svg).toContain("no Loki in preview");
    expect(r.panels[0].svg).toContain("{job=&quot;docker&quot;, service=&quot;$service&quot;} | json");
  });

  it("a missing password variable or a bad URL is a usage error before anything is asked", () => {
    expect(() => lokiClient("http://127.0.0.1:1", { user: "grafana", passwordEnv: "PREVIEW_TEST_LOKI_PASSWORD" })).toThrow(/Loki basic auth: environment variable PREVIEW_TEST_LOKI_PASSWORD is not set/);
    expect(() => lokiClient("loki:3100")).toThrow(/--loki-url must be http\(s\)/);
    expect(() => tempoClient("not a url")).toThrow(/--tempo-url "not a url" is not a URL/);
  });
});

const TRACES = [
  { traceID: "2f3e0cee77ae5dc9c17ade3689eb2e54", rootServiceName: "app", rootTraceName: "POST /v1/chat/completions", startTimeUnixNano: String((BigInt(WINDOW.to) - 120_000n) * NS_PER_MS), durationMs: 250 },
  { traceID: "b6d4c1f0a9e85d3c", rootTraceName: "GET /health", startTimeUnixNano: String((BigInt(WINDOW.to) - 300_000n) * NS_PER_MS), durationMs: 1500 },
  { traceID: "0000aaaa", rootServiceName: "old", rootTraceName: "before the window", startTimeUnixNano: String((BigInt(WINDOW.from) - 60_000n) * NS_PER_MS), durationMs: 3 },
];

describe("traces panels with --tempo-url", () => {
  it("runs the panel's TraceQL search over the window with the token and draws a row per trace", async () => {
    process.env.PREVIEW_TEST_TEMPO_TOKEN = "tempo-token-value";
    const r = await render({ traces: { '{ resource.service.name = "app" && status = error }': TRACES }, auth: { token: "tempo-token-value" } }, [tracesPanel], { tempoAuth: { tokenEnv: "PREVIEW_TEST_TEMPO_TOKEN" } });
    expect(double!.requests).toHaveLength(1);
    const req = double!.requests[0];
    expect(req.path).toBe("/api/search");
    expect(req.authorization).toBe("Bearer tempo-token-value");
    expect(req.params).toEqual({ q: '{ resource.service.name = "app" && status = error }', start: String(WINDOW.from / 1000), end: String(WINDOW.to / 1000), limit: "9" });
    const svg = r.panels[0].svg;
    expect(r.panels[0].errors).toEqual([]);
    for (const text of ["Trace ID", "Service", "Name", "Start time", "Duration", "2f3e0cee77ae5dc9c17ade3689eb2e54", "POST /v1/chat/completions", "2026-01-01 15:58:00", "250 ms", "1.50 s", "GET /health", "&lt;root span not yet received&gt;"]) expect(svg).toContain(text);
    expect(svg).not.toContain("before the window");
    expect(JSON.stringify(r)).not.toContain("tempo-token-value");
  });

  it("a Tempo body of the wrong shape is a named panel error", async () => {
    const r = await render({ respond: () => ({ status: 200, body: JSON.stringify({ traces: [{ traceID: "xyz!", startTimeUnixNano: "1" }] }) }) }, [tracesPanel]);
    expect(r.panels[0].errors[0]).toMatch(/^panel "Failed requests": query A: Tempo http:\/\/127\.0\.0\.1:\d+\/api\/search answered with something that is not a search result: traces\.0\.traceID: expected a hex trace id$/);
  });

  it("a traces panel without a TraceQL search (the search builder) asks nothing and says why", async () => {
    const builder = { ...tracesPanel, targets: [{ refId: "A", queryType: "traceqlSearch", filters: [], datasource: TEMPO_DS } as never] };
    const r = await render({}, [builder]);
    expect(double!.requests).toHaveLength(0);
    expect(r.panels[0].svg).toContain("no TraceQL search to run in preview");
  });

  it("without --tempo-url a traces panel stays the placeholder", async () => {
    const r = await render({}, [tracesPanel], { tempo: false });
    expect(double!.requests).toHaveLength(0);
    expect(r.panels[0].svg).toContain("no Tempo/Jaeger in preview");
  });
});
