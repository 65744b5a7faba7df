// What a successful build guarantees (docs/guarantees.md, "A successful build"), one regression test
// per check: each input below used to be emitted as is (or crashed), and now fails the build with a
// message naming the place, leaving the output tree untouched.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertRules } from "../../src/alerting/model.js";
import { ruleFileDocument } from "../../src/alerting/prometheusRules.js";
import { stableStringifyYaml } from "../../src/emit/stable.js";
import { BuildError, type Problem } from "../../src/errors.js";
import { runBuild } from "../../src/commands/build.js";
import { MAX_FILE_BYTES } from "../../src/validate/emittedFiles.js";
import { MAX_VALUE_DEPTH } from "../../src/validate/emittedValues.js";
import { baseJson, config, EXPR, panelJson, rowJson, type Json } from "./dashboards.js";
import { jsonDefinition, preloadedDir, snapshot } from "./preloaded.js";
import { REPO_CONTENT } from "../../scripts/content.js";

const root = mkdtempSync(join(tmpdir(), "invariants-build-"));
const out = join(root, "build");
let before: Record<string, string>;
afterAll(() => rmSync(root, { recursive: true, force: true }));

const good = () => {
  const d = baseJson("good");
  d.panels = [panelJson("Requests/s", { x: 0, y: 0, w: 12, h: 8 })];
  return d;
};

beforeAll(async () => {
  await runBuild({ content: REPO_CONTENT, out, config, dashboardsDir: preloadedDir({ "good.ts": jsonDefinition(good()) }), alertsDir: null, lint: false });
  before = snapshot(out);
  expect(Object.keys(before).length).toBeGreaterThan(3);
});

async function failing(dashboards: Json[], opts: Partial<Parameters<typeof runBuild>[0]> = {}): Promise<Problem[]> {
  const dir = preloadedDir(Object.fromEntries(dashboards.map((d, i) => [`d${i}.ts`, jsonDefinition(d)])));
  const err = await runBuild({ content: REPO_CONTENT, out, config, dashboardsDir: dir, alertsDir: null, lint: false, ...opts }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "the build should have failed").toBeInstanceOf(BuildError);
  expect(snapshot(out), "a failed build must leave the previous tree untouched").toEqual(before);
  return (err as BuildError).problems;
}

function withPanels(uid: string, ...panels: Json[]): Json {
  const d = baseJson(uid);
  d.panels = panels;
  return d;
}

describe("every number that reaches the output is finite", () => {
  it("a NaN threshold step names dashboard, panel and the field's path", async () => {
    const p = panelJson("Error ratio", { x: 0, y: 0, w: 12, h: 8 }, (x) => x.fieldConfig.defaults.thresholds.steps.push({ value: NaN, color: "red" }));
    const problems = await failing([withPanels("nan-step", p)]);
    expect(problems).toContainEqual(
      expect.objectContaining({ code: "bad-value", dashboardUid: "nan-step", panelTitle: "Error ratio", message: "fieldConfig.defaults.thresholds.steps[1].value is NaN; only finite numbers can be written" }),
    );
  });

  it("Infinity in max and -Infinity in min and decimals", async () => {
    const p = panelJson("Latency", { x: 0, y: 0, w: 12, h: 8 }, (x) => {
      x.fieldConfig.defaults.max = Infinity;
      x.fieldConfig.defaults.min = -Infinity;
      x.fieldConfig.defaults.decimals = NaN;
    });
    const messages = (await failing([withPanels("inf", p)])).filter((x) => x.code === "bad-value").map((x) => x.message);
    expect(messages.sort()).toEqual([
      "fieldConfig.defaults.decimals is NaN; only finite numbers can be written",
      "fieldConfig.defaults.max is Infinity; only finite numbers can be written",
      "fieldConfig.defaults.min is -Infinity; only finite numbers can be written",
    ]);
  });

  it("in a panel inside a collapsed row, and at dashboard level", async () => {
    const nested = panelJson("Hidden", { x: 0, y: 1, w: 12, h: 8 }, (x) => (x.options.custom = { level: -Infinity }));
    const d = withPanels("nested-inf", rowJson("Details", 0, [nested]));
    d.refresh_weight = NaN;
    const problems = (await failing([d])).filter((x) => x.code === "bad-value");
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ panelTitle: "Hidden", message: expect.stringMatching(/^options\.custom\.level is -Infinity/) }),
        expect.objectContaining({ dashboardUid: "nested-inf", message: expect.stringMatching(/^refresh_weight is NaN/) }),
      ]),
    );
    expect(problems.find((p) => p.message.startsWith("refresh_weight"))!.panelTitle).toBeUndefined();
  });

  it("the serialiser refuses a non-finite number that skipped the checks instead of writing null", async () => {
    const { stableStringifyJson, stableStringifyYaml } = await import("../../src/emit/stable.js");
    expect(() => stableStringifyJson({ a: [1, NaN] })).toThrow(/refusing to serialise NaN/);
    expect(() => stableStringifyYaml({ a: Infinity })).toThrow(/refusing to serialise Infinity/);
  });
});

