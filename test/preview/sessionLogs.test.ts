// The FastAPI overview as `npm run preview -- --loki-url …` renders it: the embedded Prometheus for
// the metric panels, the local Loki double for its logs panel, over the same fixed window.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOG } from "../../catalog/index.js";
import { loadConfig } from "../../config/index.js";
import { REPO_CONTENT } from "../../scripts/content.js";
import { runBuild } from "../../src/commands/build.js";
import type { RenderedDashboard } from "../../src/preview/dashboard.js";
import type { DashboardJson } from "../../src/preview/model.js";
import { openSession, SYNTHETIC_END } from "../../src/preview/session.js";
import { scrapeTargets } from "../fixtures/catalogSeries.js";
import { startLogsDouble, type LogsDouble } from "../fixtures/loki-tempo-double.js";

const config = loadConfig("dev");
let double: LogsDouble;
let rendered: RenderedDashboard;
let logsExpr: string;

beforeAll(async () => {
  const build = await runBuild({ content: REPO_CONTENT, write: false, config, lint: false });
  const dashboard = build.dashboards.find((d) => d.json.uid === "fastapi-overview")!.json as unknown as DashboardJson;
  const logsPanel = dashboard.panels!.find((p) => p.type === "logs")!;
  logsExpr = logsPanel.targets![0].expr!;
  const end = BigInt(SYNTHETIC_END) * 1_000_000_000n;
  double = await startLogsDouble({
    logs: {
      [logsExpr]: [
        { stream: { job: "docker", service: "app", level: "error" }, values: [[String(end - 5_000_000_000n), '{"event":"chat completion failed","status":502}']] },
        { stream: { job: "docker", service: "app", level: "info" }, values: [[String(end - 9_000_000_000n), '{"event":"chat completion","status":200}']] },
      ],
    },
  });
  const session = await openSession([dashboard], { source: { kind: "synthetic", metrics: CATALOG, targets: scrapeTargets(config) }, loki: { url: double.url } });
  try {
    rendered = await session.render(dashboard);
  } finally {
    await session.close();
  }
}, 180_000);

afterAll(() => double?.close());

describe("preview of a repository dashboard with --loki-url", () => {
  it("asks Loki for the logs panel's query over the dashboard's window and draws its lines", () => {
    expect(double.requests).toHaveLength(1);
    const { path, params } = double.requests[0];
    expect(path).toBe("/loki/api/v1/query_range");
    expect(params.query).toBe(logsExpr);
    expect(params.end).toBe(`${SYNTHETIC_END}000000000`);
    expect(params.start).toBe(`${SYNTHETIC_END - 3600}000000000`); // time.from now-1h
    const panel = rendered.panels.find((p) => p.type === "logs")!;
    expect(panel.errors).toEqual([]);
    expect(panel.svg).toContain("chat completion failed");
    expect(panel.svg).toContain("2026-01-01 15:59:55.000");
    expect(panel.svg).not.toContain("no Loki in preview");
    expect(rendered.panels.flatMap((p) => p.errors)).toEqual([]);
  });
});
