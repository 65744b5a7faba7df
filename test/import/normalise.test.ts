// The pieces the round trip rests on: the raw-JSON patch, the normalisation rules (each accepts what it
// documents and nothing more), verification catching real differences, and what the importer learns
// about the SDK by probing it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import { importDashboard, ImportError, parseDashboardText, readDashboard, REPO_ROOT } from "../../src/import/index.js";
import {
  compareDashboards,
  explainDifference,
  formatDifference,
  NORMALISATION_RULES,
  type NormaliseContext,
} from "../../src/import/normalise.js";
import { applyRawPatch, raw, REMOVE, withRaw } from "../../src/import/raw.js";
import { warningLines } from "../../src/import/report.js";
import { loadSdkModel } from "../../src/import/sdkModel.js";
import { verifyImport } from "../../src/import/verify.js";

const ctx: NormaliseContext = {
  datasourceUids: new Map([["${DS_PROMETHEUS}", "prometheus"]]),
  constants: new Map([["VAR_ENV", "prod"]]),
  datasourceRefs: new Map([["${DS_PROMETHEUS}", { type: "prometheus", uid: "prometheus" }]]),
};

describe("raw patches", () => {
  it("merge objects, patch lists by index, replace the rest, delete with REMOVE", () => {
    const target = { a: { b: 1, c: 2 }, list: [{ x: 1 }, { x: 2 }], gone: true, arr: [1, 2] };
    applyRawPatch(target, { a: { c: 3, d: 4 }, list: { "1": { y: 5 } }, gone: REMOVE, arr: [9], added: { k: [1] } });
    expect(target).toEqual({ a: { b: 1, c: 3, d: 4 }, list: [{ x: 1 }, { x: 2, y: 5 }], arr: [9], added: { k: [1] } });
  });

  it("withRaw does not change objects the builder shares (one datasource object, many panels)", () => {
    const ds = { type: "prometheus", uid: "${datasource}" };
    const a = withRaw(new dashboard.PanelBuilder().type("stat").datasource(ds), { datasource: { default: false } });
    const b = new dashboard.PanelBuilder().type("stat").datasource(ds);
    expect(a.build().datasource).toEqual({ type: "prometheus", uid: "${datasource}", default: false });
    expect(b.build().datasource).toEqual({ type: "prometheus", uid: "${datasource}" });
    expect(ds).toEqual({ type: "prometheus", uid: "${datasource}" });
  });

  it("raw() builds a copy of its JSON each time", () => {
    const r = raw({ type: "graph", yaxes: [{ show: true }] });
    const first = r.build();
    first.yaxes[0].show = false;
    expect(r.build().yaxes[0].show).toBe(true);
  });
});

