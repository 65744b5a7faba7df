// What the build keeps of a dashboard for the checks across dashboards (src/pipeline/summary.ts):
// the fields those checks read, nothing else, whatever shape the dashboard has.
import { describe, expect, it } from "vitest";
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { dashboardSummary } from "../../src/pipeline/summary.js";

const json = {
  uid: "u", title: "T", tags: ["a"], links: [{ title: "L", url: "/x" }], editable: true, time: { from: "now-1h", to: "now" },
  templating: { list: [{ name: "job", label: "Job", current: { value: "api", text: "api" }, query: "label_values(up, job)" }, { name: "x", type: "custom" }, "odd"] },
  panels: [
    {
      id: 1, type: "timeseries", title: "A", description: "d", gridPos: { x: 0, y: 0, w: 12, h: 8 }, links: [{ url: "/p" }],
      fieldConfig: { defaults: { unit: "s", links: [{ url: "/dl" }] }, overrides: [{ matcher: {}, properties: [{ id: "unit", value: "ms" }, { id: "links", value: [] }] }, "odd", { properties: "no" }] },
      targets: [{ refId: "A", expr: "up" }, { refId: "B", query: "{}" }, 7],
      options: { legend: {} },
    },
    { id: 2, type: "row", title: "R", panels: [{ id: 3, type: "stat", title: "S", fieldConfig: { defaults: {} }, panels: [{ id: 9 }] }, null, "odd"] },
    null,
    { type: "text" },
  ],
} as unknown as Dashboard;

describe("a dashboard's summary", () => {
  it("holds uid, title, tags, links, variables and each panel's id, type, title, description, links, data links and query texts", () => {
    const s = dashboardSummary({ definition: { uid: "u", folder: "f", file: "dashboards/u.ts" }, folderUid: "f", json });
    expect(s.definition.file).toBe("dashboards/u.ts");
    expect(s.folderUid).toBe("f");
    expect(JSON.stringify(s.json)).toBe(JSON.stringify({
      uid: "u", title: "T", tags: ["a"], links: [{ title: "L", url: "/x" }],
      templating: { list: [{ name: "job", label: "Job", current: { value: "api" } }, { name: "x" }, "odd"] },
      panels: [
        {
          id: 1, type: "timeseries", title: "A", description: "d", links: [{ url: "/p" }],
          fieldConfig: { defaults: { links: [{ url: "/dl" }] }, overrides: [{ properties: [{ id: "links", value: [] }] }, {}, {}] },
          targets: [{ expr: "up" }, {}, 7],
        },
        { id: 2, type: "row", title: "R", panels: [{ id: 3, type: "stat", title: "S", fieldConfig: {} }] },
        { type: "text" },
      ],
    }));
  });

  it("is the same object for the same dashboard", () => {
    const d = { definition: { uid: "u", folder: "f" }, folderUid: "f", json };
    expect(dashboardSummary(d).json).toBe(dashboardSummary({ ...d }).json);
  });
});
