import { Ajv } from "ajv";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parse as parseYaml } from "yaml";
import * as dash from "@grafana/grafana-foundation-sdk/dashboard";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as logs from "@grafana/grafana-foundation-sdk/logs";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as loki from "@grafana/grafana-foundation-sdk/loki";
import { referenceSchemasDir, validateAgainstReference, validateFile } from "../../src/validate/schemas.js";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "../fixtures/schemas");
const fixture = (name: string): any => {
  const text = readFileSync(join(fixtures, name), "utf8");
  return name.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
};
const clone = <T>(v: T): T => structuredClone(v);
const pointers = (issues: { pointer: string }[]) => issues.map((i) => i.pointer);

describe("datasources schema", () => {
  const valid = () => fixture("datasources.valid.yaml");

  it("accepts every datasource kind we provision, with extra jsonData keys", () => {
    expect(validateFile("datasources", valid())).toEqual([]);
  });

  it("rejects a literal secret in secureJsonData, pointing at it", () => {
    const issues = validateFile("datasources", fixture("datasources.literal-secret.yaml"));
    expect(issues).toHaveLength(1);
    expect(issues[0].pointer).toBe("/datasources/1/secureJsonData/basicAuthPassword");
    expect(issues[0].message).toMatch(/environment reference/);
  });

  it.each(["$GRAFANA_PASSWORD", "${grafana_password}", "${PASSWORD}x", "x${PASSWORD}", "${1PASSWORD}", ""])(
    "accepts only ${NAME} as a secureJsonData value, not %j",
    (value) => {
      const doc = valid();
      doc.datasources[1].secureJsonData.httpHeaderValue1 = value;
      expect(pointers(validateFile("datasources", doc))).toEqual(["/datasources/1/secureJsonData/httpHeaderValue1"]);
    },
  );

  it("rejects a non-string secure value and a password outside secureJsonData", () => {
    const doc = valid();
    doc.datasources[0].secureJsonData.basicAuthPassword = 1234;
    doc.datasources[0].password = "${GRAFANA_PROMETHEUS_PASSWORD}";
    expect(pointers(validateFile("datasources", doc)).sort()).toEqual([
      "/datasources/0/password",
      "/datasources/0/secureJsonData/basicAuthPassword",
    ]);
  });

  it.each(["uid", "name", "type"])("requires %s on each datasource", (field) => {
    const doc = valid();
    delete doc.datasources[2][field];
    const issues = validateFile("datasources", doc);
    expect(issues).toContainEqual({ pointer: `/datasources/2/${field}`, message: "is required" });
  });

  it("rejects a uid Grafana would refuse", () => {
    const doc = valid();
    doc.datasources[0].uid = "prometheus main";
    expect(pointers(validateFile("datasources", doc))).toEqual(["/datasources/0/uid"]);
  });

  it("types Prometheus jsonData", () => {
    const doc = valid();
    doc.datasources[0].jsonData.httpMethod = "PUT";
    doc.datasources[0].jsonData.exemplarTraceIdDestinations[0] = { name: "trace_id", datasourceUid: "tempo", urlDisplayLable: "x" };
    expect(pointers(validateFile("datasources", doc)).sort()).toEqual([
      "/datasources/0/jsonData/exemplarTraceIdDestinations/0/urlDisplayLable",
      "/datasources/0/jsonData/httpMethod",
    ]);
  });

  it("types Loki derived fields", () => {
    const doc = valid();
    delete doc.datasources[1].jsonData.derivedFields[0].matcherRegex;
    doc.datasources[1].jsonData.derivedFields[1].matcherType = "json";
    expect(pointers(validateFile("datasources", doc)).sort()).toEqual([
      "/datasources/1/jsonData/derivedFields/0/matcherRegex",
      "/datasources/1/jsonData/derivedFields/1/matcherType",
    ]);
  });

  it("types Tempo and Jaeger trace correlations", () => {
    const doc = valid();
    const tempo = doc.datasources[2].jsonData;
    tempo.tracesToLogsV2.spanStartTimeShift = "five minutes";
    tempo.tracesToLogsV2.tags.push({ value: "no key" });
    delete tempo.tracesToMetrics.queries[0].query;
    tempo.serviceMap = {};
    tempo.nodeGraph.enabled = "yes";
    delete doc.datasources[3].jsonData.tracesToLogsV2.query; // customQuery: true needs a query
    expect(pointers(validateFile("datasources", doc)).sort()).toEqual([
      "/datasources/2/jsonData/nodeGraph/enabled",
      "/datasources/2/jsonData/serviceMap/datasourceUid",
      "/datasources/2/jsonData/tracesToLogsV2/spanStartTimeShift",
      "/datasources/2/jsonData/tracesToLogsV2/tags/1/key",
      "/datasources/2/jsonData/tracesToMetrics/queries/0/query",
      "/datasources/3/jsonData/tracesToLogsV2/query",
    ]);
  });

  it("types Alertmanager jsonData", () => {
    const doc = valid();
    doc.datasources[4].jsonData.implementation = "thanos";
    doc.datasources[4].jsonData.handleGrafanaManagedAlerts = "false";
    expect(pointers(validateFile("datasources", doc)).sort()).toEqual([
      "/datasources/4/jsonData/handleGrafanaManagedAlerts",
      "/datasources/4/jsonData/implementation",
    ]);
  });

  it("requires basicAuthUser with basicAuth, apiVersion 1 and named deletions", () => {
    const doc = valid();
    delete doc.datasources[0].basicAuthUser;
    doc.apiVersion = 2;
    doc.deleteDatasources.push({ orgId: 1 });
    expect(pointers(validateFile("datasources", doc)).sort()).toEqual([
      "/apiVersion",
      "/datasources/0/basicAuthUser",
      "/deleteDatasources/1/name",
    ]);
  });
});

