// build/ops/dashboards.json: valid against its schema, and every link in it opens a built panel.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import type { Dashboard, Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";
import { alertRules } from "../../src/alerting/model.js";
import { grafanaBase } from "../../src/alerting/links.js";
import { dashboardUrl } from "../../src/model/dashboardUrl.js";
import type { OpsIndex } from "../../src/model/opsIndex.js";
import { REPO_ROOT } from "../../src/pipeline/collect.js";
import { runBuild } from "../../src/commands/build.js";
import type { BuildResult } from "../../src/pipeline/index.js";
import { REPO_CONTENT } from "../../scripts/content.js";
import { loadConfig } from "../../config/index.js";
import { renderLinkTemplate } from "../fixtures/alerts/promtool.js";

let result: BuildResult;
let index: OpsIndex;
const built = new Map<string, Dashboard>();

beforeAll(async () => {
  result = await runBuild({ content: REPO_CONTENT, env: "dev", write: false, lint: false });
  index = JSON.parse(result.files.find((f) => f.path === "ops/dashboards.json")!.content);
  for (const f of result.files.filter((f) => f.path.startsWith("grafana/provisioning/dashboards/") && f.path.endsWith(".json"))) {
    const d = JSON.parse(f.content) as Dashboard;
    built.set(d.uid!, d);
  }
}, 120_000);

function panelsOf(d: Dashboard): Panel[] {
  const nested = (p: Panel | RowPanel): Panel[] => (p.type === "row" ? ((p as RowPanel).panels ?? []) : [p]) as Panel[];
  return (d.panels as (Panel | RowPanel)[]).flatMap(nested);
}

describe("build/ops/dashboards.json", () => {
  it("validates against schemas/ops-dashboards.schema.json", () => {
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, "schemas/ops-dashboards.schema.json"), "utf8"));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(index), JSON.stringify(validate.errors)).toBe(true);
    // and the schema is a real check
    expect(validate({ ...index, dashboards: [{ ...index.dashboards[0], panels: [{ ...index.dashboards[0].panels[0], id: "4" }] }] })).toBe(false);
  });

  it("lists every built dashboard with its folder and variables", () => {
    expect(index.dashboards.map((d) => d.uid).sort()).toEqual([...built.keys()].sort());
    const config = loadConfig("dev");
    for (const d of index.dashboards) {
      expect(Object.values(config.folders)).toContainEqual(expect.objectContaining(d.folder));
      expect(d.variables.map((v) => v.name)).toEqual((built.get(d.uid)!.templating?.list ?? []).map((v) => v.name));
      for (const v of d.variables) expect(v.param).toBe(`var-${v.name}`);
    }
  });

  it("every deep link and solo link resolves to a built panel with that title", () => {
    let links = 0;
    for (const d of index.dashboards) {
      const dashboard = built.get(d.uid)!;
      expect(panelsOf(dashboard).length).toBe(d.panels.length);
      for (const p of d.panels) {
        for (const [path, param, prefix] of [
          [p.path, "viewPanel", "/d/"],
          [p.soloPath, "panelId", "/d-solo/"],
        ] as const) {
          const url = new URL(path, "http://grafana.test");
          const [, kind, uid, slug] = url.pathname.split("/");
          expect(`/${kind}/`).toBe(prefix);
          expect(slug).toMatch(/^[a-z0-9-]+$/);
          const target = built.get(uid);
          expect(target, path).toBeDefined();
          const panel = panelsOf(target!).find((x) => String(x.id) === url.searchParams.get(param));
          expect({ path, title: panel?.title, type: panel?.type }).toEqual({ path, title: p.title, type: p.kind });
          links++;
        }
      }
    }
    expect(links).toBeGreaterThan(100);
  });

  it("every alert names the panel its dashboard_url opens, built with the same URL function", () => {
    const config = loadConfig("dev");
    expect(index.alerts.length).toBeGreaterThan(10);
    for (const { rule } of alertRules(result.alerting!.groups)) {
      const entry = index.alerts.find((a) => a.name === rule.name && a.severity === rule.labels.severity)!;
      expect(entry.links.length).toBeGreaterThan(0);
      for (const link of entry.links) {
        const d = index.dashboards.find((x) => x.uid === link.dashboardUid)!;
        expect(d.panels.some((p) => p.id === link.panelId)).toBe(true);
        // A single link opens on whichever job fired; fastapi's Grafana differs from the default one.
        const job = link.job ?? "fastapi";
        const rendered = renderLinkTemplate(rule.annotations.dashboard_url, { job });
        const withJob = rendered.includes("&var-job=");
        expect(rendered).toBe(dashboardUrl(d, link.panelId, { base: grafanaBase(config, job), ...(withJob ? { vars: { job } } : {}) }));
      }
    }
  });
});
