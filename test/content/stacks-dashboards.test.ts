// Dashboards read each service's signals where the services description says they are: FastAPI
// traces from Jaeger, evaluation traces from Tempo, log panels only on streams that exist, the model
// service's liveness from its own metric, collector panels saying where their data comes from.
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../config/index.js";
import { runBuild } from "../../src/commands/build.js";
import { type BuildResult } from "../../src/pipeline/index.js";
import { REPO_CONTENT } from "../../scripts/content.js";

type Target = Record<string, unknown> & { datasource?: { uid?: string; type?: string } };
type Panel = { title?: string; type?: string; description?: string; datasource?: { uid?: string }; targets?: Target[]; panels?: Panel[] };

let build: BuildResult;
const config = loadConfig("dev");
beforeAll(async () => {
  build = await runBuild({ content: REPO_CONTENT, write: false, config });
});
const panels = (uid: string): Panel[] => {
  const json = build.dashboards.find((d) => d.json.uid === uid)!.json as { panels: Panel[] };
  return json.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
};
const panel = (uid: string, title: string) => panels(uid).find((p) => p.title === title)!;

describe("traces from the backend that holds them", () => {
  it("FastAPI's failed and slow requests search Jaeger by service, error tag and minimum duration", () => {
    const failed = panel("fastapi-overview", "Failed requests");
    const slow = panel("fastapi-overview", "Slow requests");
    for (const p of [failed, slow]) {
      expect(p.datasource?.uid).toBe("jaeger");
      expect(p.targets!.every((t) => t.datasource?.uid === "jaeger" && t.queryType === "search" && t.service === "fastapi-backend")).toBe(true);
    }
    expect(failed.targets![0].tags).toBe("error=true");
    expect(slow.targets![0].minDuration).toBe(`${config.alerting.thresholds.httpLatencyP95Seconds}s`);
    expect(JSON.stringify(panels("fastapi-overview"))).not.toContain('"uid":"tempo"');
  });

  it("PixErase's trace panels stay on Tempo (TraceQL on service PixErase)", () => {
    const t = panel("pixerase-api-overview", "Failed requests").targets![0];
    expect(t.datasource?.uid).toBe("tempo");
    expect(t.query).toContain('resource.service.name="PixErase"');
  });

  it("the evaluation dashboard has a Tempo traces row: failed evaluate_single_case spans, slowest llm_invoke by llm.model", () => {
    const failed = panel("evaluation-analytics", "Failed case evaluations").targets![0];
    const slow = panel("evaluation-analytics", "Slowest LLM calls").targets![0];
    expect(failed).toMatchObject({ datasource: { uid: "tempo" }, queryType: "traceql", query: '{name="evaluate_single_case" && status=error}' });
    expect(slow).toMatchObject({ datasource: { uid: "tempo" }, queryType: "traceql", tableType: "spans" });
    expect(slow.query).toMatch(/^\{name="llm_invoke" && duration>\d+s\} \| select\(span\.llm\.model\)$/);
  });
});

describe("logs only where a stack ships them", () => {
  it("every Loki query of every dashboard reads a configured stream", () => {
    const selectors = Object.values(config.services).flatMap((s) => (s.logs === "none" ? [] : [s.logs.selector]));
    const loki = build.dashboards.flatMap((d) => panels(d.json.uid!)).flatMap((p) => p.targets ?? []).filter((t) => t.datasource?.type === "loki");
    expect(loki.length).toBeGreaterThan(0);
    for (const t of loki) expect(selectors.some((s) => String(t.expr).includes(s)), String(t.expr)).toBe(true);
    const all = JSON.stringify(build.dashboards.map((d) => d.json));
    expect(all).not.toContain('{service=\\"model-service\\"}');
    expect(all).not.toContain('{service=\\"worker\\"}');
  });
});

describe("liveness and sources", () => {
  it("the model service shows when the last inference was seen, not the collector's up", () => {
    const own = panel("model-service-inference", "Last inference seen").targets![0].expr as string;
    const home = panel("home", "Model service: last inference seen").targets![0].expr as string;
    for (const e of [own, home]) {
      expect(e).toContain("model_inference_total{");
      expect(e).not.toMatch(/\bup\{/);
    }
    expect(panels("home").some((p) => p.title === "Model service up")).toBe(false);
  });

  it("collector panels say where their data comes from and that the scrape is off by default", () => {
    const collector = panels("telemetry-pipeline").filter((p) => p.type !== "row" && JSON.stringify(p.targets ?? []).includes("otelcol_"));
    expect(collector.length).toBeGreaterThan(5);
    for (const p of collector) expect(p.description, p.title).toMatch(/Source: the collector's own telemetry .*otel-collector:8888 once that scrape job is switched on/);
  });
});
