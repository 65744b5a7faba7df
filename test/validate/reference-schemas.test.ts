// Every built dashboard, and each panel's options and field config, against Grafana's own generated
// JSON Schemas (../shared/schemas). Skipped, loudly, where that folder is absent.
import { describe, expect, it } from "vitest";
import { runBuild } from "../../src/commands/build.js";
import { referenceSchemasDir, validateAgainstReference } from "../../src/validate/schemas.js";
import { REPO_CONTENT } from "../../scripts/content.js";

const dir = referenceSchemasDir();
if (!dir) console.warn("SKIPPED: Grafana's reference schemas not found (../shared/schemas/grafana-foundation-sdk or $GRAFANA_REFERENCE_SCHEMAS)");

describe.skipIf(!dir)("built dashboards against Grafana's published schemas", () => {
  it("the build with --reference-schemas passes, and every dashboard and panel validates", async () => {
    const r = await runBuild({ content: REPO_CONTENT, write: false, referenceSchemas: true });
    expect(r.dashboards.length).toBeGreaterThan(0);
    for (const d of r.dashboards) {
      expect(validateAgainstReference(d.json, dir!), d.json.uid).toEqual([]);
    }
  });

  it("a wrongly typed panel option in a built dashboard is reported with the panel title", async () => {
    const r = await runBuild({ content: REPO_CONTENT, write: false });
    const json = structuredClone(r.dashboards[0].json) as { panels: { type: string; title: string; options?: Record<string, unknown> }[] };
    const panel = json.panels.find((p) => p.type === "timeseries")!;
    panel.options = { ...panel.options, legend: { displayMode: 42, placement: "bottom", showLegend: true, calcs: [] } };
    const issues = validateAgainstReference(json, dir!);
    expect(issues).toContainEqual(expect.objectContaining({ panelTitle: panel.title }));
  });
});
