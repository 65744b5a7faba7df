// The build's copy out of the SDK notes whether a dashboard holds anything the value check reports;
// a dashboard it found clean is not walked again. Whatever the copy saw, the check's findings are
// those of a full walk.
import { describe, expect, it } from "vitest";
import type { DashboardDefinition } from "../../src/definitions.js";
import type { Config } from "../../src/model/config.js";
import { buildDashboard } from "../../src/pipeline/dashboards.js";
import { checkDashboardValues } from "../../src/validate/dashboardValues.js";
import { MAX_VALUE_DEPTH } from "../../src/validate/emittedValues.js";

const config = { folders: { svc: { uid: "svc", title: "Services" } } } as unknown as Config;

function built(json: () => Record<string, unknown>, layout: "flow" | "fixed" = "flow") {
  const def = { kind: "dashboard", uid: "vals", folder: "svc", file: "vals.ts", layout, build: () => ({ build: json }) } as unknown as DashboardDefinition;
  const r = buildDashboard(def, [def], config);
  expect(r.problems).toBeUndefined();
  return r.built!;
}

const messages = (json: () => Record<string, unknown>, layout?: "flow" | "fixed") =>
  checkDashboardValues([built(json, layout)]).map((p) => `${p.panelTitle ?? "-"}: ${p.message}`);

describe("the value check of a freshly built dashboard", () => {
  it("finds nothing in a clean dashboard", () => {
    expect(messages(() => ({ uid: "vals", title: "V", panels: [{ type: "stat", title: "A", options: { x: [1, "two"] } }] }))).toEqual([]);
  });

  it("reports what the copy saw: a NaN, a lone surrogate in a value and in a key, by panel", () => {
    const json = () => ({
      uid: "vals",
      title: "V",
      weight: Number.NaN,
      panels: [
        { type: "stat", title: "A", options: { max: Number.POSITIVE_INFINITY } },
        { type: "row", title: "R", collapsed: true, panels: [{ type: "stat", title: "B", description: "x\uD800", options: { ["k\uDC00"]: 1 } }] },
      ],
    });
    expect(messages(json)).toEqual([
      "-: weight is NaN; only finite numbers can be written",
      "A: options.max is Infinity; only finite numbers can be written",
      "B: description has a lone surrogate U+D800 at character 1, which is not valid UTF-8",
      'B: options["k\\udc00"] key has a lone surrogate U+DC00 at character 1, which is not valid UTF-8',
    ]);
  });

  it("reports nesting at the limit", () => {
    let deep: unknown = 1;
    for (let i = 0; i < MAX_VALUE_DEPTH; i++) deep = { n: deep };
    const found = messages(() => ({ uid: "vals", title: "V", extra: deep }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/is nested more than 64 levels deep$/);
  });
});
