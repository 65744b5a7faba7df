// npm run bench — whole-process measurements, each the median of several runs (min–max beside it),
// written to bench/results.md. BENCH_RUNS (default 5) and BENCH_SIZES (default 10,100,1000) adjust it.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { generateDashboards, REPO } from "./generate.js";
import { measureWatch } from "./watch.js";
import { lintBench } from "./lint.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? "10,100,1000").split(",").map(Number);
const tmp = mkdtempSync(join(tmpdir(), "bench-"));
const HOOK = join(REPO, "bench/rss-hook.mjs");

interface Sample {
  ms: number;
  rss: number;
}

/** Runs a command; wall time, and the peak RSS of the largest Node process it started. */
function run(cmd: string, args: string[]): Promise<Sample> {
  const rssDir = mkdtempSync(join(tmp, "rss-"));
  const env = { ...process.env, NODE_OPTIONS: `--import ${HOOK}`, BENCH_RSS_DIR: rssDir };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => {
      const ms = performance.now() - started;
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(" ")} exited ${code}:\n${stderr}`));
      const rss = Math.max(0, ...readdirSync(rssDir).map((f) => Number(readFileSync(join(rssDir, f), "utf8"))));
      resolve({ ms, rss });
    });
  });
}

async function repeat(cmd: string, args: string[]): Promise<Sample[]> {
  const out: Sample[] = [];
  for (let i = 0; i < RUNS; i++) out.push(await run(cmd, args));
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmtMs = (xs: number[]) => `${Math.round(median(xs))} ms (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;
const fmtMb = (xs: number[]) => `${Math.round(median(xs) / 2 ** 20)} MiB`;
const ms = (s: Sample[]) => s.map((x) => x.ms);
const rss = (s: Sample[]) => s.map((x) => x.rss);

const node = process.execPath;
// What `npm run build -- --dashboards <dir>` runs.
const build = (dir: string, out: string) => [`scripts/launch.mjs`, `--dashboards`, dir, `--out`, out, `--lint`];

const lines: string[] = [];
const say = (s = "") => {
  lines.push(s);
  console.log(s);
};

say("# Benchmarks");
say();
say(`Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`);
say(`Each figure: median of ${RUNS} runs as a whole process (min–max in brackets); memory is peak RSS.`);
say();

// 1. Cold build of this repository's own stack, as the user runs it.
const cold = await repeat("npm", ["run", "-s", "build", "--", "--out", join(tmp, "cold")]);
say("## Cold build of this repository");
say();
say("| command | wall time | peak memory | target |");
say("|---|---|---|---|");
say(`| \`npm run build\` | ${fmtMs(ms(cold))} | ${fmtMb(rss(cold))} | ≤ 1500 ms |`);
say();

// 2 + 3. Scale and floor.
say("## Scale: the whole pipeline over generated dashboards");
say();
say("| dashboards | pipeline wall time | per dashboard | peak memory | floor (SDK build + stringify + write) | pipeline ÷ floor |");
say("|---|---|---|---|---|---|");
const pipelineMedians = new Map<number, number>();
for (const n of SIZES) {
  const dir = generateDashboards(join(tmp, `defs-${n}`), n);
  const pipeline = await repeat(node, build(dir, join(tmp, `out-${n}`)));
  const floor = await repeat(node, ["--import", "tsx", "bench/floor.ts", dir, join(tmp, `floor-${n}`)]);
  const p = median(ms(pipeline));
  pipelineMedians.set(n, p);
  say(
    `| ${n} | ${fmtMs(ms(pipeline))} | ${(p / n).toFixed(1)} ms | ${fmtMb(rss(pipeline))} | ${fmtMs(ms(floor))} | ${(p / median(ms(floor))).toFixed(2)} |`,
  );
}
if (pipelineMedians.has(100) && pipelineMedians.has(1000)) {
  say();
  say(`Growth from 100 to 1,000 dashboards: ${(pipelineMedians.get(1000)! / pipelineMedians.get(100)!).toFixed(2)}× (linear would be 10×; target ≤ 11×).`);
}
say();

// 4. Watch.
say("## Watch: save → rebuilt and validated");
say();
const watch = await measureWatch(RUNS);
say("| change | time to rewritten file | target |");
say("|---|---|---|");
say(`| one dashboard's source saved | ${fmtMs(watch)} | ≤ 300 ms |`);
say();

// 5. Lint on dashboards nobody here wrote.
for (const l of await lintBench(RUNS)) say(l);

writeFileSync(join(REPO, "bench/results.md"), lines.join("\n") + "\n");
rmSync(tmp, { recursive: true, force: true });
