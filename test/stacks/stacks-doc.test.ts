// docs/stacks.md is current, says "no logs" where a stack has no log pipeline, and marks what the
// stack documents do not say; the scrape configuration holds only what the stacks expose.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config/index.js";
import { prometheusDocument } from "../../src/pipeline/provisioning.js";
import { renderStacksDoc, STACKS_DOC } from "../../src/stacks/doc.js";
import { runBuild } from "../../src/commands/build.js";
import { REPO_CONTENT } from "../../scripts/content.js";

const config = loadConfig("dev");

describe("docs/stacks.md", () => {
  it("the committed file is what the configuration renders (run npm run stacks-doc after changing services)", () => {
    expect(readFileSync(STACKS_DOC, "utf8")).toBe(renderStacksDoc(config, REPO_CONTENT.catalog));
  });

  it("npm run stacks-doc rejects an unknown option with the usage exit code", () => {
    const r = spawnSync("node", ["--import", "tsx", "scripts/stacks-doc.ts", "--check", "--bogus"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option '?--bogus/i);
  });

  it("npm run stacks-doc -- --help prints the usage and exits 0", () => {
    const r = spawnSync("node", ["--import", "tsx", "scripts/stacks-doc.ts", "--help"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: npm run stacks-doc/);
  });

  it("has a table per stack naming each signal's backend, and no logs where the stack has none", () => {
    const doc = renderStacksDoc(config, REPO_CONTENT.catalog);
    for (const stack of ["FastAPI / LLM backend", "PixErase", "Model service", "Evaluation platform"]) expect(doc).toContain(`## ${stack}`);
    expect(doc).toContain("| fastapi | traces | Jaeger | `service.name=\"fastapi-backend\"` |");
    expect(doc).toContain("| pixEraseApi | logs | Loki | `{container_name=\"pix_erase.api\"}` (json) |");
    expect(doc).toContain("| modelService | logs | no logs | — |");
    expect(doc).toContain("| evaluationWorker | logs | no logs | — |");
    // The selectors the stacks never had.
    expect(doc).not.toContain('{service="model-service"}');
    expect(doc).not.toContain('{service="worker"}');
  });

  it("follows the collector-suffix switch", () => {
    const plain = loadConfig("dev", (c) => ({ ...c, signals: { collectorMetricSuffixes: false } }));
    expect(renderStacksDoc(plain, REPO_CONTENT.catalog)).toContain("| `model_inference_total` | `model_inference` |");
  });
});

describe("scrape targets", () => {
  const jobs = (c = config) => prometheusDocument(c).scrape_configs.map((j) => `${j.job_name} ${j.static_configs[0].targets.join(",")}`);

  it("scrapes by default only what the stacks expose: no collector self-telemetry on :8888", () => {
    expect(jobs()).toEqual([
      "api-gateway host.docker.internal:8007",
      "cadvisor host.docker.internal:8080",
      "fastapi app:8000",
      "model-service otel-collector:8889",
      "node-exporter node-exporter:9100",
      "pix_erase_api pix_erase.api:8080",
      "pix_erase_worker pix_erase.worker:8081",
      "worker host.docker.internal:8006",
    ]);
  });

  it("an optional target appears once switched on", () => {
    const on = loadConfig("dev", (c) => {
      c.prometheus.scrapeJobs.vector = { ...c.prometheus.scrapeJobs.vector!, enabled: true };
      return c;
    });
    expect(jobs(on)).toContain("vector vector:8383");
  });

  it("promtool check config accepts the emitted prometheus.yml", async () => {
    const out = mkdtempSync(join(tmpdir(), "stacks-scrape-"));
    try {
      await runBuild({ content: REPO_CONTENT, out });
      const r = spawnSync("promtool", ["check", "config", join(out, "prometheus/prometheus.yml")], { encoding: "utf8" });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(readFileSync(join(out, "prometheus/prometheus.yml"), "utf8")).not.toContain(":8888");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
