// The importer's inputs and command line: the accepted envelopes, clear errors for bad input, --out,
// --verify, --folder, --uid, and the definition a written file gives the build.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../config/index.js";
import { importDashboard, ImportError, parseDashboardText, readDashboard, REPO_ROOT } from "../../src/import/index.js";
import { parseJsonText } from "../../src/import/input.js";
import { locateJsonError } from "../../src/model/jsonLocation.js";
import { verifyImport } from "../../src/import/verify.js";
import { runImport } from "../fixtures/importCli.js";

const FIXTURES = join(REPO_ROOT, "test/fixtures/import");
const fixture = (name: string) => join(FIXTURES, name);
const fixtureText = (name: string) => readFileSync(fixture(name), "utf8");

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(REPO_ROOT, "import-inputs.tmp-"));
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const cli = (args: string[], env: Record<string, string | undefined> = {}) => runImport(args, { cwd: REPO_ROOT, env });

describe("import: input envelopes", () => {
  it("a UI export with __inputs: datasource inputs mapped, constants replaced, metadata dropped", async () => {
    const input = parseDashboardText(fixtureText("legacy.json"), "legacy.json");
    expect(input.format).toBe("ui-export");
    expect(input.inputs.map((i) => i.name)).toEqual(["DS_PROMETHEUS", "DS_INFLUX", "VAR_ENVIRONMENT"]);
    const r = await importDashboard(input);
    expect(r.code).not.toMatch(/__inputs|__requires|DS_PROMETHEUS|VAR_ENVIRONMENT/);
    const v = await verifyImport(r);
    expect(v.unexplained).toEqual([]);
    expect([...v.rules.keys()]).toEqual(
      expect.arrayContaining(["export-metadata", "datasource-uids", "constant-inputs"]),
    );
  });

  it("a UI export without __inputs (shared externally off) is a plain dashboard", () => {
    const d = JSON.parse(fixtureText("panels.json"));
    expect(readDashboard(d, "x.json").format).toBe("dashboard-json");
    expect(readDashboard({ ...d, __requires: [] }, "x.json").format).toBe("ui-export");
  });

  it("the {dashboard, meta} envelope of GET /api/dashboards/uid/:uid", async () => {
    const input = parseDashboardText(fixtureText("api-envelope.json"), "api-envelope.json");
    expect(input.format).toBe("api-envelope");
    expect(input.dashboard.uid).toBe("from-api");
    expect(input.dashboard).not.toHaveProperty("meta");
    const r = await importDashboard(input);
    expect(r.code).toContain('.uid("from-api")');
    expect(r.code).toContain(".readonly()");
    expect(r.code).not.toMatch(/folderUid|canSave|slug/);
    expect((await verifyImport(r)).unexplained).toEqual([]);
  });

  it("a provisioning-folder file: concrete uids of provisioned types mapped, others kept and reported", async () => {
    const r = await importDashboard(parseDashboardText(fixtureText("provisioning.json"), "provisioning.json"));
    expect(r.format).toBe("dashboard-json");
    expect(r.code).toContain("uid: ctx.datasources.prometheus");
    expect(r.code).toContain("uid: ctx.datasources.alertmanager");
    expect(r.code).toContain("uid: ctx.datasources.jaeger");
    expect(r.code).not.toContain("P1809F7CD0C75ACF3");
    expect(r.code).toContain('"pg-main"');
    const kept = r.warnings.filter((w) => w.code === "datasource").map((w) => w.message);
    expect(kept).toEqual([
      'uid "pg-main" (grafana-postgresql-datasource) matches no provisioned datasource; kept as is (2×)',
    ]);
  });

  it("a UI export with a library panel: the reference is kept, with a warning", async () => {
    const d = {
      uid: "lib-ref",
      title: "With a library panel",
      schemaVersion: 41,
      __elements: { abc: { name: "Shared CPU", uid: "abc", kind: 1, model: { type: "timeseries", title: "CPU" } } },
      panels: [{ gridPos: { h: 8, w: 12, x: 0, y: 0 }, id: 1, libraryPanel: { uid: "abc", name: "Shared CPU" } }],
    };
    const input = readDashboard(d, "lib.json");
    expect(input.format).toBe("ui-export");
    const r = await importDashboard(input);
    expect(r.code).toContain('.libraryPanel({ uid: "abc", name: "Shared CPU" })');
    expect(r.panelKinds).toEqual(new Map([["library panel", 1]]));
    expect(r.warnings.find((w) => w.code === "library-panel")?.message).toContain(
      'reference to library panel "Shared CPU" kept; the library panel itself',
    );
    expect((await verifyImport(r)).unexplained).toEqual([]);
  });

  it("a Kubernetes-style Dashboard resource: spec, uid from metadata.name; schema v2 is refused", () => {
    const spec = JSON.parse(fixtureText("no-uid.json"));
    const k8s = {
      apiVersion: "dashboard.grafana.app/v1beta1",
      kind: "Dashboard",
      metadata: { name: "from-k8s" },
      spec,
    };
    const input = readDashboard(k8s, "k8s.json");
    expect(input.format).toBe("k8s-resource");
    expect(input.dashboard.uid).toBe("from-k8s");
    expect(() => readDashboard({ ...k8s, apiVersion: "dashboard.grafana.app/v2beta1" }, "v2.json")).toThrow(
      /v2beta1 dashboards \(schema v2\) are not supported/,
    );
  });
});

