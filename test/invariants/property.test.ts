// The build's promise, for generated input: either it fails with problems that each name a place
// and the output tree is left as it was, or everything it wrote holds the invariants of
// docs/guarantees.md ("A successful build"): finite numbers, valid UTF-8, panels inside the grid at
// every level, unique dashboard and folder uids, rule files promtool accepts.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { parse } from "yaml";
import { BuildError, UserError } from "../../src/errors.js";
import { runBuild } from "../../src/commands/build.js";
import { budget, FUZZ_TIMEOUT } from "./budget.js";
import { baseJson, config, panelJson, rowJson, type Json } from "./dashboards.js";
import { jsonDefinition, preloadedDir, snapshot } from "./preloaded.js";
import { REPO_CONTENT } from "../../scripts/content.js";

const root = mkdtempSync(join(tmpdir(), "invariants-prop-"));
const out = join(root, "build");
const runbooks = join(root, "runbooks");
afterAll(() => rmSync(root, { recursive: true, force: true }));
const hasPromtool = spawnSync("promtool", ["--version"]).status === 0;
if (!hasPromtool) console.warn("promtool not found: generated rule files are not checked with it");

// ---- generators ----------------------------------------------------------------------------------

/** Titles from all of Unicode, with lone surrogates and line/paragraph separators mixed in. */
const char = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz ABC0123456789/-_()%") },
  { weight: 4, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom("\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\u2028", "\u2029", "\u0000", "\n", '"', "\\", "😀") },
);
const title = fc.string({ unit: char, minLength: 1, maxLength: 12 });

const number = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, Number.MAX_VALUE, -Number.MAX_VALUE, 1e308, 5e-324, -0),
);
const unit = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("s", "ms", "bytes", "KiBs", "MiBs", "Gibits", "sishort", "reqps", "reqpm", "percentunit", "short", "suffix: req", "currency:EUR") },
  fc.constantFrom("seconds", "Bytes", "", "req/s"),
  fc.oneof(fc.integer(), fc.constant({ id: "s" })),
);
const gridPos = fc.record({
  x: fc.oneof({ weight: 30, arbitrary: fc.integer({ min: 0, max: 23 }) }, fc.constantFrom(-1, 24, 30, 1.5)),
  y: fc.oneof({ weight: 30, arbitrary: fc.integer({ min: 0, max: 40 }) }, fc.constantFrom(-1, 0.5)),
  w: fc.oneof({ weight: 30, arbitrary: fc.integer({ min: 1, max: 24 }) }, fc.constantFrom(0, -2, 25, 2.5)),
  h: fc.oneof({ weight: 30, arbitrary: fc.integer({ min: 1, max: 12 }) }, fc.constantFrom(0, -1)),
});
const panelSpec = fc.record(
  {
    kind: fc.constantFrom("stat", "timeseries", "gauge", "bargauge"),
    title,
    unit,
    steps: fc.array(number, { maxLength: 2 }),
    max: number,
    min: number,
    decimals: number,
    gridPos,
  },
  { requiredKeys: ["kind", "title", "unit", "steps", "gridPos"] },
);
type PanelSpec = typeof panelSpec extends fc.Arbitrary<infer T> ? T : never;
const makePanel = (s: PanelSpec): Json =>
  panelJson(s.title, s.gridPos, (p) => {
    p.type = s.kind;
    p.fieldConfig.defaults.unit = s.unit;
    p.fieldConfig.defaults.thresholds.steps.push(...s.steps.map((value: number, i: number) => ({ value, color: ["orange", "red", "purple"][i] })));
    for (const k of ["max", "min", "decimals"] as const) if (s[k] !== undefined) p.fieldConfig.defaults[k] = s[k];
  });