it("counterexample: decimals -0 builds and is written as 0 (JSON has no negative zero; not a non-finite number)", async () => {
  const d = withPanels("neg-zero", panelJson("Zero", { x: 0, y: 0, w: 12, h: 8 }, (x) => (x.fieldConfig.defaults.decimals = -0)));
  const r = await runBuild({ content: REPO_CONTENT, out: join(root, "neg-zero"), config, dashboardsDir: preloadedDir({ "z.ts": jsonDefinition(d) }), alertsDir: null, lint: false });
  expect(r.files.find((f) => f.path.endsWith("neg-zero.json"))!.content).toContain('"decimals": 0,');
});

describe("every string is valid UTF-8", () => {
  it("a lone surrogate in a panel title is refused, not written as U+FFFD", async () => {
    const p = panelJson("Broken \uD800 title", { x: 0, y: 0, w: 12, h: 8 });
    const problems = await failing([withPanels("surrogate", p)]);
    expect(problems).toContainEqual(expect.objectContaining({ code: "bad-value", message: "title has a lone surrogate U+D800 at character 7, which is not valid UTF-8" }));
  });

  it("line and paragraph separators and astral characters are fine", async () => {
    const d = withPanels("unicode", panelJson("Line\u2028Para\u2029 😀 \uD83D\uDE00", { x: 0, y: 0, w: 12, h: 8 }));
    const dir = preloadedDir({ "u.ts": jsonDefinition(d) });
    const r = await runBuild({ content: REPO_CONTENT, out: join(root, "unicode"), config, dashboardsDir: dir, alertsDir: null, lint: false });
    expect(r.dashboards[0].json.panels![0].title).toBe("Line\u2028Para\u2029 😀 😀");
  });
});

