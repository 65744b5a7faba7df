// A preview from the embedded data: the real Prometheus loaded with the catalog's series, each panel's
// queries answered, the same bytes from a second server started from scratch, no server left behind.
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOG } from "../../catalog/index.js";
import { loadConfig } from "../../config/index.js";
import { runBuild } from "../../src/commands/build.js";
import { REPO_CONTENT } from "../../scripts/content.js";
import type { DashboardJson } from "../../src/preview/model.js";
import { openSession, SYNTHETIC_END, type PreviewSource } from "../../src/preview/session.js";
import type { RenderedDashboard } from "../../src/preview/dashboard.js";
import { scrapeTargets } from "../fixtures/catalogSeries.js";

const config = loadConfig("dev");
const source: PreviewSource = { kind: "synthetic", metrics: CATALOG, targets: scrapeTargets(config) };
let dashboard: DashboardJson;
let first: RenderedDashboard;

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Prometheus servers this test process started and that still run. */
function childPids(): number[] {
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === process.pid && readFileSync(`/proc/${name}/cmdline`, "utf8").includes("prometheus")) out.push(Number(name));
    } catch {
      // gone
    }
  }
  return out;
}

beforeAll(async () => {
  const build = await runBuild({ content: REPO_CONTENT, write: false, config, lint: false });
  dashboard = build.dashboards.find((d) => d.json.uid === "fastapi-overview")!.json as unknown as DashboardJson;
  const session = await openSession([dashboard], { source });
  try {
    first = await session.render(dashboard);
  } finally {
    await session.close();
  }
}, 180_000);

describe("preview with the embedded data", () => {
  it("draws every Prometheus panel with data and names no errors", () => {
    const errors = first.panels.flatMap((p) => p.errors);
    expect(errors).toEqual([]);
    const drawn = first.panels.filter((p) => p.type === "timeseries" || p.type === "stat");
    expect(drawn.length).toBeGreaterThan(5);
    for (const p of drawn) expect(p.svg, `panel "${p.title}" drew no data`).not.toContain("No data");
    expect(first.window).toEqual({ from: (SYNTHETIC_END - 3600) * 1000, to: SYNTHETIC_END * 1000 });
  });

  it("logs and traces panels say why they are empty", () => {
    const logs = first.panels.filter((p) => p.type === "logs");
    expect(logs.length).toBeGreaterThan(0);
    for (const p of logs) expect(p.svg).toContain("no Loki in preview");
  });

  it("renders the same bytes from a freshly started server, and stops it", async () => {
    const session = await openSession([dashboard], { source });
    const pids = childPids();
    expect(pids.length).toBeGreaterThan(0);
    let again: RenderedDashboard;
    try {
      again = await session.render(dashboard);
    } finally {
      await session.close();
    }
    expect(again.svg === first.svg, "two previews of the same dashboard differ").toBe(true);
    for (const pid of pids) expect(alive(pid), `prometheus ${pid} still running`).toBe(false);
  }, 180_000);

  it("--var changes the query: an unknown path leaves the path panels empty", async () => {
    const session = await openSession([dashboard], { source, vars: { path: "/nowhere" } });
    try {
      const r = await session.render(dashboard);
      const byPath = r.panels.find((p) => p.title === "Requests/s by method and path")!;
      expect(byPath.svg).not.toContain("/api/items");
      expect(first.panels.find((p) => p.title === "Requests/s by method and path")!.svg).toContain("/api/items");
    } finally {
      await session.close();
    }
  }, 180_000);
});

afterAll(() => {
  expect(childPids()).toEqual([]);
});
