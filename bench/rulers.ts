// Benchmark: sync 500 rule groups (50 rule files × 10 groups × 3 rules) to the Mimir ruler double,
// then sync again (nothing changed, so nothing is written). Paired runs: each run is a fresh double,
// its first sync, then its no-op sync; the ratio is taken within the pair. Prints a markdown table.
//   node --import tsx bench/rulers.ts      (BENCH_RUNS, default 5)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { rulersMain } from "../src/rulers/cli.js";
import { RulerDouble } from "../test/fixtures/ruler-double.js";

const FILES = 50;
const GROUPS_PER_FILE = 10;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const dir = mkdtempSync(join(tmpdir(), "rulers-bench-"));
mkdirSync(join(dir, "prometheus/rules"), { recursive: true });
for (let f = 0; f < FILES; f++) {
  const groups = Array.from({ length: GROUPS_PER_FILE }, (_, g) => ({
    name: `service-${f}-group-${g}`,
    interval: "1m",
    rules: [
      { record: `job:http_requests:rate5m_${g}`, expr: `sum by (job) (rate(http_requests_total{service="s${f}"}[5m]))` },
      {
        alert: `HighErrorRate${f}x${g}`,
        expr: `sum(rate(http_requests_total{service="s${f}", status=~"5.."}[5m])) / sum(rate(http_requests_total{service="s${f}"}[5m])) > 0.05`,
        for: "5m",
        labels: { severity: "warning" },
        annotations: { summary: "{{ $labels.job }} fails {{ $value | humanizePercentage }} of requests" },
      },
      { alert: `Down${f}x${g}`, expr: `up{service="s${f}"} == 0`, for: "5m", labels: { severity: "critical" } },
    ],
  }));
  writeFileSync(join(dir, `prometheus/rules/service-${f}.yaml`), stringify({ groups }));
}

interface Pair {
  first: number;
  noop: number;
  firstWrites: number;
  noopWrites: number;
  requests: number;
}

async function pair(latencyMs: number, concurrency: number): Promise<Pair> {
  const mimir = await RulerDouble.start({ root: "/prometheus/config/v1/rules", latencyMs });
  const sync = async () => {
    mimir.clearLog();
    const t0 = performance.now();
    const code = await rulersMain({
      argv: ["--dir", dir, "--only", "mimir", "--concurrency", String(concurrency)],
      env: {},
      stdout: { write: () => true },
      stderr: { write: (s: string) => process.stderr.write(s) },
      rulersFor: () => ({ mimir: { url: mimir.url, tenant: "bench", namespaces: "per-file", namespacePrefix: "grafana-as-code" } }),
    });
    if (code !== 0) throw new Error(`sync exited ${code}`);
    return { ms: performance.now() - t0, writes: mimir.writes().length, requests: mimir.requests.length };
  };
  const first = await sync();
  const noop = await sync();
  await mimir.close();
  return { first: first.ms, noop: noop.ms, firstWrites: first.writes, noopWrites: noop.writes, requests: first.requests };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[]) => `${Math.round(median(xs))} ms (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;

const rows: string[] = [];
try {
  for (const [name, latency, conc] of [
    ["loopback, --concurrency 4", 0, 4],
    ["10 ms latency, --concurrency 4", 10, 4],
    ["10 ms latency, --concurrency 16", 10, 16],
  ] as const) {
    const pairs: Pair[] = [];
    for (let i = 0; i < RUNS; i++) pairs.push(await pair(latency, conc));
    const p = pairs[0];
    rows.push(
      `| ${name} | ${fmt(pairs.map((x) => x.first))} | ${p.firstWrites} of ${p.requests} | ${fmt(pairs.map((x) => x.noop))} | ${p.noopWrites} | ${median(pairs.map((x) => x.noop / x.first)).toFixed(2)} |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`Ruler sync of ${FILES * GROUPS_PER_FILE} rule groups (${FILES} files, ${FILES * GROUPS_PER_FILE * 3} rules) to the Mimir ruler double, median of ${RUNS} paired runs (min–max)\n`);
console.log("| scenario | first sync | writes of requests | no-op sync | no-op writes | no-op ÷ first (paired) |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) console.log(r);