const item = fc.oneof(
  { weight: 3, arbitrary: panelSpec.map((s) => [makePanel(s)]) },
  // a collapsed row with its panels at arbitrary places, or an open row followed by its panels
  fc.record({ title, y: fc.integer({ min: 0, max: 40 }), collapsed: fc.boolean(), panels: fc.array(panelSpec, { maxLength: 3 }) }).map((r) =>
    r.collapsed ? [rowJson(r.title, r.y, r.panels.map(makePanel), true)] : [rowJson(r.title, r.y, [], false), ...r.panels.map(makePanel)],
  ),
);
const dashboardSpec = fc.record({
  uid: fc.oneof({ weight: 4, arbitrary: fc.uuid().map((u) => `gen-${u.slice(0, 8)}`) }, fc.constantFrom("gen-a", "GEN-A")),
  title,
  folder: fc.constantFrom("services", "ml", "overview"),
  layout: fc.oneof({ weight: 3, arbitrary: fc.constant("flow" as const) }, fc.constant("manual" as const)),
  items: fc.array(item, { maxLength: 4 }),
});

const fn = fc.oneof({ weight: 4, arbitrary: fc.constantFrom("humanize", "humanizePercentage", "humanizeDuration", "toUpper", "title") }, fc.constantFrom("humanizeFoo", "toDuration"));
const template = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom("{{ $labels.job }}", "{{ $labels.instance }} ", "text ", "{{ if gt $value 1.0 }}high{{ end }}") },
    fc.constant("{{"),
    { weight: 3, arbitrary: fn.map((f) => `{{ $value | ${f} }}`) },
  ),
  { minLength: 1, maxLength: 4 },
).map((p) => p.join(""));
const alertGroup = fc.record({
  names: fc.oneof({ weight: 3, arbitrary: fc.constant(["GenAlertOne", "GenAlertTwo"]) }, fc.array(fc.constantFrom("GenAlertOne", "GenAlertTwo"), { minLength: 1, maxLength: 3 })) as fc.Arbitrary<string[]>,
  summary: template,
  description: template,
});

// ---- the invariants of a written tree --------------------------------------------------------------

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith("."))
    .map((e) => join(e.parentPath, e.name));
}

function numbersOf(v: unknown, path: string, out: [string, number][] = []): [string, number][] {
  if (typeof v === "number") out.push([path, v]);
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) numbersOf(x, `${path}.${k}`, out);
  return out;
}

/** x + w within 24 columns, positive integer sizes, no two panels of one level overlapping. */
function gridProblems(panels: Json[], level: string): string[] {
  const problems: string[] = [];
  const boxes: Json[] = [];
  for (const p of panels) {
    const g = p.gridPos ?? {};
    const { x = 0, y, w, h } = g;
    if (![x, y, w, h].every(Number.isInteger) || x < 0 || y < 0 || w < 1 || h < 1 || x + w > 24) problems.push(`${level}: ${JSON.stringify(g)} off the grid`);
    if (boxes.some((b) => b.x < x + w && x < b.x + b.w && b.y < y + h && y < b.y + b.h)) problems.push(`${level}: ${JSON.stringify(g)} overlaps`);
    boxes.push({ x, y, w, h });
    if (p.type === "row" && Array.isArray(p.panels)) problems.push(...gridProblems(p.panels, `${level} row ${JSON.stringify(p.title)}`));
  }
  return problems;
}

function checkTree(result: Awaited<ReturnType<typeof runBuild>>) {
  const built = new Map(result.files.map((f) => [f.path, f.content]));
  const dashboardUids: string[] = [];
  for (const f of files(out)) {
    const rel = f.slice(out.length + 1);
    const bytes = readFileSync(f);
    const text = bytes.toString("utf8");
    // valid UTF-8: the bytes decode to exactly what was built, and that holds no lone surrogate
    expect(text, rel).toBe(built.get(rel));
    expect(LONE_SURROGATE.test(text), `${rel} has a lone surrogate`).toBe(false);
    // dashboards only: the ops index and access.json are JSON of their own shape
    if (!rel.startsWith("grafana/provisioning/dashboards/") || !rel.endsWith(".json")) continue;
    const json = JSON.parse(text) as Json;
    const inMemory = result.dashboards.find((d) => d.json.uid === json.uid)!.json;
    // finite numbers: nothing turned into null on the way out (a non-finite number would stay a
    // marker string here and differ from the null JSON writes for it)
    const marked = JSON.parse(JSON.stringify(inMemory, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? `non-finite ${v}` : v)));
    expect(json, rel).toEqual(marked);
    for (const [path, n] of numbersOf(inMemory, rel)) expect(Number.isFinite(n), `${path} = ${n}`).toBe(true);
    expect(gridProblems(json.panels ?? [], rel)).toEqual([]);
    dashboardUids.push(String(json.uid).toLowerCase());
  }
  expect(new Set(dashboardUids).size).toBe(dashboardUids.length);
  const providers = parse(readFileSync(join(out, "grafana/provisioning/dashboards/dashboards.yaml"), "utf8")) as Json;
  const folderUids = providers.providers.map((p: Json) => p.folderUid);
  expect(new Set(folderUids).size).toBe(folderUids.length);
}

