// Broken definitions must stop the build with a named error, and leave the previous tree untouched.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../config/index.js";
import { datasources } from "../../datasources/index.js";
import { BuildError, EXIT, UserError, type Problem } from "../../src/errors.js";
import { runBuild } from "../../src/commands/build.js";
import { definitionsDir, validDashboard } from "../fixtures/definitions.js";
import { REPO_CONTENT } from "../../scripts/content.js";

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[p.slice(dir.length)] = readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

let out: string;
let before: Record<string, string>;

beforeAll(async () => {
  out = join(mkdtempSync(join(tmpdir(), "out-")), "build");
  await runBuild({ content: REPO_CONTENT, out, dashboardsDir: definitionsDir({ "ok.ts": validDashboard("good-one") }), referenceSchemas: false });
  before = snapshot(out);
  expect(Object.keys(before).length).toBeGreaterThan(3);
});
afterAll(() => rmSync(join(out, ".."), { recursive: true, force: true }));

async function failing(opts: Partial<Parameters<typeof runBuild>[0]>): Promise<Problem[]> {
  const err = await runBuild({ content: REPO_CONTENT, out, referenceSchemas: false, ...opts }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "the build should have failed").toBeInstanceOf(BuildError);
  expect(snapshot(out), "a failed build must leave the previous tree untouched").toEqual(before);
  return (err as BuildError).problems;
}

const panelWith = (uid: string, panel: string, extra = "") => `
export default defineDashboard({
  uid: "${uid}", folder: "services", ${extra}
  build: (ctx) => baseDashboard(ctx, { uid: "${uid}", title: "T", description: "d" })
    .variables([datasourceVariable()])
    .withPanel(${panel}),
});
`;