describe("dashboard providers schema", () => {
  const valid = () => fixture("dashboard-providers.valid.yaml");

  it("accepts a folder provider and a folders-from-directories provider", () => {
    expect(validateFile("dashboard-providers", valid())).toEqual([]);
  });

  it("rejects a provider without options.path", () => {
    expect(validateFile("dashboard-providers", fixture("dashboard-providers.missing-path.yaml"))).toEqual([
      { pointer: "/providers/0/options/path", message: "is required" },
    ]);
  });

  it("requires name and type, and only knows the file type", () => {
    const doc = valid();
    delete doc.providers[0].name;
    doc.providers[1].type = "git";
    expect(pointers(validateFile("dashboard-providers", doc)).sort()).toEqual(["/providers/0/name", "/providers/1/type"]);
  });

  it("rejects a folder together with foldersFromFilesStructure", () => {
    const doc = valid();
    doc.providers[1].folder = "Platform";
    const issues = validateFile("dashboard-providers", doc);
    expect(pointers(issues)).toEqual(["/providers/1/folder"]);
    expect(issues[0].message).toMatch(/foldersFromFilesStructure/);
  });

  it("rejects unknown and mistyped settings", () => {
    const doc = valid();
    doc.providers[0].updateIntervalSeconds = "30";
    doc.providers[0].options.recursive = true;
    expect(pointers(validateFile("dashboard-providers", doc)).sort()).toEqual([
      "/providers/0/options/recursive",
      "/providers/0/updateIntervalSeconds",
    ]);
  });
});