let runs = 0;
const outcomes = { built: 0, refused: 0, promtool: 0 };
const codes = new Map<string, number>();
afterAll(() => process.env.FUZZ_CODES && console.log([...codes].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join("\n")));
afterAll(() => console.log(`generated builds: ${outcomes.built} written, ${outcomes.refused} refused, ${outcomes.promtool} checked with promtool`));

describe("generated definitions", () => {
  beforeAll(async () => {
    await runBuild({ content: REPO_CONTENT, out, config, dashboardsDir: preloadedDir({ "good.ts": jsonDefinition(good()) }), alertsDir: null, lint: false });
    mkdirSync(runbooks, { recursive: true });
    for (const n of ["GenAlertOne", "GenAlertTwo"]) writeFileSync(join(runbooks, `${n}.md`), `# ${n}\n`);
  });

  test.prop([fc.array(dashboardSpec, { minLength: 1, maxLength: 2 }), fc.option(alertGroup, { nil: undefined })], budget(30))(
    "fail with located problems and nothing written, or write a tree that holds the invariants",
    async (specs, alerts) => {
      runs++;
      const defs = [
        jsonDefinition(good()),
        ...specs.map((s) => {
          const d = baseJson(s.uid, s.title);
          d.panels = s.items.flat();
          return jsonDefinition(d, { folder: s.folder, layout: s.layout });
        }),
      ];
      const alertsDir = alerts
        ? preloadedDir(
            {
              "gen.ts": {
                kind: "alert-group",
                name: "gen",
                alerts: () =>
                  alerts.names.map((name) => ({
                    name,
                    severity: "warning",
                    expr: 'up{job="fastapi"} == 0',
                    for: "5m",
                    summary: alerts.summary,
                    description: alerts.description,
                    dashboard: { dashboard: "good", panel: "Requests/s" },
                  })),
              },
            },
            "alerts-",
          )
        : null;
      const before = snapshot(out);
      let result;
      try {
        result = await runBuild({ content: REPO_CONTENT, out, config, dashboardsDir: preloadedDir({ "gen.ts": defs }), alertsDir, runbooksDir: runbooks, lint: false });
      } catch (e) {
        if (!(e instanceof BuildError) && !(e instanceof UserError)) throw e;
        if (e instanceof BuildError) {
          for (const c of new Set(e.problems.map((p) => (process.env.FUZZ_CODES === "full" ? `${p.code}: ${p.message.slice(0, 100)}` : p.code)))) codes.set(c, (codes.get(c) ?? 0) + 1);
          for (const p of e.problems) {
            expect(p.file, p.message).toBeTruthy();
            expect(p.message.trim().length).toBeGreaterThan(0);
          }
        }
        expect(snapshot(out), "a failed build leaves the tree as it was").toEqual(before);
        outcomes.refused++;
        return;
      }
      checkTree(result);
      outcomes.built++;
      // promtool on a sample of the successful builds with rules (it costs a process start)
      const rules = files(out).filter((f) => f.includes("/prometheus/rules/"));
      if (hasPromtool && rules.length && runs % 3 === 0) {
        const r = spawnSync("promtool", ["check", "rules", ...rules], { encoding: "utf8" });
        expect(r.status, r.stdout + r.stderr).toBe(0);
        outcomes.promtool++;
      }
    },
    FUZZ_TIMEOUT,
  );
});

function good(): Json {
  const d = baseJson("good");
  d.panels = [panelJson("Requests/s", { x: 0, y: 0, w: 12, h: 8 })];
  return d;
}