describe("import: errors name the file and the reason", () => {
  it("invalid JSON with line and column", () => {
    expect(() => parseJsonText(fixtureText("invalid.json"), "invalid.json")).toThrow(
      'invalid.json: invalid JSON at line 4, column 43: unexpected ","',
    );
    expect(locateJsonError('{"a": 1,\n  "b": tru }')).toEqual({ offset: 19, reason: 'unexpected " "' });
    expect(() => parseJsonText('{"a": [1, 2}', "x.json")).toThrow(
      'x.json: invalid JSON at line 1, column 12: expected "," or "]" after an array element, found "}"',
    );
    expect(() => parseJsonText('{"a": 1', "x.json")).toThrow("line 1, column 8");
  });

  it("a file that is not a dashboard", () => {
    expect(() => parseDashboardText(fixtureText("not-dashboard.json"), "not-dashboard.json")).toThrow(
      "not-dashboard.json: not a Grafana dashboard: found an object with keys apiVersion, datasources",
    );
    expect(() => parseDashboardText("[1, 2]", "list.json")).toThrow(
      "list.json: not a Grafana dashboard: found a JSON array",
    );
  });

  it("a dashboard without a uid is read without one (the import derives it); --uid sets one", () => {
    expect(parseDashboardText(fixtureText("no-uid.json"), "no-uid.json").dashboard).not.toHaveProperty("uid");
    expect(parseDashboardText(fixtureText("no-uid.json"), "no-uid.json", { uid: "chosen" }).dashboard.uid).toBe(
      "chosen",
    );
    expect(() => parseDashboardText(fixtureText("no-uid.json"), "no-uid.json", { uid: "bad uid!" })).toThrow(
      ImportError,
    );
  });

  it.each([
    ["invalid.json", 1, "invalid.json: invalid JSON at line 4, column 43"],
    ["not-dashboard.json", 1, "not-dashboard.json: not a Grafana dashboard"],
    ["missing.json", 2, "missing.json: no such file"],
  ])("the command fails for %s with exit %i and says why on stderr", async (name, exit, message) => {
    const r = await cli([join("test/fixtures/import", name)]);
    expect(r.code).toBe(exit);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
  });

  it("usage errors", async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(["a.json", "b.json"])).stderr).toContain("give one dashboard JSON file or --from-grafana <uid>");
    expect((await cli([fixture("panels.json"), "--folder", "nope"])).stderr).toContain(
      '--folder "nope" is not in config.folders (services, ml, infrastructure, overview)',
    );
    expect((await cli([fixture("panels.json"), "--out", join(scratch, "x.json")])).stderr).toContain("ends in .ts");
    expect((await cli(["--bogus"])).code).toBe(2);
  });
});

