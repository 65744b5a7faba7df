// A dashboard without a uid gets a stable one from its title, unique among the repository's dashboards,
// with a warning; --uid still wins.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importDashboard, readDashboard, REPO_ROOT } from "../../src/import/index.js";
import { dashboardsDir, deriveUid, repositoryDashboardUids, slugify, UID_PATTERN } from "../../src/import/uid.js";
import { runImport } from "../fixtures/importCli.js";

const noUid = readFileSync(join(REPO_ROOT, "test/fixtures/import/no-uid.json"), "utf8");

const cli = (args: string[]) => runImport(args, { cwd: REPO_ROOT });

describe("deriveUid", () => {
  const none = new Set<string>();

  it("is the slug of the title: lower case, accents dropped, other runs of characters one dash", () => {
    expect(deriveUid("API overview", none)).toBe("api-overview");
    expect(deriveUid("  Café — Überblick (prod) ", none)).toBe("cafe-uberblick-prod");
    expect(deriveUid("Node_Exporter/Full!!", none)).toBe("node-exporter-full");
  });

  it("is at most 40 characters and never ends in a dash", () => {
    const uid = deriveUid("Kubernetes / Compute Resources / Namespace (Pods) and more words", none);
    expect(uid).toBe("kubernetes-compute-resources-namespace");
    expect(uid.length).toBeLessThanOrEqual(40);
    expect(deriveUid(`${"a".repeat(39)} b`, none)).toBe("a".repeat(39));
  });

  it("a title without latin letters or digits: a stable hash, different per title", () => {
    const a = deriveUid("仪表盘", none);
    expect(a).toMatch(/^dashboard-[0-9a-f]{10}$/);
    expect(deriveUid("仪表盘", none)).toBe(a);
    expect(deriveUid("監視", none)).not.toBe(a);
    expect(deriveUid("", none)).toMatch(/^dashboard-[0-9a-f]{10}$/);
  });

  it("a taken uid gets -2, -3, …, still within 40 characters", () => {
    expect(deriveUid("Home", new Set(["home"]))).toBe("home-2");
    expect(deriveUid("Home", new Set(["home", "home-2"]))).toBe("home-3");
    const long = "x".repeat(40);
    const uid = deriveUid(long, new Set([long]));
    expect(uid).toBe(`${"x".repeat(38)}-2`);
  });

  it("always matches Grafana's uid charset and length, whatever the title", () => {
    for (const title of ["\u2028", "a\u0000b", "😀 Ops", "-".repeat(100), "Ünïcödé".repeat(20), "\ud800x"])
      expect(deriveUid(title, none)).toMatch(UID_PATTERN);
    expect(slugify("--A--")).toBe("a");
  });
});

describe("import: a dashboard without a uid", () => {
  it("finds the uids of dashboards/ as the build does (definitions, not text)", async () => {
    const uids = await repositoryDashboardUids(dashboardsDir(REPO_ROOT), REPO_ROOT);
    expect(uids.get("home")).toBe(join("dashboards", "home", "index.ts"));
    expect(uids.get("fastapi-overview")).toBe(join("dashboards", "fastapi", "index.ts"));
  });

  it("gets the slug of its title, with a warning saying so", async () => {
    const r = await cli([join("test/fixtures/import/no-uid.json")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('uid: "no-uid-yet"');
    expect(r.stdout).toContain('.uid("no-uid-yet")');
    expect(r.stderr).toContain(
      'warning: dashboard: the dashboard has no uid; using "no-uid-yet", derived from its title (unique among the dashboards of the repository); pass --uid <uid> to choose another',
    );
  });

  it("a title whose slug a repository dashboard already uses gets the next free one", async () => {
    const d = { ...JSON.parse(noUid), title: "Home" };
    const r = await importDashboard(readDashboard(d, "home.json"));
    expect(r.uid).toBe("home-2");
    expect(r.warnings[0].message).toContain('using "home-2"');
  });

  it("--uid wins: no derived uid, no warning", async () => {
    const r = await cli([join("test/fixtures/import/no-uid.json"), "--uid", "chosen-one"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('uid: "chosen-one"');
    expect(r.stderr).not.toContain("derived from its title");
  });

  it("the same input gives the same uid", async () => {
    const a = await importDashboard(readDashboard(JSON.parse(noUid), "a.json"), { takenUids: new Map() });
    const b = await importDashboard(readDashboard(JSON.parse(noUid), "b.json"), { takenUids: new Map() });
    expect(a.uid).toBe("no-uid-yet");
    expect(b.code).toBe(a.code);
  });
});
