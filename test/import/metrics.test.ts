// The catalog entries the importer suggests take the metric's type from how the queries use it, and
// say so where the exporter's name breaks the telemetry contract.
import { describe, expect, it } from "vitest";
import { MetricNames } from "../../src/import/idiomatic/metrics.js";
import { catalogIndex } from "../../src/model/catalog.js";

function suggest(exprs: string[]) {
  const names = new MetricNames(catalogIndex([]));
  exprs.forEach((e, i) => names.rewrite(e, `panel "P${i}" query A`));
  return { entries: names.entries(), exclusions: names.exclusions(), warnings: names.warnings().map((w) => w.message) };
}

describe("suggested catalog entries", () => {
  it("a series read through rate() is a counter even without _total, and the entry and the report say it breaks the contract", () => {
    const { entries, exclusions, warnings } = suggest(["rate(node_vmstat_pgfault[5m])", "node_load1"]);
    expect(entries.map((e) => [e.name, e.type])).toEqual([
      ["node_load1", "gauge"],
      ["node_vmstat_pgfault", "counter"],
    ]);
    expect(entries[1].assumed).toMatch(/without _total, against the telemetry contract/);
    expect(exclusions).toEqual([{ rule: "contract-counter-total", metric: "node_vmstat_pgfault", reason: expect.stringMatching(/without _total/) }]);
    expect(warnings.find((w) => w.includes("node_vmstat_pgfault"))).toMatch(/assumed: .*; and to lint-exclusions\.yaml .*rule: contract-counter-total/);
  });

  it("_total is a counter by name, a rated _sum/_count a histogram, a _bucket under histogram_quantile a histogram", () => {
    const { entries, exclusions } = suggest([
      "increase(requests_total[1h])",
      "rate(rpc_duration_seconds_sum[5m]) / rate(rpc_duration_seconds_count[5m])",
      "histogram_quantile(0.9, sum by (le) (rate(http_latency_seconds_bucket[5m])))",
    ]);
    expect(entries.map((e) => [e.name, e.type])).toEqual([
      ["http_latency_seconds", "histogram"],
      ["requests_total", "counter"],
      ["rpc_duration_seconds", "histogram"],
    ]);
    expect(entries[2].assumed).toMatch(/only its _sum and _count/);
    expect(exclusions).toEqual([]);
  });

  it("a duration not in seconds gets the exclusion of contract-duration-seconds", () => {
    expect(suggest(["rate(apache_duration_ms_total[5m])"]).exclusions).toEqual([
      { rule: "contract-duration-seconds", metric: "apache_duration_ms_total", reason: expect.stringMatching(/in ms, not seconds/) },
    ]);
  });
});
