// Datasources as Grafana will read them: env expansion applied, correlations wired between signals.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { expandProvisioningText } from "../../src/emit/provisioningYaml.js";
import { REPO } from "../fixtures/definitions.js";

const raw = readFileSync(join(REPO, "build/grafana/provisioning/datasources/datasources.yaml"), "utf8");
// What Grafana sees after it expands the environment (no variables set in dev).
const { text, missing } = expandProvisioningText(raw, {});
const doc = parse(text);
const byUid = (uid: string) => doc.datasources.find((d: { uid: string }) => d.uid === uid);

describe("datasources.yaml", () => {
  it("provisions the five datasources with fixed uids and the seeds' ports", () => {
    expect(missing).toEqual([]);
    expect(doc.apiVersion).toBe(1);
    expect(Object.fromEntries(doc.datasources.map((d: { uid: string; type: string; url: string }) => [d.uid, [d.type, d.url]]))).toEqual({
      prometheus: ["prometheus", "http://prometheus:9090"],
      loki: ["loki", "http://loki:3100"],
      tempo: ["tempo", "http://tempo:3200"],
      jaeger: ["jaeger", "http://jaeger:16686"],
      alertmanager: ["alertmanager", "http://alertmanager:9093"],
    });
    expect(doc.datasources.filter((d: { isDefault: boolean }) => d.isDefault).map((d: { uid: string }) => d.uid)).toEqual(["prometheus"]);
  });

  it("escapes Grafana's own macros so env expansion keeps them", () => {
    expect(raw).toContain("$${__value.raw}");
    expect(byUid("loki").jsonData.derivedFields.map((f: { url: string }) => f.url)).toEqual(["${__value.raw}", "${__value.raw}"]);
    expect(raw).toContain('$${__span.tags["service.name"]}');
    expect(byUid("tempo").jsonData.tracesToMetrics.queries[0].query).toContain('app_name="${__span.tags["service.name"]}"');
    // Without the escape Grafana would have expanded the macro to an empty string.
    expect(expandProvisioningText("url: ${__value.raw}", {}).text).toBe("url: ");
  });

  it("links exemplars to Tempo by trace_id", () => {
    expect(byUid("prometheus").jsonData.exemplarTraceIdDestinations).toEqual([
      expect.objectContaining({ name: "trace_id", datasourceUid: "tempo" }),
    ]);
  });

  it("makes trace ids in the stacks' log lines clickable, each exactly once, in the datasource holding the trace", () => {
    const fields = byUid("loki").jsonData.derivedFields as { name: string; matcherRegex: string; datasourceUid: string }[];
    expect(fields.map((f) => [f.name, f.datasourceUid])).toEqual([["trace_id (Jaeger)", "jaeger"], ["log_trace_id (Tempo)", "tempo"]]);
    const id = "4bf92f3577b34da6a3ce929d0e0e4736";
    const lines = {
      // PixErase stack, raw JSON from Vector
      vectorJson: `{"log_level":"INFO","log_event":"request finished","log_trace_id":"${id}","log_span_id":"00f067aa0ba902b7"}`,
      // the PixErase logs panel's line_format output
      lineFormat: `INFO log_trace_id=${id} request finished`,
      // FastAPI/LLM stack and the telemetry contract: structured JSON
      json: `{"level":"info","message":"ok","trace_id": "${id}","correlation_id":"c-1"}`,
    };
    const matches = (line: string) =>
      fields.flatMap((f) => {
        const m = new RegExp(f.matcherRegex).exec(line);
        return m ? [[f.name, m[1]]] : [];
      });
    expect(matches(lines.vectorJson)).toEqual([["log_trace_id (Tempo)", id]]);
    expect(matches(lines.lineFormat)).toEqual([["log_trace_id (Tempo)", id]]);
    expect(matches(lines.json)).toEqual([["trace_id (Jaeger)", id]]);
    expect(matches(`{"level":"info","message":"no trace here"}`)).toEqual([]);
  });

  it("wires Tempo and Jaeger to logs and metrics; no service map without the metrics-generator", () => {
    const tempo = byUid("tempo").jsonData;
    expect(tempo.tracesToLogsV2).toMatchObject({ datasourceUid: "loki", customQuery: true });
    expect(tempo.tracesToMetrics).toMatchObject({ datasourceUid: "prometheus" });
    expect(tempo.serviceMap).toBeUndefined();
    expect(tempo.nodeGraph).toEqual({ enabled: true });
    expect(byUid("jaeger").jsonData.tracesToLogsV2).toMatchObject({ datasourceUid: "loki", customQuery: true });
    expect(byUid("jaeger").jsonData.tracesToMetrics).toMatchObject({ datasourceUid: "prometheus" });
  });

  it("holds no literal secret and is not editable in the UI", () => {
    for (const d of doc.datasources) {
      expect(d.editable).toBe(false);
      expect(d.secureJsonData).toBeUndefined(); // dev has no credentials at all
    }
  });
});

describe("dashboards.yaml", () => {
  const providers = parse(readFileSync(join(REPO, "build/grafana/provisioning/dashboards/dashboards.yaml"), "utf8")).providers;
  it("has one read-only provider per folder pointing at the mounted tree", () => {
    expect(providers.length).toBeGreaterThan(0);
    for (const p of providers) {
      expect(p).toMatchObject({ type: "file", allowUiUpdates: false, disableDeletion: true });
      expect(p.options.path).toBe(`/etc/grafana/provisioning/dashboards/${p.folderUid}`);
    }
    expect(new Set(providers.map((p: { folderUid: string }) => p.folderUid)).size).toBe(providers.length);
  });
});
