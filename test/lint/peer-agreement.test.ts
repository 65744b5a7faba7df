// For each grafana/dashboard-linter rule, a dashboard built from the cases its docs and source
// describe, and the panels/targets that tool flags on it (worked out from its rule, not from our
// output): the findings carrying that peerRule must be exactly those.
import { describe, expect, it } from "vitest";
import { PEER_RULES } from "../../src/lint/peers.js";
import { RULES } from "../../src/lint/registry.js";
import { dashboard, dsVar, lintJson, panel, queryVar, SEL, target, type Json } from "./externalFixtures.js";

/** [panel or variable, target index] of the findings a peer rule carries, deduplicated. */
function flagged(json: Json, peer: string): [string | null, number | null][] {
  const f = lintJson(json).findings.filter((x) => x.peerRule === peer);
  const keys = [...new Set(f.map((x) => JSON.stringify([x.panelTitle ?? null, x.targetIndex ?? null])))];
  return keys.map((k) => JSON.parse(k) as [string | null, number | null]).sort((a, b) => String(a).localeCompare(String(b)));
}

const ok = (title: string, expr = `sum(rate(http_requests_total{${SEL}}[$__rate_interval]))`) => panel(title, "timeseries", [target(expr)]);
const LOKI = { type: "loki", uid: "${loki_datasource}" };
const withLoki = (panels: Json[]) =>
  dashboard(panels, { templating: { list: [dsVar("prometheus_datasource", "prometheus"), dsVar("loki_datasource", "loki"), queryVar("job", { datasource: { type: "prometheus", uid: "${prometheus_datasource}" } }), queryVar("instance", { datasource: { type: "prometheus", uid: "${prometheus_datasource}" } })] } });

describe("dashboard-linter's rules, each covered by one of ours", () => {
  it("every one of its 17 rules has exactly one rule of ours", () => {
    expect(PEER_RULES).toHaveLength(17);
    for (const p of PEER_RULES) expect(RULES.filter((r) => r.peers?.includes(p.name)).length, p.name).toBe(1);
  });

  it("a clean dashboard: no rule flags anything", () => {
    const f = lintJson(dashboard([ok("Requests")])).findings.filter((x) => x.peerRule);
    expect(f).toEqual([]);
  });
});