describe("dashboard schema", () => {
  const valid = () => fixture("dashboard.valid.json");

  it("accepts a built dashboard with a collapsed row", () => {
    expect(validateFile("dashboard", valid())).toEqual([]);
  });

  it("rejects a panel without id", () => {
    expect(validateFile("dashboard", fixture("dashboard.panel-without-id.json"))).toEqual([
      { pointer: "/panels/1/id", message: "is required" },
    ]);
  });

  it.each(["", "has space", "a".repeat(41), "ünïcode"])("rejects uid %j", (uid) => {
    const doc = valid();
    doc.uid = uid;
    expect(pointers(validateFile("dashboard", doc))).toEqual(["/uid"]);
  });

  it("accepts a 40-character uid", () => {
    const doc = valid();
    doc.uid = "a".repeat(40);
    expect(validateFile("dashboard", doc)).toEqual([]);
  });

  it("checks grid positions on the 24-column grid", () => {
    const doc = valid();
    doc.panels[0].gridPos = { x: 24, y: -1, w: 0, h: 2.5 };
    doc.panels[2].panels[0].gridPos.w = 25;
    expect(pointers(validateFile("dashboard", doc)).sort()).toEqual([
      "/panels/0/gridPos/h",
      "/panels/0/gridPos/w",
      "/panels/0/gridPos/x",
      "/panels/0/gridPos/y",
      "/panels/2/panels/0/gridPos/w",
    ]);
  });

  it("requires a refId on every query and a uid on every datasource reference", () => {
    const doc = valid();
    delete doc.panels[0].targets[0].refId;
    doc.panels[2].panels[0].datasource = { type: "loki" };
    expect(pointers(validateFile("dashboard", doc)).sort()).toEqual([
      "/panels/0/targets/0/refId",
      "/panels/2/panels/0/datasource/uid",
    ]);
  });

  it("checks rows: collapsed and panels are required, nested panels are panels", () => {
    const doc = valid();
    delete doc.panels[2].collapsed;
    delete doc.panels[2].panels[0].id;
    expect(pointers(validateFile("dashboard", doc)).sort()).toEqual(["/panels/2/collapsed", "/panels/2/panels/0/id"]);
  });

  it("rejects unknown panel members, links without url and bad variables", () => {
    const doc = valid();
    doc.panels[0].fieldconfig = {};
    delete doc.links[0].url;
    doc.templating.list[0].name = "1job";
    doc.refresh = "often";
    expect(pointers(validateFile("dashboard", doc)).sort()).toEqual([
      "/links/0/url",
      "/panels/0/fieldconfig",
      "/refresh",
      "/templating/list/0/name",
    ]);
  });
});

describe("referenceSchemasDir", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("is null when $GRAFANA_REFERENCE_SCHEMAS names a folder without the schemas", () => {
    vi.stubEnv("GRAFANA_REFERENCE_SCHEMAS", mkdtempSync(join(tmpdir(), "no-schemas-")));
    expect(referenceSchemasDir()).toBeNull();
  });
});

const defaultReferenceDir = resolve(here, "../../../shared/schemas/grafana-foundation-sdk");
const referenceDir = referenceSchemasDir();
if (!referenceDir) {
  console.warn(
    `Skipping Grafana reference schema tests: no dashboard.jsonschema.json in ${process.env.GRAFANA_REFERENCE_SCHEMAS || defaultReferenceDir} ` +
      "(set GRAFANA_REFERENCE_SCHEMAS to the Foundation SDK's jsonschema folder).",
  );
}

