// The links Grafana builds from a span, a log line and an exemplar land on the service's real
// signals: the provisioned datasources are read as Grafana reads the file ($$ is a literal $), a span
// of each service is run through Grafana's interpolation, the LogQL is parsed and must select the
// labels the stack's log shipper sets (expected values written from the stack documents), and the
// PromQL runs on a real Prometheus holding the catalog's series.
import { parser as logqlParser } from "@grafana/lezer-logql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { loadConfig, type Config } from "../../config/index.js";
import { expandProvisioningText } from "../../src/emit/provisioningYaml.js";
import { BuildError } from "../../src/errors.js";
import { runBuild } from "../../src/commands/build.js";
import { PATHS } from "../../src/pipeline/provisioning.js";
import { catalogSeries } from "../fixtures/catalogSeries.js";
import { logsLinkQuery, metricsLinkQueries, type Span } from "../fixtures/grafanaSpanLinks.js";
import { startPrometheus, type TestPrometheus } from "../fixtures/prometheus.js";
import { REPO_CONTENT } from "../../scripts/content.js";

type Ds = { uid: string; type: string; jsonData: Record<string, any> };

async function provisionedDatasources(config?: Config): Promise<Ds[]> {
  const build = await runBuild({ content: REPO_CONTENT, write: false, ...(config ? { config } : {}) });
  const file = build.files.find((f) => f.path === PATHS.datasources)!;
  const { text } = expandProvisioningText(String(file.content), {});
  return (parseYaml(text) as { datasources: Ds[] }).datasources;
}

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const span = (serviceName: string): Span => ({ traceId: TRACE_ID, spanId: "00f067aa0ba902b7", name: "GET /", duration: 1200, processTags: { "service.name": serviceName }, tags: { "http.method": "GET" } });

/** Stream matchers and the pipeline's label filters / line filters of a LogQL query. */
function logql(expr: string) {
  const tree = logqlParser.parse(expr);
  let error = false;
  const selector: string[] = [];
  const labelFilters: string[] = [];
  const lineFilters: string[] = [];
  let inSelector = false;
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) error = true;
      if (n.name === "Selector") inSelector = true;
      const text = expr.slice(n.from, n.to);
      if (n.name === "Matcher") (inSelector ? selector : labelFilters).push(text.replace(/\s+/g, ""));
      if (n.name === "LineFilter") lineFilters.push(text);
    },
    leave: (n) => {
      if (n.name === "Selector") inSelector = false;
    },
  });
  return { error, selector: selector.sort(), labelFilters, lineFilters };
}

// Written from the stack documents: what the log shipper labels, which field carries the trace id.
const EXPECTED_LOGS: Record<string, { datasource: string; selector: string[]; traceFilter: string } | { datasource: string; none: true }> = {
  // Promtail: job="docker" plus the compose service name; JSON lines with trace_id.
  "fastapi-backend": { datasource: "jaeger", selector: ['job="docker"', 'service="app"'], traceFilter: `trace_id="${TRACE_ID}"` },
  // Vector: container_name="pix_erase.api", JSON with log_trace_id.
  PixErase: { datasource: "tempo", selector: ['container_name="pix_erase.api"'], traceFilter: `log_trace_id="${TRACE_ID}"` },
  // No log pipeline for these.
  "model-service": { datasource: "tempo", none: true },
  worker: { datasource: "tempo", none: true },
};

let ds: Ds[];
let prom: TestPrometheus;
const config = loadConfig("dev");
const byUid = (uid: string) => ds.find((d) => d.uid === uid)!;

beforeAll(async () => {
  ds = await provisionedDatasources();
  prom = await startPrometheus({ series: catalogSeries({ config }) });
}, 120_000);
afterAll(async () => {
  await prom?.stop();
});