describe("import: command line", () => {
  it("--help", async () => {
    const r = await cli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: npm run import -- <dashboard.json> [options]");
    for (const o of ["--out", "--from-grafana", "--verify", "--folder", "--uid"]) expect(r.stdout).toContain(o);
  });

  it("prints the code on stdout and the report on stderr", async () => {
    const r = await cli([fixture("panels.json")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\/\/ Imported from Grafana dashboard "API overview"/);
    expect(r.stdout).toContain("export default defineDashboard({");
    expect(r.stderr).toContain(
      '"API overview" uid api-overview, version 7, schemaVersion 39 (dashboard-json): 12 panels',
    );
    expect(r.stderr).toContain('datasource: uid "prom-main" (prometheus) → provisioned "prometheus"');
  });

  it("--folder and --uid", async () => {
    const r = await cli([fixture("no-uid.json"), "--uid", "hello-uid", "--folder", "ml"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('uid: "hello-uid",\n  folder: "ml",');
    expect(r.stdout).toContain('.uid("hello-uid")');
  });

  it("--verify builds the code, lists the normalisations and exits 0 when nothing else differs", async () => {
    const r = await cli([fixture("legacy.json"), "--verify"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      "verify: normalisations applied: instance-metadata 2, export-metadata 2, schema-version 1",
    );
    expect(r.stderr).toContain("verify: the generated code rebuilds the dashboard (no other differences)");
  });

  it("--out writes a definition the build collects and builds; an existing file needs --force", async () => {
    const out = join(scratch, "dashboards", "api_overview.ts");
    const r = await cli([fixture("panels.json"), "--out", out, "--folder", "overview"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("wrote ");
    expect(readFileSync(out, "utf8")).toContain('import { defineDashboard } from "../../src/definitions.js";');

    const again = await cli([fixture("panels.json"), "--out", out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("exists; pass --force to replace it");
    expect((await cli([fixture("panels.json"), "--out", out, "--force", "--folder", "overview"])).code).toBe(0);

    const config = loadConfig("dev");
    const { collectDashboards } = await import("../../src/pipeline/collect.js");
    const { buildDashboards } = await import("../../src/pipeline/dashboards.js");
    const defs = await collectDashboards(join(scratch, "dashboards"), config);
    expect(defs.map((d) => [d.uid, d.folder, d.layout])).toEqual([["api-overview", "overview", "manual"]]);
    const [dash] = buildDashboards(defs, config);
    expect(dash.folderUid).toBe("overview");
    expect(dash.json.title).toBe("API overview");
    // Manual layout: the grid positions of the export are kept.
    const original = JSON.parse(fixtureText("panels.json")) as { panels: { gridPos: unknown }[] };
    expect((dash.json.panels ?? []).map((p) => p.gridPos)).toEqual(original.panels.map((p) => p.gridPos));
  });

  it("warns when the uid is already used by a definition in dashboards/", async () => {
    const r = await cli([fixture("no-uid.json"), "--uid", "fastapi-overview"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`uid "fastapi-overview" is already used by dashboards/fastapi/index.ts`);
  });

  it("scripts/import.ts runs as npm run import runs it (exit status and streams)", async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
        execFile(
          process.execPath,
          ["--import", "tsx", "scripts/import.ts", ...args],
          { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
          (err, stdout, stderr) => done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    const ok = await run(["test/fixtures/import/api-envelope.json"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('new dashboard.DashboardBuilder("From the HTTP API")');
    const bad = await run(["test/fixtures/import/invalid.json"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("invalid.json: invalid JSON at line 4, column 43");
    expect(existsSync(join(REPO_ROOT, "dashboards", "from-api.ts"))).toBe(false);
  }, 120_000);
});

it("writes nothing into the repository's dashboards/ unless asked to", async () => {
  const before = existsSync(join(REPO_ROOT, "dashboards/api-overview.ts"));
  await cli([fixture("panels.json")]);
  expect(existsSync(join(REPO_ROOT, "dashboards/api-overview.ts"))).toBe(before);
});
