// An alert's links and the Ops index agree because they come from one place: for every alert of the
// repository, in Grafana-managed and Prometheus mode, the Grafana rule's dashboardUid/panelId, the
// panel its dashboard_url opens (every job branch) and the index's link for that alert are the same
// panel, and the URL is what the exported dashboardUrl helper makes of the index entry.
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig } from "../../config/index.js";
import { GRAFANA_FILES } from "../../src/alerting/grafana.js";
import { grafanaBase } from "../../src/alerting/links.js";
import { alertRules } from "../../src/alerting/model.js";
import { runBuild } from "../../src/commands/build.js";
import { dashboardUrl } from "../../src/model/dashboardUrl.js";
import type { OpsIndex } from "../../src/model/opsIndex.js";
import type { BuildResult } from "../../src/pipeline/index.js";
import { REPO_CONTENT } from "../../scripts/content.js";
import { renderLinkTemplate } from "../fixtures/alerts/promtool.js";

const config = loadConfig("dev", (c) => ({ ...c, alerting: { ...c.alerting, mode: "both" } }));
let result: BuildResult;
let index: OpsIndex;
let grafanaRules: { title: string; dashboardUid?: string; panelId?: number; annotations: Record<string, string> }[];

beforeAll(async () => {
  result = await runBuild({ content: REPO_CONTENT, config, write: false, lint: false });
  const file = (path: string) => result.files.find((f) => f.path === path)!.content;
  index = JSON.parse(file("ops/dashboards.json"));
  grafanaRules = parse(file(GRAFANA_FILES.rules)).groups.flatMap((g: { rules: unknown[] }) => g.rules);
}, 120_000);

/** The jobs whose branch of a dashboard_url template differs: every scrape job, and one that is none. */
const jobs = () => [...Object.keys(config.prometheus.scrapeJobs), "not-a-scrape-job"];

describe("alert links and the Ops index share one panel resolution and one URL function", () => {
  it("every rendered dashboard_url opens the panel the index links the alert to, as dashboardUrl writes it", () => {
    let checked = 0;
    for (const { rule } of alertRules(result.alerting!.groups)) {
      const entry = index.alerts.find((a) => a.name === rule.name && a.severity === rule.labels.severity)!;
      for (const job of jobs()) {
        const url = renderLinkTemplate(rule.annotations.dashboard_url, { job });
        if (!url) continue;
        const link = entry.links.find((l) => l.job === job) ?? (entry.links.length === 1 ? entry.links[0] : undefined);
        if (!link) continue; // a per-job link without a branch for this job renders nothing above
        const d = index.dashboards.find((x) => x.uid === link.dashboardUid)!;
        const parsed = new URL(url);
        expect({ alert: rule.name, job, viewPanel: parsed.searchParams.get("viewPanel") }).toEqual({ alert: rule.name, job, viewPanel: String(link.panelId) });
        const withJob = parsed.searchParams.has("var-job");
        expect(url).toBe(dashboardUrl(d, link.panelId, { base: grafanaBase(config, job), ...(withJob ? { vars: { job } } : {}) }));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it("every Grafana-managed rule with a panel carries the index's panel, and its dashboard_url opens it", () => {
    const withPanel = grafanaRules.filter((r) => r.panelId !== undefined);
    expect(withPanel.length).toBeGreaterThan(5);
    for (const r of withPanel) {
      const entry = index.alerts.find((a) => r.title === a.name || r.title.startsWith(`${a.name} `))!;
      expect({ rule: r.title, links: entry.links.map((l) => ({ dashboardUid: l.dashboardUid, panelId: l.panelId })) }).toEqual({
        rule: r.title,
        links: [{ dashboardUid: r.dashboardUid, panelId: r.panelId }],
      });
      const url = new URL(renderLinkTemplate(r.annotations.dashboard_url, { job: Object.keys(config.prometheus.scrapeJobs)[0] }));
      expect(url.pathname.split("/")[2]).toBe(r.dashboardUid);
      expect(url.searchParams.get("viewPanel")).toBe(String(r.panelId));
    }
  });
});