describe("span → logs", () => {
  for (const [serviceName, want] of Object.entries(EXPECTED_LOGS)) {
    it(`a ${serviceName} span opens its stack's log stream filtered by trace id, or nothing unrelated`, () => {
      const q = logsLinkQuery(byUid(want.datasource).jsonData.tracesToLogsV2, span(serviceName));
      if ("none" in want) {
        // Its stack has no logs: a link may exist (the datasource's other service logs), but only
        // lines of this very trace can show.
        if (q) expect(logql(q).labelFilters.join(" ") + logql(q).lineFilters.join(" ")).toContain(TRACE_ID);
        return;
      }
      expect(q, "no logs link").toBeDefined();
      const parsed = logql(q!);
      expect(parsed.error, q).toBe(false);
      expect(parsed.selector).toEqual(want.selector);
      expect(parsed.labelFilters).toContain(want.traceFilter);
      // The old mapping service.name → service selected streams no shipper writes.
      expect(q).not.toContain(`service="${serviceName}"`);
    });
  }

  it("a trace datasource whose services have no logs gets no logs link at all", async () => {
    const alone = loadConfig("dev", (c) => ({ ...c, services: { ...c.services, fastapi: { ...c.services.fastapi, logs: "none" } } }));
    const jaeger = (await provisionedDatasources(alone)).find((d) => d.uid === "jaeger")!;
    expect(jaeger.jsonData.tracesToLogsV2).toBeUndefined();
  });
});

describe("span → metrics", () => {
  const services = Object.entries(config.services).filter(([, s]) => s.traces !== "none");

  for (const [key, s] of services) {
    if (s.traces === "none") continue;
    const { serviceName, datasource } = s.traces;
    it(`${key}: every metrics link offered for a ${serviceName} span under its name returns that service's series`, async () => {
      const links = metricsLinkQueries(byUid(datasource).jsonData.tracesToMetrics, span(serviceName)).filter((l) => l.name.startsWith(`${key}:`));
      expect(links.length).toBeGreaterThanOrEqual(1);
      for (const l of links) {
        expect(l.query, l.name).toContain(`job="${s.job}"`);
        const r = await prom.query(l.query);
        expect(r.result.length, `${l.name}: ${l.query}`).toBeGreaterThan(0);
      }
    });
  }

  it("PixErase's links take app_name from the span, so a span of another service gets no PixErase data", async () => {
    const links = metricsLinkQueries(byUid("tempo").jsonData.tracesToMetrics, span("worker")).filter((l) => l.name.startsWith("pixEraseApi:"));
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.query).toContain('app_name="worker"');
      expect((await prom.query(l.query)).result, l.query).toEqual([]);
    }
  });

  it("Jaeger links its spans to metrics too, and no query maps service.name onto job", () => {
    expect(byUid("jaeger").jsonData.tracesToMetrics?.queries?.length).toBeGreaterThan(0);
    for (const d of [byUid("tempo"), byUid("jaeger")]) {
      for (const t of d.jsonData.tracesToMetrics?.tags ?? []) expect(t.value).not.toBe("job");
    }
  });
});

describe("service map", () => {
  it("is off unless the config says Tempo's metrics-generator runs", async () => {
    expect(byUid("tempo").jsonData.serviceMap).toBeUndefined();
    const withGenerator = loadConfig("dev", (c) => ({ ...c, signals: { tempoMetricsGenerator: true } }));
    expect((await provisionedDatasources(withGenerator)).find((d) => d.uid === "tempo")!.jsonData.serviceMap).toEqual({ datasourceUid: "prometheus" });
  });
});

describe("log line → trace (Loki derived fields)", () => {
  const fields = () => byUid("loki").jsonData.derivedFields as { matcherRegex: string; datasourceUid: string; url: string }[];
  const opens = (line: string) => fields().flatMap((f) => {
    const m = new RegExp(f.matcherRegex).exec(line);
    return m ? [{ uid: f.datasourceUid, id: m[1] }] : [];
  });

  it("a trace id in a FastAPI log line opens Jaeger, a PixErase one Tempo", () => {
    expect(opens(`{"level":"info","trace_id":"${TRACE_ID}","msg":"GET /api/items"}`)).toEqual([{ uid: "jaeger", id: TRACE_ID }]);
    expect(opens(`{"log_level":"INFO","log_trace_id":"${TRACE_ID}","log_event":"request"}`)).toEqual([{ uid: "tempo", id: TRACE_ID }]);
    // As the PixErase logs panel renders the line (line_format).
    expect(opens(`INFO log_trace_id=${TRACE_ID} request finished`)).toEqual([{ uid: "tempo", id: TRACE_ID }]);
  });

  it("the link is Grafana's ${__value.raw} once the provisioning file is read", () => {
    for (const f of fields()) expect(f.url).toBe("${__value.raw}");
  });

  it("lines without a trace id open nothing", () => {
    expect(opens('{"level":"info","msg":"trace_id missing"}')).toEqual([]);
  });
});

