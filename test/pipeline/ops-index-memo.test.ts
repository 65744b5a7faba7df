// The Ops index serialised and schema-checked entry by entry (src/pipeline/opsIndex.ts,
// src/validate/opsIndexSchema.ts) says what the whole-document functions say: the same text as
// stableStringifyJson, the same problems as checking the whole index, with or without held entries.
import { describe, expect, it } from "vitest";
import { inStableOrder, stableStringifyJson } from "../../src/emit/stable.js";
import type { BuiltDashboard } from "../../src/model/dashboard.js";
import { loadConfig } from "../../config/index.js";
import type { OpsDashboard, OpsIndex } from "../../src/model/opsIndex.js";
import { opsIndex, opsIndexBytes, opsIndexFile, opsIndexParts } from "../../src/pipeline/opsIndex.js";
import { checkFileSchema } from "../../src/validate/emittedFiles.js";
import { checkOpsIndex } from "../../src/validate/opsIndexSchema.js";

const dashboard = (uid: string, extra: Partial<OpsDashboard> = {}): OpsDashboard => ({
  uid,
  title: `${uid} "quoted"\nand a newline`,
  folder: { uid: "services", title: "Services" },
  tags: ["b", "a"],
  path: `/d/${uid}/${uid}`,
  variables: [{ name: "job", label: "Job", default: ["a", "b"], param: "var-job" }],
  panels: [{ id: 1, title: "p", kind: "stat", description: "", path: `/d/${uid}/x?viewPanel=1`, soloPath: `/d-solo/${uid}/x?panelId=1` }],
  ...extra,
});
const index = (dashboards: OpsDashboard[], alerts: OpsIndex["alerts"] = []): OpsIndex => ({ generator: "grafana-as-code", env: "dev", dashboards, alerts });
const alert = { name: "HighErrorRate", severity: "page", group: "g", links: [{ dashboardUid: "a", panelId: 1 }] };

describe("opsIndexBytes", () => {
  it("is stableStringifyJson of the index in UTF-8, for none, one and several dashboards, with and without alerts", () => {
    const a = dashboard("a", { title: "a — überblick ≥ 5xx" });
    for (const ops of [index([]), index([a]), index([a, dashboard("b")], [alert]), index([], [alert])]) {
      const expected = Buffer.from(stableStringifyJson(ops), "utf8");
      expect(opsIndexBytes(ops).equals(expected)).toBe(true);
      expect(opsIndexBytes(ops).equals(expected)).toBe(true); // again, from the held parts
      const file = opsIndexFile(ops);
      expect(file.path).toBe("ops/dashboards.json");
      expect(file.content).toBe(stableStringifyJson(ops));
      expect(Buffer.concat(file.parts).equals(expected)).toBe(true);
    }
  });

  it("gives a held dashboard's entry as the same part from one index to the next, and a new entry for a changed one", () => {
    const a = dashboard("a");
    const b = dashboard("b");
    const first = opsIndexParts(index([a, b]));
    const second = opsIndexParts(index([a, dashboard("b", { title: "b renamed" })]));
    expect(second.length).toBe(first.length);
    const heldA = first.findIndex((p) => p.toString("utf8").includes('"uid": "a"'));
    expect(heldA).toBeGreaterThan(0);
    expect(second[heldA]).toBe(first[heldA]);
    const atB = first.findIndex((p) => p.toString("utf8").includes('"uid": "b"'));
    expect(second[atB]).not.toBe(first[atB]);
    expect(second[atB].toString("utf8")).toContain("b renamed");
  });
});

describe("checkOpsIndex", () => {
  it("finds what the whole index's check finds: nothing, a bad entry (at its place), a bad top level", () => {
    const good = [dashboard("a"), dashboard("b")];
    expect(checkOpsIndex(index(good), "build/ops/dashboards.json")).toEqual([]);
    // An entry seen valid before, then another that is not: the problems name the index as a whole would.
    const bad = index([...good, dashboard("c", { path: "not a path" })]);
    const whole = checkFileSchema("ops-dashboards", bad, "build/ops/dashboards.json");
    expect(whole.length).toBeGreaterThan(0);
    expect(whole[0].message).toContain("/dashboards/2/path");
    expect(checkOpsIndex(bad, "build/ops/dashboards.json")).toEqual(whole);
    const badEnv = { ...index(good), env: "" };
    expect(checkOpsIndex(badEnv, "x")).toEqual(checkFileSchema("ops-dashboards", badEnv, "x"));
    expect(checkOpsIndex(badEnv, "x").length).toBeGreaterThan(0);
  });
});

describe("opsIndex", () => {
  it("is built with every key in the file's order: serialising it and handing it to lint share it instead of copying it", () => {
    const json = {
      uid: "a",
      title: "A board",
      tags: ["x"],
      templating: { list: [{ name: "job", label: "Job", current: { value: "api" } }, { name: "env", current: { value: ["a", "b"] } }] },
      panels: [
        { id: 2, type: "stat", title: "p", description: "d" },
        { id: 1, type: "row", title: "r", panels: [{ id: 3, type: "timeseries", title: "q" }] },
      ],
    };
    const built = { definition: { uid: "a", file: "dashboards/a.ts" }, folderUid: "services", json } as unknown as BuiltDashboard;
    const ops = opsIndex([built], [], loadConfig("dev"));
    expect(ops.dashboards[0].panels.map((p) => p.id)).toEqual([2, 3]);
    expect(inStableOrder(ops)).toBe(ops);
    expect(JSON.stringify(ops, null, 2) + "\n").toBe(stableStringifyJson(ops));
  });
});