describe("same panels and targets flagged as dashboard-linter", () => {
  it("template-datasource-rule: no datasource variable; several named other than <type>_datasource", () => {
    expect(flagged(dashboard([ok("A")], { templating: { list: [queryVar("job"), queryVar("instance")] } }), "template-datasource-rule")).toEqual([[null, null]]);
    const two = withLoki([ok("A")]);
    (two.templating as { list: Json[] }).list[0].name = "datasource";
    expect(flagged(two, "template-datasource-rule")).toEqual([["variable $datasource", null]]);
  });

  it("template-job-rule: single-select, allValue .*", () => {
    const d = dashboard([ok("A")], { templating: { list: [dsVar("datasource", "prometheus"), queryVar("job", { multi: false, allValue: ".*" }), queryVar("instance")] } });
    expect(flagged(d, "template-job-rule")).toEqual([["variable $job", null]]);
    expect(lintJson(d).findings.filter((x) => x.peerRule === "template-job-rule")).toHaveLength(2);
  });

  it("template-instance-rule: missing; not on a dashboard whose first datasource variable is not Prometheus", () => {
    const missing = dashboard([ok("A")], { templating: { list: [dsVar("datasource", "prometheus"), queryVar("job")] } });
    expect(flagged(missing, "template-instance-rule")).toEqual([["variable $instance", null]]);
    const lokiFirst = dashboard([panel("Logs", "logs", [target('{job="a"}', { datasource: { type: "loki", uid: "${datasource}" } })], { datasource: { type: "loki", uid: "${datasource}" } })], {
      templating: { list: [dsVar("datasource", "loki")] },
    });
    expect(flagged(lokiFirst, "template-instance-rule")).toEqual([]);
  });

  it("template-label-promql-rule: a variable query that is no Prometheus variable function", () => {
    const d = dashboard([ok("A")], { templating: { list: [dsVar("datasource", "prometheus"), queryVar("job"), queryVar("instance"), queryVar("pod", { query: "pods(up)" })] } });
    expect(flagged(d, "template-label-promql-rule")).toEqual([["variable $pod", null]]);
  });

  it("template-on-time-change-reload-rule: a query variable refreshed on load", () => {
    const d = dashboard([ok("A")], { templating: { list: [dsVar("datasource", "prometheus"), queryVar("job", { refresh: 1 }), queryVar("instance")] } });
    expect(flagged(d, "template-on-time-change-reload-rule")).toEqual([["variable $job", null]]);
  });

  it("panel-datasource-rule: a timeseries on a fixed Loki uid; not a logs panel (outside its panel types)", () => {
    const fixed = { type: "loki", uid: "loki" };
    const d = withLoki([
      panel("Lines", "timeseries", [target('sum(count_over_time({job="a"}[$__auto]))', { datasource: fixed })], { datasource: fixed }),
      panel("Logs", "logs", [target('{job="a"}', { datasource: fixed })], { datasource: fixed }),
      panel("Good", "timeseries", [target('sum(count_over_time({job="a"}[$__auto]))', { datasource: LOKI })], { datasource: LOKI }),
    ]);
    expect(flagged(d, "panel-datasource-rule")).toEqual([["Lines", null]]);
  });

  it("panel-title-description-rule: a stat without description; not a text panel", () => {
    const d = dashboard([ok("A"), panel("No words", "stat", [target(`sum(up{${SEL}})`)], { description: "" }), panel("Note", "text", undefined, { description: "" })]);
    expect(flagged(d, "panel-title-description-rule")).toEqual([["No words", null]]);
  });

  it("panel-units-rule: a timeseries with an unknown unit", () => {
    const d = dashboard([ok("A"), panel("Odd unit", "timeseries", [target(`sum(up{${SEL}})`)], { fieldConfig: { defaults: { unit: "furlongs" }, overrides: [] } })]);
    expect(flagged(d, "panel-units-rule")).toEqual([["Odd unit", null]]);
  });

  it("panel-no-targets-rule: a graph panel without targets; an empty list is not flagged by it", () => {
    const d = dashboard([ok("A"), panel("Nothing", "timeseries", undefined), panel("Empty", "timeseries", [])]);
    expect(flagged(d, "panel-no-targets-rule")).toEqual([["Nothing", null]]);
  });

  it("target-promql-rule: the second target of a panel does not parse", () => {
    const d = dashboard([panel("Two", "timeseries", [target(`sum(up{${SEL}})`), target(`sum(up{${SEL}}`)])]);
    expect(flagged(d, "target-promql-rule")).toEqual([["Two", 1]]);
  });

  it("target-logql-rule: a Loki target that does not parse", () => {
    const d = withLoki([panel("Broken", "timeseries", [target('sum(count_over_time({job="a"[$__auto]))', { datasource: LOKI })], { datasource: LOKI })]);
    expect(flagged(d, "target-logql-rule")).toEqual([["Broken", 0]]);
  });

  it("target-logql-auto-rule: a fixed log range; $__auto passes", () => {
    const d = withLoki([
      panel("Fixed", "timeseries", [target('sum(count_over_time({job="a"}[5m]))', { datasource: LOKI })], { datasource: LOKI }),
      panel("Auto", "timeseries", [target('sum(count_over_time({job="a"}[$__auto]))', { datasource: LOKI })], { datasource: LOKI }),
    ]);
    expect(flagged(d, "target-logql-auto-rule")).toEqual([["Fixed", 0]]);
  });

  it("target-rate-interval-rule: rate over [5m]; increase over [1h] is allowed by it", () => {
    const d = dashboard([ok("Fixed", `sum(rate(http_requests_total{${SEL}}[5m]))`), ok("Increase", `sum(increase(http_requests_total{${SEL}}[1h]))`)]);
    expect(flagged(d, "target-rate-interval-rule")).toEqual([["Fixed", 0]]);
  });

  it("target-job-rule and target-instance-rule: a selector without them", () => {
    const d = dashboard([ok("No job", 'sum(up{instance=~"$instance"})'), ok("No instance", 'sum(up{job=~"$job"})')]);
    expect(flagged(d, "target-job-rule")).toEqual([["No job", 0]]);
    expect(flagged(d, "target-instance-rule")).toEqual([["No instance", 0]]);
  });

  it("target-counter-agg-rule: a bare _total counter outside rate()", () => {
    const d = dashboard([ok("Raw", "sum(http_requests_total)"), ok("Rated", `sum(rate(http_requests_total{${SEL}}[$__rate_interval]))`)]);
    expect(flagged(d, "target-counter-agg-rule")).toEqual([["Raw", 0]]);
  });

  it("uneditable-dashboard: editable true; a missing field is not flagged by it", () => {
    expect(flagged(dashboard([ok("A")], { editable: true }), "uneditable-dashboard")).toEqual([[null, null]]);
    const unset = dashboard([ok("A")]);
    delete unset.editable;
    expect(flagged(unset, "uneditable-dashboard")).toEqual([]);
    expect(lintJson(unset).findings.filter((f) => f.rule === "dashboard-editable")).toHaveLength(1);
  });
});
