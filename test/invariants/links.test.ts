// Links to dashboards are checked wherever they point at this build's Grafana: /d/<uid> at the root,
// under a sub-path (/grafana/d/<uid>), or absolute on the configured Grafana host. Other hosts are
// left alone.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BuildError } from "../../src/errors.js";
import { runBuild } from "../../src/commands/build.js";
import { linkedUids } from "../../src/validate/dashboardLinks.js";
import { baseJson, config, panelJson } from "./dashboards.js";
import { jsonDefinition, preloadedDir } from "./preloaded.js";
import { findings, goodAlert, ruleFile, tree } from "../lint/fixtures.js";
import { REPO_CONTENT } from "../../scripts/content.js";

const root = mkdtempSync(join(tmpdir(), "links-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const GRAFANA = config.alerting.grafanaUrl; // http://localhost:3000

describe("linkedUids", () => {
  it.each([
    ["/d/abc", ["abc"]],
    ["/d/abc/slug?var-job=x", ["abc"]],
    ["/grafana/d/abc", ["abc"]],
    ["/a/b/d/abc#panel-2", ["abc"]],
    [`${GRAFANA}/d/abc?viewPanel=2`, ["abc"]],
    [`${GRAFANA}/grafana/d/abc/slug`, ["abc"]],
    ["HTTP://LOCALHOST:3000/d/abc", ["abc"]],
    ["http://localhost:3001/d/abc", []],
    ["https://grafana.example.org/d/abc", []],
    ["/dashboards/f/abc", []],
    ["/d-solo/abc", []],
    ["/explore?left=%2Fd%2Fabc", []],
  ])("%s → %j", (url, uids) => {
    expect(linkedUids(url, { grafanaUrl: GRAFANA })).toEqual(uids);
  });
});

describe("the build refuses dangling links in every form", () => {
  const build = async (links: { dashboard?: string[]; panel?: string[]; data?: string[] }) => {
    const d = baseJson("linker");
    d.links = (links.dashboard ?? []).map((url) => ({ title: "L", type: "link", url }));
    d.panels = [
      panelJson("Linked", { x: 0, y: 0, w: 12, h: 8 }, (p) => {
        p.links = (links.panel ?? []).map((url) => ({ title: "P", url }));
        p.fieldConfig.defaults.links = (links.data ?? []).map((url) => ({ title: "D", url }));
      }),
    ];
    return runBuild({ content: REPO_CONTENT, out: join(root, "out"), config, dashboardsDir: preloadedDir({ "linker.ts": jsonDefinition(d) }), alertsDir: null, lint: false }).then(
      () => [],
      (e: unknown) => {
        expect(e).toBeInstanceOf(BuildError);
        return (e as BuildError).problems.filter((p) => p.code === "dangling-dashboard-link").map((p) => `${p.panelTitle ?? "-"}: ${p.message}`);
      },
    );
  };

  it("a sub-path link, an absolute link to this Grafana and a data link, each named", async () => {
    const problems = await build({ dashboard: ["/grafana/d/gone"], panel: [`${GRAFANA}/d/missing?viewPanel=1`], data: ["https://localhost:3000/grafana/d/absent/slug?var-x=${__value.raw}"] });
    expect(problems).toEqual([
      '-: dashboard link "L" (/grafana/d/gone) points at dashboard uid "gone", which no dashboard of this build has (uids: linker)',
      `Linked: panel link "P" (${GRAFANA}/d/missing?viewPanel=1) points at dashboard uid "missing", which no dashboard of this build has (uids: linker)`,
      'Linked: data link "D" (https://localhost:3000/grafana/d/absent/slug?var-x=${__value.raw}) points at dashboard uid "absent", which no dashboard of this build has (uids: linker)',
    ]);
  });

  it("links to itself in every form and to other hosts pass", async () => {
    expect(await build({ dashboard: ["/grafana/d/linker", "https://grafana.example.org/d/elsewhere"], panel: [`${GRAFANA}/d/linker`], data: ["/d/linker/slug"] })).toEqual([]);
  });
});

describe("alert dashboard_url (lint on a tree)", () => {
  it("a sub-path dashboard_url to a missing dashboard is reported", () => {
    const alert = goodAlert({ annotations: { ...goodAlert().annotations, dashboard_url: `${GRAFANA}/grafana/d/nope?viewPanel=2` } });
    const f = findings("alert-links", tree({ rules: [ruleFile([{ name: "fixture", rules: [alert] }])] }));
    expect(f.map((x) => x.message)).toContain("dashboard_url links /d/nope, which this tree does not provision (uids: lint-fixture)");
  });
});
