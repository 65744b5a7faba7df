// The collector-suffix switch renames the model service's counter everywhere it is queried, and the
// build (catalog check included) accepts both spellings.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config/index.js";
import { alertRules } from "../../src/alerting/model.js";
import { runBuild } from "../../src/commands/build.js";
import { REPO_CONTENT } from "../../scripts/content.js";

const queried = async (suffixes: boolean) => {
  const config = loadConfig("dev", (c) => ({ ...c, signals: { collectorMetricSuffixes: suffixes } }));
  const build = await runBuild({ content: REPO_CONTENT, write: false, config });
  const json = (uid: string) => JSON.stringify(build.dashboards.find((d) => d.json.uid === uid)!.json);
  const rules = alertRules(build.alerting!.groups).map(({ rule }) => `${rule.name}: ${rule.expr}`);
  return { model: json("model-service-inference"), home: json("home"), rules };
};

describe("signals.collectorMetricSuffixes", () => {
  it("on (the exporter's default): model_inference_total in dashboards and alerts", async () => {
    const { model, rules } = await queried(true);
    expect(model).toContain("model_inference_total{");
    expect(rules.find((r) => r.startsWith("ServiceStoppedReporting"))).toContain('absent_over_time(model_inference_total{job="model-service"}[10m])');
  });

  it("off: every model service query and the liveness and error alerts use model_inference", async () => {
    const { model, home, rules } = await queried(false);
    expect(model).not.toContain("model_inference_total");
    expect(model).toContain("model_inference{");
    expect(home).toContain("timestamp(sum(rate(model_inference{");
    expect(home).not.toContain("model_inference_total");
    expect(rules.find((r) => r.startsWith("ServiceStoppedReporting"))).toContain('absent_over_time(model_inference{job="model-service"}[10m])');
    expect(rules.find((r) => r.startsWith("ModelInferenceHighErrorRate"))).not.toContain("model_inference_total");
  });
});