describe.skipIf(!referenceDir)("Grafana reference schemas", () => {
  const dir = referenceDir!;
  const ds = { type: "prometheus", uid: "prometheus" };

  /** A dashboard as definitions write it with the Foundation SDK. */
  function sdkDashboard() {
    return new dash.DashboardBuilder("Service overview")
      .uid("service-overview")
      .tags(["generated"])
      .refresh("30s")
      .time({ from: "now-6h", to: "now" })
      .withVariable(new dash.QueryVariableBuilder("job").query("label_values(up, job)").datasource(ds).multi(true).includeAll(true))
      .withVariable(new dash.CustomVariableBuilder("quantile").values("0.5,0.95,0.99"))
      .annotation(new dash.AnnotationQueryBuilder().name("Deploys").datasource(ds).enable(true).iconColor("blue").expr("changes(build_info[5m]) > 0"))
      .link(new dash.DashboardLinkBuilder("Logs").type(dash.DashboardLinkType.Link).url("/d/logs"))
      .withPanel(
        new timeseries.PanelBuilder()
          .title("Requests/s")
          .datasource(ds)
          .unit("reqps")
          .thresholds(new dash.ThresholdsConfigBuilder().mode(dash.ThresholdsMode.Absolute).steps([{ value: null, color: "green" }, { value: 100, color: "red" }]))
          .legend(new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.Table).placement(common.LegendPlacement.Right).showLegend(true).calcs(["mean"]))
          .lineWidth(2)
          .fillOpacity(10)
          .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
          .overrideByName("errors", [{ id: "color", value: { mode: "fixed", fixedColor: "red" } }, { id: "unit", value: "percentunit" }])
          .withTarget(new prometheus.DataqueryBuilder().expr("sum(rate(http_requests_total[5m]))").legendFormat("{{job}}").refId("A")),
      )
      .withPanel(
        new stat.PanelBuilder()
          .title("Up")
          .datasource(ds)
          .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]))
          .colorMode(common.BigValueColorMode.Background)
          .withTarget(new prometheus.DataqueryBuilder().expr("min(up)").instant().refId("A")),
      )
      .withPanel(
        new table.PanelBuilder()
          .title("Targets")
          .datasource(ds)
          .cellOptions({ type: common.TableCellDisplayMode.ColorBackground } as common.TableCellOptions)
          .footer(new common.TableFooterOptionsBuilder().show(true).reducer(["sum"]))
          .withTarget(new prometheus.DataqueryBuilder().expr("up").instant().format(prometheus.PromQueryFormat.Table).refId("A")),
      )
      .withRow(
        new dash.RowBuilder("Logs")
          .collapsed(true)
          .withPanel(
            new logs.PanelBuilder()
              .title("Errors")
              .datasource({ type: "loki", uid: "loki" })
              .showTime(true)
              .wrapLogMessage(true)
              .withTarget(new loki.DataqueryBuilder().expr('{service="api"} |= "ERROR"').refId("A")),
          ),
      )
      .build();
  }

  it("is found through $GRAFANA_REFERENCE_SCHEMAS too", () => {
    vi.stubEnv("GRAFANA_REFERENCE_SCHEMAS", dir);
    try {
      expect(referenceSchemasDir()).toBe(resolve(dir));
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("accepts what the Foundation SDK emits for timeseries, stat, table and logs panels", () => {
    expect(validateAgainstReference(sdkDashboard(), dir)).toEqual([]);
  });

  it("rejects a wrongly typed panel option, naming the panel", () => {
    const d: any = sdkDashboard();
    d.panels[0].options.legend.displayMode = 42;
    expect(validateAgainstReference(d, dir)).toEqual([
      { panelTitle: "Requests/s", pointer: "/panels/0/options/legend/displayMode", message: "must be string, got number 42" },
    ]);
  });

  it("rejects an option value outside the plugin's enum and a missing required option", () => {
    const d: any = sdkDashboard();
    d.panels[1].options.graphMode = "sparkline";
    delete d.panels[0].options.tooltip;
    const issues = validateAgainstReference(d, dir);
    expect(issues.map((i) => [i.panelTitle, i.pointer])).toEqual([
      ["Requests/s", "/panels/0/options/tooltip"],
      ["Up", "/panels/1/options/graphMode"],
    ]);
  });

  it("checks fieldConfig.defaults.custom against the plugin's FieldConfig", () => {
    const d: any = sdkDashboard();
    d.panels[0].fieldConfig.defaults.custom.lineWidth = "thick";
    expect(validateAgainstReference(d, dir)).toEqual([
      expect.objectContaining({ panelTitle: "Requests/s", pointer: "/panels/0/fieldConfig/defaults/custom/lineWidth" }),
    ]);
  });

  it("checks the panels of a collapsed row and names them, not the row", () => {
    const d: any = sdkDashboard();
    const row = d.panels.findIndex((p: any) => p.type === "row");
    d.panels[row].panels[0].options.sortOrder = "Sideways";
    d.panels[row].panels[0].gridPos = { x: 0, y: 0, w: 30, h: 8 };
    expect(validateAgainstReference(d, dir).map((i) => [i.panelTitle, i.pointer])).toEqual([
      ["Errors", `/panels/${row}/panels/0/gridPos/w`],
      ["Errors", `/panels/${row}/panels/0/options/sortOrder`],
    ]);
  });

  it("reports dashboard-level problems without a panel title", () => {
    const d: any = sdkDashboard();
    d.schemaVersion = "42";
    d.panels[0].gridPos.x = 24;
    const issues = validateAgainstReference(d, dir);
    expect(issues).toEqual([
      { pointer: "/schemaVersion", message: expect.stringMatching(/must be integer/) },
      { panelTitle: "Requests/s", pointer: "/panels/0/gridPos/x", message: expect.any(String) },
    ]);
  });

  it("finds the schema of plugins whose id differs from the file name", () => {
    const d: any = sdkDashboard();
    d.panels[0] = { ...d.panels[0], type: "state-timeline", options: { showValue: "auto", rowHeight: 0.9, mergeValues: "yes" }, fieldConfig: { defaults: { custom: { lineWidth: 1 } }, overrides: [] } };
    d.panels[1] = { ...d.panels[1], type: "nodeGraph", options: { zoomMode: "wheel" } };
    d.panels[2] = { ...d.panels[2], type: "nodegraph", options: { zoomMode: "cooperative" }, fieldConfig: undefined };
    expect(validateAgainstReference(d, dir).map((i) => [i.panelTitle, i.pointer])).toEqual([
      ["Requests/s", "/panels/0/options/legend"],
      ["Requests/s", "/panels/0/options/tooltip"],
      ["Requests/s", "/panels/0/options/mergeValues"],
      ["Up", "/panels/1/options/zoomMode"],
    ]);
  });

  it("skips options of panel types it has no schema for", () => {
    const d: any = sdkDashboard();
    d.panels[0].type = "grafana-clock-panel";
    d.panels[0].options = { mode: 42 };
    expect(validateAgainstReference(d, dir)).toEqual([]);
  });

  it("keeps table cell options discriminated by their type", () => {
    const d: any = sdkDashboard();
    d.panels[2].fieldConfig.defaults.custom.cellOptions = { type: "auto", applyToRow: true };
    expect(validateAgainstReference(d, dir).map((i) => i.pointer)).toContain("/panels/2/fieldConfig/defaults/custom/cellOptions");
  });

  it("needs its corrections: the published schemas reject SDK output for overrides and table cells", () => {
    // If these start passing, Grafana fixed its generated schemas and the corrections can go.
    const ajv = new Ajv({ strict: false, logger: false });
    const dashboardSchema = JSON.parse(readFileSync(join(dir, "dashboard.jsonschema.json"), "utf8"));
    const tableSchema = JSON.parse(readFileSync(join(dir, "table.jsonschema.json"), "utf8"));
    ajv.addSchema({ ...dashboardSchema, $id: "https://example.invalid/dashboard.json" });
    ajv.addSchema({ ...tableSchema, $id: "https://example.invalid/table.json" });
    const built: any = JSON.parse(JSON.stringify(sdkDashboard()));
    const override = built.panels[0].fieldConfig.overrides[0];
    expect(override.matcher).toEqual({ id: "byName", options: "errors" });
    expect(ajv.getSchema("https://example.invalid/dashboard.json#/definitions/MatcherConfig")!(override.matcher)).toBe(false);
    expect(ajv.getSchema("https://example.invalid/dashboard.json#/definitions/DynamicConfigValue")!(override.properties[1])).toBe(false);
    const custom = built.panels[2].fieldConfig.defaults.custom;
    expect(ajv.getSchema("https://example.invalid/table.json#/definitions/FieldConfig")!(custom)).toBe(false);
  });
});