describe("broken definitions are rejected with a named error and nothing written", () => {
  it("bad PromQL syntax, with the column", async () => {
    const problems = await failing({ dashboardsDir: definitionsDir({ "a.ts": validDashboard("bad-promql", "sum(rate(x_total[5m])") }) });
    expect(problems[0]).toMatchObject({ code: "bad-promql", dashboardUid: "bad-promql", panelTitle: "Requests/s", refId: "A", file: expect.stringContaining("a.ts") });
    expect(problems[0].message).toMatch(/column \d+/);
  });

  it("range function without a range", async () => {
    const problems = await failing({ dashboardsDir: definitionsDir({ "a.ts": validDashboard("no-range", "rate(http_requests_total)") }) });
    expect(problems[0]).toMatchObject({ code: "bad-promql" });
    expect(problems[0].message).toMatch(/range vector/);
  });

  it("bad LogQL", async () => {
    const problems = await failing({
      dashboardsDir: definitionsDir({
        "a.ts": panelWith("bad-logql", `logsPanel({ title: "Logs", description: "d", targets: [logql('{service="app" | json')] })`),
      }),
    });
    expect(problems.map((p) => p.code)).toContain("bad-logql");
    expect(problems.find((p) => p.code === "bad-logql")).toMatchObject({ panelTitle: "Logs", refId: "A" });
  });

  it("duplicate dashboard uid across files", async () => {
    const problems = await failing({ dashboardsDir: definitionsDir({ "a.ts": validDashboard("same-uid"), "b.ts": validDashboard("same-uid") }) });
    expect(problems).toContainEqual(expect.objectContaining({ code: "duplicate-uid", dashboardUid: "same-uid" }));
  });

  it("uid longer than Grafana's 40 characters", async () => {
    const uid = "x".repeat(41);
    const problems = await failing({ dashboardsDir: definitionsDir({ "a.ts": validDashboard(uid) }) });
    expect(problems[0]).toMatchObject({ code: "bad-definition" });
    expect(problems[0].message).toMatch(/40/);
  });

  it("unknown datasource uid", async () => {
    const panel = `timeseriesPanel({ title: "P", unit: "s", description: "d", targets: [new prometheus.DataqueryBuilder().datasource({ type: "prometheus", uid: "nope" }).expr("up")] })`;
    const problems = await failing({ dashboardsDir: definitionsDir({ "a.ts": panelWith("unknown-ds", panel) }) });
    expect(problems).toContainEqual(expect.objectContaining({ code: "unknown-datasource", panelTitle: "P", refId: "A" }));
    expect(problems.find((p) => p.code === "unknown-datasource")!.message).toMatch(/"nope"/);
  });

  it("datasource variable that the dashboard does not define", async () => {
    const panel = `timeseriesPanel({ title: "P", unit: "s", description: "d", targets: [new prometheus.DataqueryBuilder().datasource({ type: "prometheus", uid: "\${metrics}" }).expr("up")] })`;
    const problems = await failing({ dashboardsDir: definitionsDir({ "a.ts": panelWith("unknown-var", panel) }) });
    expect(problems).toContainEqual(expect.objectContaining({ code: "unknown-datasource", message: expect.stringMatching(/\$metrics/) }));
  });

  it("overlapping panels in a manually laid out dashboard", async () => {
    // (Not at 0,0: the SDK re-positions panels it finds there.)
    const p = (t: string, x: number, y: number) => `statPanel({ title: "${t}", unit: "s", description: "d", targets: [prom("up")] }).gridPos({ x: ${x}, y: ${y}, w: 12, h: 4 })`;
    const body = `
export default defineDashboard({
  uid: "overlap", folder: "services", layout: "manual",
  build: (ctx) => baseDashboard(ctx, { uid: "overlap", title: "T", description: "d" }).variables([datasourceVariable()]).withPanel(${p("First", 0, 1)}).withPanel(${p("Second", 6, 3)}),
});`;
    const problems = await failing({ dashboardsDir: definitionsDir({ "a.ts": body }) });
    expect(problems).toContainEqual(expect.objectContaining({ code: "overlapping-panels", panelTitle: "Second", message: expect.stringMatching(/"First"/) }));
  });

  it("panel outside the 24-column grid", async () => {
    const panel = `statPanel({ title: "Wide", unit: "s", description: "d", targets: [prom("up")] }).gridPos({ x: 20, y: 0, w: 8, h: 4 })`;
    const problems = await failing({ dashboardsDir: definitionsDir({ "a.ts": panelWith("off-grid", panel, 'layout: "manual",') }) });
    expect(problems).toContainEqual(expect.objectContaining({ code: "bad-gridpos", panelTitle: "Wide" }));
  });

  it("a panel size that is not a whole number of grid cells, in the flow layout", async () => {
    const panel = `statPanel({ title: "Wide", unit: "s", description: "d", targets: [prom("up")] }).gridPos({ x: 0, y: 1, w: "wide" as unknown as number, h: 4 })`;
    const problems = await failing({ dashboardsDir: definitionsDir({ "a.ts": panelWith("odd-size", panel) }) });
    expect(problems).toContainEqual(
      expect.objectContaining({ code: "bad-gridpos", panelTitle: "Wide", dashboardUid: "odd-size", file: expect.stringContaining("a.ts"), message: expect.stringMatching(/w:"wide".*whole numbers of grid cells/) }),
    );
  });

  it("numeric panel without a unit", async () => {
    const panel = `new timeseries.PanelBuilder().title("No unit").description("d").datasource({ type: "prometheus", uid: "\${datasource}" }).withTarget(prom("up"))`;
    const problems = await failing({ dashboardsDir: definitionsDir({ "a.ts": panelWith("no-unit", panel) }) });
    expect(problems).toContainEqual(expect.objectContaining({ code: "missing-unit", panelTitle: "No unit", dashboardUid: "no-unit" }));
  });

  it("panel without a description", async () => {
    const panel = `statPanel({ title: "Mute", unit: "s", description: "", targets: [prom("up")] })`;
    const problems = await failing({ dashboardsDir: definitionsDir({ "a.ts": panelWith("no-desc", panel) }) });
    expect(problems).toContainEqual(expect.objectContaining({ code: "missing-description", panelTitle: "Mute" }));
  });

  it("folder that the config does not have", async () => {
    const problems = await failing({ dashboardsDir: definitionsDir({ "a.ts": validDashboard("lost", "up", "nowhere") }) });
    expect(problems[0]).toMatchObject({ code: "unknown-folder", dashboardUid: "lost" });
  });

  it("a definition whose builder throws", async () => {
    const body = `export default defineDashboard({ uid: "throws", folder: "services", build: () => { throw new Error("boom in builder"); } });`;
    const problems = await failing({ dashboardsDir: definitionsDir({ "a.ts": body }) });
    expect(problems[0]).toMatchObject({ code: "definition-build", dashboardUid: "throws", message: "boom in builder" });
  });

  it("a file whose default export is not a definition", async () => {
    const problems = await failing({ dashboardsDir: definitionsDir({ "a.ts": `export default { title: "not a definition" };` }) });
    expect(problems[0]).toMatchObject({ code: "bad-definition", file: expect.stringContaining("a.ts") });
  });

  it("literal secret in a datasource", async () => {
    const problems = await failing({
      dashboardsDir: definitionsDir({ "ok.ts": validDashboard("good-one") }),
      datasources: (c) =>
        datasources(c).map((d) =>
          d.uid === "loki" ? { ...d, basicAuth: true, basicAuthUser: "u", secureJsonData: { basicAuthPassword: "hunter2" as never } } : d,
        ),
    });
    expect(problems).toContainEqual(expect.objectContaining({ code: "literal-secret", file: "datasources/index.ts", message: expect.stringMatching(/loki.*basicAuthPassword/) }));
    expect(problems.map((p) => p.message).join("\n")).not.toContain("hunter2");
  });

  it("literal token in plain jsonData", async () => {
    const problems = await failing({
      dashboardsDir: definitionsDir({ "ok.ts": validDashboard("good-one") }),
      datasources: (c) => datasources(c).map((d) => (d.uid === "tempo" ? { ...d, jsonData: { ...d.jsonData, apiToken: "abc" } } : d)),
    });
    expect(problems).toContainEqual(expect.objectContaining({ code: "literal-secret", message: expect.stringMatching(/tempo.*apiToken/) }));
  });

  it("bad config value", async () => {
    const err = await (async () => {
      try {
        loadConfig("dev", (c) => ({ ...c, datasources: { ...c.datasources, loki: { url: "loki:3100" } } }));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BuildError);
    expect((err as BuildError).problems[0]).toMatchObject({ code: "bad-config", file: "config/environments.ts", message: expect.stringMatching(/^datasources\.loki\.url: /) });
  });

  it("unknown environment", () => {
    expect(() => loadConfig("staging")).toThrow(/unknown environment "staging"; known: dev, prod/);
  });

  it("refuses to replace a directory it did not write", async () => {
    const foreign = mkdtempSync(join(tmpdir(), "foreign-"));
    cpSync(join(out, "prometheus"), join(foreign, "prometheus"), { recursive: true });
    const err = await runBuild({ content: REPO_CONTENT, out: foreign, dashboardsDir: definitionsDir({ "ok.ts": validDashboard("good-one") }), referenceSchemas: false }).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err).toMatchObject({ exitCode: EXIT.usage, message: expect.stringMatching(/refusing to write into a non-empty directory this build did not write/) });
    rmSync(foreign, { recursive: true, force: true });
  });
});