describe("exemplars", () => {
  it("PixErase's exemplar label opens Tempo; the label follows the config", async () => {
    expect(byUid("prometheus").jsonData.exemplarTraceIdDestinations).toEqual([{ name: "trace_id", datasourceUid: "tempo", urlDisplayLabel: "Open trace in Tempo" }]);
    const traceID = loadConfig("dev", (c) => ({ ...c, services: { ...c.services, pixEraseApi: { ...c.services.pixEraseApi, exemplars: { label: "TraceID" } } } }));
    expect((await provisionedDatasources(traceID)).find((d) => d.uid === "prometheus")!.jsonData.exemplarTraceIdDestinations).toEqual([{ name: "TraceID", datasourceUid: "tempo", urlDisplayLabel: "Open trace in Tempo" }]);
  });

  it("latency panels ask for exemplars only for services that record them", async () => {
    const build = await runBuild({ content: REPO_CONTENT, write: false });
    const latency = (uid: string) => {
      const json = build.dashboards.find((d) => d.json.uid === uid)!.json as { panels: { title?: string; targets?: { exemplar?: boolean }[] }[] };
      return json.panels.find((p) => p.title === "Latency p50 / p95 / p99 by path")!.targets!;
    };
    expect(latency("pixerase-api-overview").every((t) => t.exemplar === true)).toBe(true);
    expect(latency("fastapi-overview").some((t) => t.exemplar === true)).toBe(false);
  });
});

describe("config validation", () => {
  const bad = (edit: (c: any) => void) => () =>
    loadConfig("dev", (c) => {
      edit(c);
      return c;
    });

  it("rejects a service naming a trace datasource that does not exist, naming the service and field", () => {
    const run = bad((c) => (c.services.fastapi.traces = { serviceName: "fastapi-backend", datasource: "zipkin" }));
    expect(run).toThrow(BuildError);
    expect(run).toThrow(/services\.fastapi\.traces\.datasource: service fastapi names trace datasource "zipkin", which does not exist/);
  });

  it("rejects the alertmanager or a metrics datasource as a trace datasource", () => {
    expect(bad((c) => (c.services.pixEraseApi.traces = { serviceName: "PixErase", datasource: "prometheus" }))).toThrow(/services\.pixEraseApi\.traces\.datasource/);
  });

  it("rejects exemplars without a trace datasource", () => {
    expect(bad((c) => (c.services.fastapi.traces = "none", c.services.fastapi.exemplars = { label: "trace_id" }))).toThrow(/services\.fastapi\.exemplars: .*no trace datasource/);
  });

  it("rejects two log streams behind one trace datasource", () => {
    expect(bad((c) => (c.services.pixEraseWorker.logs = { selector: '{container_name="pix_erase.worker"}', format: "json", traceIdField: "log_trace_id" }))).toThrow(/one trace datasource can link its spans to one log stream/);
  });

  it("rejects a log stream without trace ids behind a trace datasource other services share", () => {
    expect(bad((c) => (c.services.pixEraseApi.logs.traceIdField = "none"))).toThrow(/services\.pixEraseApi\.logs\.traceIdField: service pixEraseApi's logs carry no trace id/);
  });

  it("rejects a log selector that is not a stream selector", () => {
    expect(bad((c) => (c.services.fastapi.logs = { selector: 'service="app"', format: "json", traceIdField: "trace_id" }))).toThrow(/services\.fastapi\.logs/);
  });
});
