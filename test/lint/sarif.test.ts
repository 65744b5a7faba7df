// --format sarif: valid against the published SARIF 2.1.0 schema (OASIS, vendored in schemas/), with
// rule metadata and help, and results on the lines of the dashboard file.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv-draft-04";
import { describe, expect, it } from "vitest";
import { formatSarif } from "../../src/lint/sarif.js";
import { REPO } from "./fixtures.js";
import { dashboard, lintJson, panel, SEL, target } from "./externalFixtures.js";

const schema = JSON.parse(readFileSync(join(REPO, "schemas/sarif-schema-2.1.0.json"), "utf8")) as object;
const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);

const d = dashboard([panel("Fixed range", "timeseries", [target(`sum(rate(http_requests_total{${SEL}}[5m]))`)])], { editable: true });

describe("SARIF", () => {
  it("is valid SARIF 2.1.0, and the schema rejects a broken log (the check can fail)", () => {
    const log = JSON.parse(formatSarif(lintJson(d), { version: "0.1.0" })) as { runs: { results: unknown[] }[] };
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const broken = structuredClone(log) as { runs: { results: { level: string }[] }[] };
    broken.runs[0].results[0].level = "fatal";
    expect(validate(broken)).toBe(false);
  });

  it("carries each rule's metadata (purpose, help, dashboard-linter name) and results at the file's lines", () => {
    const report = lintJson(d);
    const log = JSON.parse(formatSarif(report)) as {
      runs: { tool: { driver: { rules: { id: string; help: { text: string }; properties: { peerRule?: string[] } }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[]; properties: { peerRule?: string } }[] }[];
    };
    const run = log.runs[0];
    const rate = run.results.find((r) => r.ruleId === "target-rate-interval")!;
    expect(run.tool.driver.rules[rate.ruleIndex].id).toBe("target-rate-interval");
    expect(run.tool.driver.rules[rate.ruleIndex].properties.peerRule).toEqual(["target-rate-interval-rule"]);
    expect(run.tool.driver.rules[rate.ruleIndex].help.text).toContain("$__rate_interval");
    expect(rate).toMatchObject({ level: "error", properties: { peerRule: "target-rate-interval-rule" } });
    const finding = report.findings.find((f) => f.rule === "target-rate-interval")!;
    expect(rate.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "dashboards/ext-0.json" }, region: { startLine: finding.line } });
    expect(run.results).toHaveLength(report.findings.length);
  });
});
