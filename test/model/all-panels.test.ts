// Every panel of a dashboard in document order: top-level panels, each row followed by the panels
// nested in it; what is not a panel object is left out.
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { describe, expect, it } from "vitest";
import { allPanels, panelsOf } from "../../src/model/dashboard.js";

describe("allPanels", () => {
  it("lists rows with their nested panels in document order, skipping what is not an object", () => {
    const d = {
      panels: [
        { type: "stat", title: "a" },
        null,
        { type: "row", title: "r", panels: [{ type: "stat", title: "b" }, "junk", { type: "row", title: "inner", panels: [{ title: "deep" }] }] },
        { type: "row", title: "empty" },
        { type: "text", title: "c", panels: [{ title: "not nested: not a row" }] },
      ],
    } as unknown as Dashboard;
    expect(allPanels(d).map((p) => p.title)).toEqual(["a", "r", "b", "inner", "empty", "c"]);
    expect(panelsOf(d).map((p) => p.title)).toEqual(["a", "r", "empty", "c"]);
  });

  it("reads a missing or malformed panel list as empty", () => {
    expect(allPanels({} as Dashboard)).toEqual([]);
    expect(allPanels({ panels: "x" } as unknown as Dashboard)).toEqual([]);
  });
});
