// Benchmark: push 500 generated dashboards to the in-process Grafana double, then push again
// (nothing changed, so nothing is written). Prints a markdown table.
//   npx tsx bench/push.ts
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/push/cli.js";
import { GrafanaDouble } from "../test/fixtures/grafana-double.js";
import { sampleFiles, writeTree } from "../test/fixtures/push-tree/sampleTree.js";

const DASHBOARDS = 500;
const dir = await mkdtemp(join(tmpdir(), "push-bench-"));
// The sample tree has 4 dashboards; generate the rest.
await writeTree(dir, sampleFiles({ extraDashboards: DASHBOARDS - 4 }));

interface Row {
  scenario: string;
  run: string;
  ms: number;
  requests: number;
  writes: number;
  exit: number;
}
const rows: Row[] = [];

async function scenario(name: string, latencyMs: number, concurrency: number): Promise<void> {
  const grafana = await GrafanaDouble.start({ token: "bench-token" });
  // Round-trip latency on every request, as a remote Grafana would have.
  if (latencyMs) grafana.inject(undefined, /.*/, { type: "slow", delayMs: latencyMs }, Number.MAX_SAFE_INTEGER);
  const env = {
    GRAFANA_URL: grafana.url,
    GRAFANA_TOKEN: "bench-token",
    GRAFANA_LOKI_PASSWORD: "x",
    GRAFANA_WEBHOOK_PASSWORD: "y",
  };
  for (const run of ["first push", "no-op push"]) {
    grafana.clearLog();
    const t0 = performance.now();
    const exit = await main({
      argv: ["--dir", dir, "--concurrency", String(concurrency)],
      env,
      stdout: { write: () => true },
      stderr: { write: () => true },
    });
    const ms = performance.now() - t0;
    rows.push({ scenario: name, run, ms, requests: grafana.requests.length, writes: grafana.writes().length, exit });
  }
  if (grafana.dashboards.size !== DASHBOARDS) throw new Error(`expected ${DASHBOARDS} dashboards, the double has ${grafana.dashboards.size}`);
  await grafana.close();
}

try {
  await scenario("loopback, --concurrency 4", 0, 4);
  await scenario("10 ms latency, --concurrency 4", 10, 4);
  await scenario("10 ms latency, --concurrency 16", 10, 16);
} finally {
  await rm(dir, { recursive: true, force: true });
}

console.log(`Push of ${DASHBOARDS} dashboards (plus 3 folders, 2 datasources, 1 rule group, 1 contact point, the policy) to the Grafana double\n`);
console.log("| scenario | run | wall time | requests | writes | exit |");
console.log("| --- | --- | ---: | ---: | ---: | ---: |");
for (const r of rows) {
  console.log(`| ${r.scenario} | ${r.run} | ${(r.ms / 1000).toFixed(2)} s | ${r.requests} | ${r.writes} | ${r.exit} |`);
}
