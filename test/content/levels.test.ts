// A panel's red level is the level its alert fires at: one number in the config drives both.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config/index.js";
import { BuildError } from "../../src/errors.js";
import { runBuild } from "../../src/commands/build.js";
import { REPO_CONTENT } from "../../scripts/content.js";

type Panel = { title: string; fieldConfig?: { defaults?: { thresholds?: { steps: { value: number | null; color: string }[] } } } };

async function errorRatioSteps(httpErrorRatio: number) {
  const config = loadConfig("dev", (c) => ({ ...c, alerting: { ...c.alerting, thresholds: { ...c.alerting?.thresholds, httpErrorRatio } } }));
  const r = await runBuild({ content: REPO_CONTENT, config, write: false });
  const json = r.dashboards.find((d) => d.json.uid === "fastapi-overview")!.json as { panels: Panel[] };
  const rules = r.files.find((f) => f.path === "prometheus/rules/fastapi.yaml")!.content;
  return { steps: json.panels.find((p) => p.title === "Error ratio (5xx)")!.fieldConfig!.defaults!.thresholds!.steps, rules };
}

describe("panel levels follow the alert thresholds", () => {
  it("raising the alert's error ratio moves the panel's red line and the rule together", async () => {
    const a = await errorRatioSteps(0.05);
    const b = await errorRatioSteps(0.08);
    expect(a.steps.at(-1)).toEqual({ value: 0.05, color: "red" });
    expect(b.steps.at(-1)).toEqual({ value: 0.08, color: "red" });
    expect(a.rules).toMatch(/> 0\.05\b/);
    expect(b.rules).toMatch(/> 0\.08\b/);
  });

  it("an amber level at or above the alert's level is a config error", () => {
    let err: unknown;
    try {
      loadConfig("dev", (c) => ({ ...c, thresholds: { ...c.thresholds, errorRatioWarning: 0.2 } }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BuildError);
    expect((err as BuildError).problems[0].message).toMatch(/thresholds\.errorRatioWarning: must be below alerting\.thresholds\.httpErrorRatio/);
  });
});