describe("panels are inside the grid at every level", () => {
  it("a panel at x 20, w 12 inside a collapsed row", async () => {
    const d = withPanels("row-grid", rowJson("Details", 0, [panelJson("Too wide", { x: 20, y: 1, w: 12, h: 8 })]));
    const problems = await failing([d]);
    expect(problems).toContainEqual(
      expect.objectContaining({ code: "bad-gridpos", dashboardUid: "row-grid", panelTitle: "Too wide", message: 'gridPos {x:20, y:1, w:12, h:8} in row "Details" is outside the 24-column grid' }),
    );
  });

  it("overlapping panels inside a collapsed row, and a zero height", async () => {
    const d = withPanels(
      "row-overlap",
      rowJson("Details", 0, [panelJson("A", { x: 0, y: 1, w: 12, h: 8 }), panelJson("B", { x: 6, y: 4, w: 12, h: 8 }), panelJson("Flat", { x: 0, y: 20, w: 12, h: 0 })]),
    );
    const problems = await failing([d]);
    expect(problems).toContainEqual(expect.objectContaining({ code: "overlapping-panels", panelTitle: "B", message: 'gridPos in row "Details" overlaps panel "A"' }));
    expect(problems).toContainEqual(expect.objectContaining({ code: "bad-gridpos", panelTitle: "Flat" }));
  });

  it("a row inside a row (Grafana has one level)", async () => {
    const d = withPanels("row-row", rowJson("Outer", 0, [rowJson("Inner", 1, [panelJson("Deep", { x: 0, y: 2, w: 12, h: 8 })])]));
    const problems = await failing([d]);
    expect(problems).toContainEqual(expect.objectContaining({ code: "nested-row", panelTitle: "Inner", message: 'row inside row "Outer"; Grafana has one level of rows' }));
  });

  it("a collapsed row's panels may sit where the panels below the row are (they are hidden until it opens)", async () => {
    const d = withPanels("row-ok", rowJson("Details", 0, [panelJson("Hidden", { x: 0, y: 1, w: 12, h: 8 })]), panelJson("Below", { x: 0, y: 1, w: 12, h: 8 }));
    const r = await runBuild({ content: REPO_CONTENT, out: join(root, "row-ok"), config, dashboardsDir: preloadedDir({ "r.ts": jsonDefinition(d) }), alertsDir: null, lint: false });
    expect(r.stats.dashboards).toBe(1);
  });
});

describe("bounded resources", () => {
  it("a value nested deeper than the limit names the path where it stops", async () => {
    let deep: Json = { end: 1 };
    for (let i = 0; i < MAX_VALUE_DEPTH + 10; i++) deep = { n: deep };
    const p = panelJson("Deep", { x: 0, y: 0, w: 12, h: 8 }, (x) => (x.options.custom = deep));
    const problems = await failing([withPanels("deep", p)]);
    expect(problems).toContainEqual(expect.objectContaining({ code: "bad-value", panelTitle: "Deep", message: expect.stringMatching(new RegExp(`^options\\.custom(\\.n)+ is nested more than ${MAX_VALUE_DEPTH} levels deep$`)) }));
  });

  it("a dashboard whose file would exceed the size limit names its definition file", async () => {
    const p = panelJson("Huge", { x: 0, y: 0, w: 12, h: 8 }, (x) => (x.description = "x".repeat(MAX_FILE_BYTES)));
    const problems = await failing([withPanels("huge", p)]);
    // The ops index, which repeats the description, is over the limit too and is named as itself.
    expect(problems.filter((p) => p.file !== "build/ops/dashboards.json")).toEqual([
      expect.objectContaining({ code: "output-too-large", file: expect.stringMatching(/d0\.ts$/), message: expect.stringMatching(/^build\/grafana\/provisioning\/dashboards\/services\/huge\.json would be \d+ bytes; the limit is 4194304$/) }),
    ]);
  });
});

it("panels that are not a list, and a null panel, are schema problems rather than a crash", async () => {
  const d = withPanels("odd-panels");
  d.panels = { first: panelJson("A", { x: 0, y: 0, w: 12, h: 8 }) };
  const e = withPanels("null-panel", null as unknown as Json, rowJson("R", 0, 7 as unknown as Json[]), rowJson("S", 1, [null as unknown as Json]));
  const problems = await failing([d, e]);
  expect(problems).toContainEqual(expect.objectContaining({ code: "schema", dashboardUid: "odd-panels", message: expect.stringMatching(/^\/panels: must be array/) }));
  expect(problems).toContainEqual(expect.objectContaining({ code: "schema", dashboardUid: "null-panel", message: expect.stringMatching(/^\/panels\/0: /) }));
});

