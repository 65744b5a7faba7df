// --fix rewrites the mechanical findings in the file's own text: key order, indentation and every
// other byte kept; a second run changes nothing.
import { describe, expect, it } from "vitest";
import type { ExternalDashboard } from "../../src/lint/external.js";
import { fixDashboard, withRateInterval } from "../../src/lint/fix.js";
import { lintExternal } from "../../src/lint/externalLint.js";
import { REPO_CONTENT } from "../../scripts/content.js";
import { REPO } from "./fixtures.js";

const SEL = 'job=~\\"$job\\", instance=~\\"$instance\\"';

// Four-space indentation, keys in an order no serializer would pick, one value written compactly.
const BEFORE = `{
    "title": "Theirs",
    "uid": "theirs",
    "editable": true,
    "panels": [
        {
            "type": "timeseries",
            "title": "Requests",
            "id": 1,
            "description": "Requests per second.",
            "gridPos": {"h": 8, "w": 12, "x": 0, "y": 0},
            "fieldConfig": { "defaults": { "unit": "reqps" }, "overrides": [] },
            "datasource": { "type": "prometheus", "uid": "\${datasource}" },
            "targets": [
                { "refId": "A", "expr": "sum(rate(http_requests_total{${SEL}}[5m]))", "datasource": { "type": "prometheus", "uid": "\${datasource}" } }
            ]
        },
        {
            "type": "timeseries",
            "title": "Log lines",
            "id": 2,
            "description": "Log lines per interval.",
            "gridPos": {"h": 8, "w": 12, "x": 12, "y": 0},
            "fieldConfig": { "defaults": { "unit": "short" }, "overrides": [] },
            "datasource": { "type": "loki", "uid": "loki-main" },
            "targets": [
                { "refId": "A", "expr": "sum(count_over_time({job=\\"app\\"}[$__auto]))", "datasource": { "type": "loki", "uid": "loki-main" } }
            ]
        }
    ],
    "templating": {
        "list": [
            { "name": "datasource", "type": "datasource", "query": "prometheus", "label": "Data source" },
            { "name": "job", "type": "query", "label": "Job", "datasource": { "type": "prometheus", "uid": "\${datasource}" }, "query": "label_values(up, job)", "refresh": 1 },
            { "name": "instance", "type": "query", "label": "Instance", "datasource": { "type": "prometheus", "uid": "\${datasource}" }, "query": "label_values(up{job=~\\"$job\\"}, instance)", "refresh": 2, "multi": true, "includeAll": true, "allValue": ".*" }
        ]
    },
    "schemaVersion": 39
}
`;

const asExternal = (text: string): ExternalDashboard => ({ file: "theirs.json", text, form: "export", pointer: "", json: JSON.parse(text) as Record<string, unknown> });
const lint = (text: string) => lintExternal({ dashboards: [asExternal(text)], repoRoot: REPO, content: REPO_CONTENT });
const fix = (text: string) => fixDashboard(asExternal(text), lint(text).findings);

describe("--fix", () => {
  it("rewrites only the values it fixes, in place, and adds what is missing after the last key", () => {
    const { text, changes } = fix(BEFORE);
    const expected = BEFORE.replace('"editable": true', '"editable": false')
      .replace("[5m]", "[$__rate_interval]")
      .replace('"uid": "loki-main" },\n            "targets"', '"uid": "${loki_datasource}" },\n            "targets"')
      .replace('"expr": "sum(count_over_time({job=\\"app\\"}[$__auto]))", "datasource": { "type": "loki", "uid": "loki-main" }', '"expr": "sum(count_over_time({job=\\"app\\"}[$__auto]))", "datasource": { "type": "loki", "uid": "${loki_datasource}" }')
      .replace('"query": "label_values(up, job)", "refresh": 1 }', '"query": "label_values(up, job)", "refresh": 2, "multi": true, "allValue": ".+" }')
      .replace('"allValue": ".*" }', '"allValue": ".+" },\n            {\n                "current": {\n                    "text": "loki-main",\n                    "value": "loki-main"\n                },\n                "hide": 0,\n                "label": "Loki data source",\n                "name": "loki_datasource",\n                "query": "loki",\n                "refresh": 1,\n                "type": "datasource"\n            }');
    expect(text).toBe(expected);
    expect(changes.map((c) => c.rule)).toEqual(expect.arrayContaining(["dashboard-editable", "target-rate-interval", "panel-datasource", "template-job-instance", "template-refresh"]));
    expect(changes.find((c) => c.rule === "dashboard-editable")).toMatchObject({ line: 4 });
  });

  it("is idempotent: the fixed file has none of those findings, and a second run changes nothing", () => {
    const once = fix(BEFORE).text;
    const left = lint(once).findings.filter((f) => ["dashboard-editable", "target-rate-interval", "template-refresh"].includes(f.rule) || (f.rule === "panel-datasource") || (f.rule === "template-job-instance" && /multi|allValue/.test(f.message)));
    expect(left.filter((f) => f.rule !== "template-datasource")).toEqual([]);
    const twice = fix(once);
    expect(twice.text).toBe(once);
    expect(twice.changes).toEqual([]);
  });

  it("keeps a minified file minified", () => {
    const min = JSON.stringify(JSON.parse(BEFORE));
    const { text } = fix(min);
    expect(text).not.toContain("\n");
    expect(JSON.parse(text)).toMatchObject({ editable: false });
  });

  it("rate ranges: only rate()/irate() ranges that are not $__rate_interval", () => {
    expect(withRateInterval("sum(rate(a_total[5m])) / sum(irate(b_total{x=\"1\"}[1m])) + increase(c_total[1h]) + rate(d_total[$__rate_interval])")).toBe(
      "sum(rate(a_total[$__rate_interval])) / sum(irate(b_total{x=\"1\"}[$__rate_interval])) + increase(c_total[1h]) + rate(d_total[$__rate_interval])",
    );
  });
});
