// The build cache and --watch, measured as whole processes over N generated FastAPI overviews:
// a full build (--no-cache), a no-op rebuild and a one-definition-change rebuild (both with a warm
// cache), each into the same existing output folder, run in turn so that every triple sees the same
// load; ratios are taken within each triple. Then --watch: a save to its validated, rewritten file.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateDashboards, REPO } from "./generate.js";
import { measureWatch } from "./watch.js";

function timed(args: string[]): Promise<{ ms: number; stdout: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["scripts/launch.mjs", ...args], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => (code === 0 ? resolve({ ms: performance.now() - started, stdout }) : reject(new Error(`build ${args.join(" ")} exited ${code}:\n${stderr}`))));
  });
}

/** Saves measured in one watch session (BENCH_WATCH_SAVES, default 10). */
const WATCH_SAVES = Number(process.env.BENCH_WATCH_SAVES ?? 10);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmtMs = (xs: number[]) => `${Math.round(median(xs))} ms (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;
const fmtPct = (xs: number[]) => `${(100 * median(xs)).toFixed(0)}% (${(100 * Math.min(...xs)).toFixed(0)}–${(100 * Math.max(...xs)).toFixed(0)}%)`;

/** The "Cache and watch" section of bench/results.md, as lines. */
export async function cacheBench(runs: number, n: number, watchN: number): Promise<string[]> {
  const tmp = mkdtempSync(join(tmpdir(), "bench-cache-"));
  try {
    const dir = generateDashboards(join(tmp, "defs"), n);
    const out = join(tmp, "out");
    const args = ["--dashboards", dir, "--out", out, "--lint"];
    const cold = await timed(args); // empty cache for these definitions (their paths are new)
    // What the build did: the cache's counts, or the launcher's whole-build no-op.
    const summary = (s: string) => /cache +.*/.exec(s)?.[0] ?? (/is up to date \(.*nothing rebuilt/.test(s) ? "whole-build no-op: inputs and tree unchanged, engine not loaded" : "");
    const full: number[] = [];
    const noop: number[] = [];
    const one: number[] = [];
    const source = join(dir, "svc-0001.ts");
    const original = readFileSync(source, "utf8");
    let noopLine = "";
    let oneLine = "";
    for (let i = 0; i < runs; i++) {
      full.push((await timed([...args, "--no-cache"])).ms);
      const a = await timed(args);
      noop.push(a.ms);
      noopLine = summary(a.stdout);
      writeFileSync(source, original.replace('"svc-0001 overview"', JSON.stringify(`svc-0001 overview ${i}`)));
      const b = await timed(args);
      one.push(b.ms);
      oneLine = summary(b.stdout);
    }
    const ratio = (xs: number[]) => xs.map((x, i) => x / full[i]);
    // A watch session lives for many saves: the first ones after start run before V8 has optimised
    // the rebuild's code, so the first save is shown apart from the steady ones that follow.
    const saves = await measureWatch(Math.max(WATCH_SAVES, 2), watchN);
    const steady = saves.slice(1);
    const cpu = steady.map((s) => s.cpuMs).filter((c): c is number => c !== undefined);
    return [
      "## Cache and watch",
      "",
      `\`node scripts/launch.mjs --dashboards DIR --out OUT --lint\` over ${n} generated FastAPI overviews, into an output folder`,
      `that already holds their tree; ${runs} triples (full, no-op, one change) run in turn, ratios within each triple.`,
      "",
      "| build | wall time | ÷ full build (per triple) | what the cache did | target |",
      "|---|---|---|---|---|",
      `| full build, \`--no-cache\` | ${fmtMs(full)} | 100% | – | |`,
      `| cold cache (first build of these definitions, writes every entry) | ${Math.round(cold.ms)} ms (one run) | – | ${summary(cold.stdout).replace(/\s+/g, " ")} | |`,
      `| no-op rebuild | ${fmtMs(noop)} | ${fmtPct(ratio(noop))} | ${noopLine.replace(/\s+/g, " ")} | ≤ 15% |`,
      `| one definition changed | ${fmtMs(one)} | ${fmtPct(ratio(one))} | ${oneLine.replace(/\s+/g, " ")} | |`,
      "",
      `\`npm run build -- --watch --dashboards DIR\` over ${watchN} definitions: one definition's source saved (its title changed) to its JSON rewritten (validated), ${saves.length} saves 150 ms apart in one watch session.`,
      "CPU time is the watch process's own (user + system, 10 ms ticks): it moves little with the machine's load.",
      "",
      "| saves | time to rewritten file | CPU time of the watch process per save | target |",
      "|---|---|---|---|",
      `| the first after the start | ${Math.round(saves[0].ms)} ms | ${saves[0].cpuMs ?? "–"} ms | |`,
      `| the ${steady.length} that follow | ${fmtMs(steady.map((s) => s.ms))} | ${cpu.length ? fmtMs(cpu) : "–"} | ≤ 150 ms |`,
      "",
    ];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// Alone: node --import tsx bench/cache.ts (BENCH_RUNS, BENCH_CACHE_N, BENCH_WATCH_N).
if (import.meta.url === `file://${process.argv[1]}`) {
  const lines = await cacheBench(Number(process.env.BENCH_RUNS ?? 3), Number(process.env.BENCH_CACHE_N ?? 1000), Number(process.env.BENCH_WATCH_N ?? 1000));
  console.log(lines.join("\n"));
}