describe("normalisation rules accept what they document, nothing more", () => {
  const original = {
    id: 3,
    version: 9,
    schemaVersion: 27,
    __inputs: [],
    panels: [
      {
        id: 1,
        type: "stat",
        gridPos: { x: 0, y: 0, w: 6, h: 4 },
        datasource: "${DS_PROMETHEUS}",
        targets: [{ refId: "A" }],
      },
      {
        id: 2,
        type: "row",
        gridPos: { x: 0, y: 4, w: 24, h: 1 },
        panels: [{ id: 3, type: "text", gridPos: { x: 0, y: 0, w: 6, h: 4 } }],
      },
      { id: 4, type: "timeseries", gridPos: { x: 0, y: 5, w: 6, h: 4 }, datasource: { uid: "${DS_PROMETHEUS}" } },
    ],
    templating: { list: [{ name: "v", type: "query" }] },
  };
  const explain = (path: (string | number)[], a: unknown, b: unknown) => explainDifference(path, a, b, original, ctx);

  it("every rule is documented in the list", () => {
    expect(NORMALISATION_RULES.map((r) => r.id)).toEqual([
      "instance-metadata",
      "export-metadata",
      "schema-version",
      "datasource-uids",
      "constant-inputs",
      "sdk-defaults",
      "grid-origin",
      "json",
    ]);
  });

  it("instance and export metadata, schemaVersion", () => {
    expect(explain(["id"], 3, undefined)).toBe("instance-metadata");
    expect(explain(["version"], 9, undefined)).toBe("instance-metadata");
    expect(explain(["id"], 3, 4)).toBeUndefined();
    expect(explain(["panels", 0, "id"], 1, undefined)).toBeUndefined();
    expect(explain(["__inputs"], [], undefined)).toBe("export-metadata");
    expect(explain(["schemaVersion"], 27, 42)).toBe("schema-version");
  });

  it("datasource uids and legacy references, constants", () => {
    expect(explain(["panels", 2, "datasource", "uid"], "${DS_PROMETHEUS}", "prometheus")).toBe("datasource-uids");
    expect(explain(["panels", 2, "datasource", "uid"], "${DS_PROMETHEUS}", "loki")).toBeUndefined();
    expect(explain(["panels", 0, "datasource"], "${DS_PROMETHEUS}", { type: "prometheus", uid: "prometheus" })).toBe(
      "datasource-uids",
    );
    expect(explain(["panels", 0, "datasource"], "${DS_PROMETHEUS}", { uid: "prometheus" })).toBeUndefined();
    expect(explain(["panels", 0, "title"], "env ${VAR_ENV}", "env prod")).toBe("constant-inputs");
    expect(explain(["panels", 0, "title"], "env ${VAR_ENV}", "env dev")).toBeUndefined();
  });

  it("SDK defaults only where Grafana assumes the same value, only when the original has no key", () => {
    expect(explain(["panels", 0, "transparent"], undefined, false)).toBe("sdk-defaults");
    expect(explain(["panels", 0, "transparent"], undefined, true)).toBeUndefined();
    expect(explain(["panels", 0, "transparent"], true, false)).toBeUndefined();
    expect(explain(["panels", 1, "panels", 0, "repeatDirection"], undefined, "h")).toBe("sdk-defaults");
    expect(explain(["templating", "list", 0, "allowCustomValue"], undefined, true)).toBe("sdk-defaults");
    expect(explain(["panels", 0, "targets", 0, "instant"], undefined, false)).toBe("sdk-defaults");
    // Not Grafana's default: the importer removes these again.
    expect(explain(["timezone"], undefined, "browser")).toBeUndefined();
    expect(explain(["panels", 0, "options"], undefined, { legend: { showLegend: false } })).toBeUndefined();
    expect(explain(["links", 0, "placement"], undefined, "inControlsMenu")).toBeUndefined();
  });

  it("grid-origin: only x/y of panels saved at 0,0", () => {
    expect(explain(["panels", 1, "panels", 0, "gridPos", "y"], 0, 5)).toBe("grid-origin");
    expect(explain(["panels", 1, "panels", 0, "gridPos", "w"], 6, 12)).toBeUndefined();
    expect(explain(["panels", 2, "gridPos", "y"], 5, 9)).toBeUndefined();
  });

  it("compareDashboards reports a real difference and names the rule of the others", () => {
    const built = structuredClone(original) as Record<string, unknown>;
    delete built.id;
    delete built.__inputs;
    built.schemaVersion = 42;
    const panels = built.panels as Record<string, unknown>[];
    panels[0].datasource = { type: "prometheus", uid: "prometheus" };
    panels[0].transparent = false;
    panels[2].title = "changed";
    panels[0].targets = [];
    const diffs = compareDashboards(original, built, ctx);
    expect(diffs.filter((d) => !d.rule).map((d) => d.path)).toEqual([
      ["panels", 0, "targets"],
      ["panels", 2, "title"],
    ]);
    expect(new Set(diffs.filter((d) => d.rule).map((d) => d.rule))).toEqual(
      new Set(["instance-metadata", "export-metadata", "schema-version", "datasource-uids", "sdk-defaults"]),
    );
  });
});

describe("verification", () => {
  it("catches code that does not rebuild the dashboard", async () => {
    const input = parseDashboardText(
      readFileSync(join(REPO_ROOT, "test/fixtures/import/api-envelope.json"), "utf8"),
      "api-envelope.json",
    );
    const result = await importDashboard(input);
    expect((await verifyImport(result)).unexplained).toEqual([]);
    const broken = {
      ...result,
      render: async (f: string) =>
        (await result.render(f)).replace('.title("Up")', '.title("Down")').replace(".readonly()", ""),
    };
    const v = await verifyImport(broken);
    expect(v.unexplained.map((d) => [d.path, d.original, d.built])).toEqual([
      [["editable"], false, true],
      [["panels", 0, "title"], "Up", "Down"],
    ]);
  });
});