describe("unique uids", () => {
  it("two dashboards with one uid in different folders (compared as Grafana does, ignoring case)", async () => {
    const a = { ...jsonDefinition(withPanels("Same-Uid", panelJson("A", { x: 0, y: 0, w: 12, h: 8 }))), folder: "services" };
    const b = { ...jsonDefinition(withPanels("same-uid", panelJson("B", { x: 0, y: 0, w: 12, h: 8 }))), folder: "ml" };
    const err = await runBuild({ content: REPO_CONTENT, out, config, dashboardsDir: preloadedDir({ "a.ts": a, "b.ts": b }), alertsDir: null, lint: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildError);
    const [dup] = (err as BuildError).problems.filter((p) => p.code === "duplicate-uid");
    // One definition is named as the place, the other in the message.
    expect([dup.file, dup.message].join(" ")).toMatch(/a\.ts.*b\.ts|b\.ts.*a\.ts/);
    expect(snapshot(out)).toEqual(before);
  });
});

describe("alerts", () => {
  const runbooks = mkdtempSync(join(tmpdir(), "runbooks-"));
  writeFileSync(join(runbooks, "ApiDown.md"), "# ApiDown\n");
  const alert = (over: Record<string, unknown> = {}) => ({
    name: "ApiDown",
    severity: "critical",
    expr: 'up{job="fastapi"} == 0',
    for: "5m",
    summary: "{{ $labels.job }} is down",
    description: "{{ $labels.instance }} has been down for 5 minutes.",
    dashboard: { dashboard: "good", panel: "Requests/s" },
    ...over,
  });
  const group = (alerts: unknown[]) => ({ kind: "alert-group", name: "api", alerts: () => alerts });

  for (const mode of ["prometheus", "grafana", "both"] as const) {
    it(`the same alert name twice in one group is refused (alerting.mode ${mode})`, async () => {
      const alerts = preloadedDir({ "api.ts": group([alert(), alert({ expr: 'up{job="fastapi"} < 1' })]) }, "alerts-");
      const problems = await failing([good()], { alertsDir: alerts, runbooksDir: runbooks, config: { ...config, alerting: { ...config.alerting, mode } } });
      expect(problems).toContainEqual(
        expect.objectContaining({ code: "duplicate-alert", rule: "ApiDown", file: expect.stringMatching(/api\.ts$/), message: expect.stringMatching(/^alert "ApiDown" is defined twice in group "api": rule #1 and rule #2 of .*api\.ts$/) }),
      );
    });
  }

  it.skipIf(spawnSync("promtool", ["--version"]).status !== 0)("promtool agrees: the rule file such a group would give fails its duplicate-rules lint", () => {
    const rule = { kind: "alert" as const, name: "ApiDown", expr: "up == 0", for: "5m", labels: { severity: "critical" as const }, annotations: {}, dashboard: { dashboard: "good", panel: "Requests/s" } };
    const group = { name: "api", file: "alerts/api.ts", rules: [rule, { ...rule, expr: "up < 1" }] };
    const file = join(root, "dup.yaml");
    writeFileSync(file, stableStringifyYaml(ruleFileDocument(group, true)));
    const r = spawnSync("promtool", ["check", "rules", "--lint=all", "--lint-fatal", file], { encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/duplicate rule/);
  });

  it("an annotation calling a function Prometheus does not have", async () => {
    const alerts = preloadedDir({ "api.ts": group([alert({ description: "{{ $value | humanizeFoo }} down" })]) }, "alerts-");
    const problems = await failing([good()], { alertsDir: alerts, runbooksDir: runbooks });
    expect(problems).toContainEqual(expect.objectContaining({ code: "bad-template", rule: "ApiDown", message: expect.stringMatching(/^annotation description: function "humanizeFoo" not defined/) }));
  });

  it("a valid group builds, and its rule file names each alert once", async () => {
    const alerts = preloadedDir({ "api.ts": group([alert()]) }, "alerts-");
    const r = await runBuild({ content: REPO_CONTENT, out: join(root, "alerts-ok"), config, dashboardsDir: preloadedDir({ "g.ts": jsonDefinition(good()) }), alertsDir: alerts, runbooksDir: runbooks, lint: false });
    expect(alertRules(r.alerting!.groups).map((a) => a.rule.name)).toEqual(["ApiDown"]);
  });
});

it("the base dashboards of these tests are valid", () => {
  expect(EXPR).toContain("http_requests_total");
});