describe("mutated dashboards still round-trip", () => {
  // Random edits (deleted keys, values of other types, unknown keys) on a fixture: whatever the SDK
  // cannot take must end up as raw JSON, never lost or changed.
  it("20 seeded mutations of the panels fixture", async () => {
    let seed = 20240611;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(list: T[]): T => list[Math.floor(rnd() * list.length)];
    const values: unknown[] = [
      null,
      0,
      -1,
      1.5,
      "",
      "x",
      true,
      [],
      {},
      [1, "a"],
      { a: 1 },
      { type: "loki", uid: "other" },
    ];
    const fixture = JSON.parse(readFileSync(join(REPO_ROOT, "test/fixtures/import/panels.json"), "utf8"));
    const failures: string[] = [];
    for (let n = 0; n < 20; n++) {
      const d = structuredClone(fixture);
      for (let i = 0; i < 1 + Math.floor(rnd() * 5); i++) {
        const paths: (string | number)[][] = [];
        const walk = (v: unknown, p: (string | number)[]) => {
          if (p.length) paths.push(p);
          if (v && typeof v === "object")
            for (const k of Object.keys(v))
              walk((v as Record<string, unknown>)[k], [...p, Array.isArray(v) ? Number(k) : k]);
        };
        walk(d, []);
        const path = pick(paths.filter((p) => p.join(".") !== "uid"));
        let parent = d;
        for (const k of path.slice(0, -1)) parent = parent[k];
        const key = path[path.length - 1];
        const op = rnd();
        if (op < 0.3 && !Array.isArray(parent)) delete parent[key];
        else if (op < 0.8) parent[key] = structuredClone(pick(values));
        else if (!Array.isArray(parent)) parent[`unknown${i}`] = structuredClone(pick(values));
      }
      let result;
      try {
        result = await importDashboard(readDashboard(d, `mutation-${n}.json`));
      } catch (e) {
        if (!(e instanceof ImportError)) failures.push(`${n}: ${(e as Error).message}`);
        continue;
      }
      const v = await verifyImport(result);
      if (v.unexplained.length) failures.push(`${n}: ${v.unexplained.map(formatDifference).join("; ")}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

describe("what the importer learns from the SDK", () => {
  it("where builder methods put their argument", async () => {
    const model = await loadSdkModel();
    const effect = (builder: string, method: string) => model.builders.get(builder)?.methods.get(method)?.effect;
    expect(effect("timeseries.PanelBuilder", "unit")).toEqual({
      kind: "set",
      path: ["fieldConfig", "defaults", "unit"],
    });
    expect(effect("timeseries.PanelBuilder", "span")).toEqual({ kind: "set", path: ["gridPos", "w"] });
    expect(effect("timeseries.PanelBuilder", "withTarget")).toEqual({ kind: "append", path: ["targets"] });
    expect(effect("dashboard.DashboardBuilder", "tooltip")).toEqual({ kind: "set", path: ["graphTooltip"] });
    expect(effect("dashboard.DashboardBuilder", "readonly")).toEqual({ kind: "flag", sets: [[["editable"], false]] });
    expect(effect("prometheus.DataqueryBuilder", "instant")).toEqual({
      kind: "flag",
      sets: [
        [["instant"], true],
        [["range"], false],
      ],
    });
    expect(model.builders.get("dashboard.QueryVariableBuilder")?.ctorParams[0].path).toEqual(["name"]);
    for (const kind of ["timeseries", "stat", "gauge", "table", "bargauge", "heatmap", "logs", "text", "piechart"])
      expect(model.panelBuilders.get(kind)?.ns, kind).toBe(kind);
    expect(model.panelBuilders.get("state-timeline")?.ns).toBe("statetimeline");
    // The SDK's own query builder for comparison: what it builds is what the model says it builds.
    expect(new prometheus.DataqueryBuilder().instant().build()).toMatchObject({ instant: true, range: false });
  });
});

describe("report", () => {
  it("summarises raw fields by path across objects and per object when there are many", async () => {
    const input = parseDashboardText(
      readFileSync(join(REPO_ROOT, "test/fixtures/import/legacy.json"), "utf8"),
      "legacy.json",
    );
    const lines = warningLines(await importDashboard(input));
    expect(lines).toContain("warning: kept as raw JSON: time_options in 1 object (timepicker)");
    expect(
      lines.find((l) => l.startsWith('warning: panel "Requests (graph)" (graph, id 2): kept as raw JSON:')),
    ).toMatch(/… \(\d+ fields\)$/);
  });
});
