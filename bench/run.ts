// npm run bench — whole-process measurements written to bench/results.md. The pipeline and its floor
// (bench/floor.ts: the same definitions through the same bundle and loader, then only the SDK's
// build(), JSON.stringify and a write) run as pairs, one after the other, from this one process, so
// both see the same load on the machine; each figure is the median of the runs (min–max beside it).
// BENCH_RUNS (default 5), BENCH_SIZES (default 1,100,1000), BENCH_CACHE_N and BENCH_WATCH_N (default
// 1000: the cache's and --watch's estate) and BENCH_WATCH_SAVES (default 10) adjust it; BENCH_CACHE=0 and BENCH_LINT=0 keep those sections'
// previous figures (the lint run takes minutes).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { generateDashboards, REPO } from "./generate.js";
import { cacheBench } from "./cache.js";
import { lintBench } from "./lint.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? "1,100,1000").split(",").map(Number);
const tmp = mkdtempSync(join(tmpdir(), "bench-"));
const HOOK = join(REPO, "bench/rss-hook.mjs");

interface Sample {
  ms: number;
  rss: number;
  /** User + system CPU time of every Node process the command started: steadier than wall time on a shared machine. */
  cpuMs: number;
}

/**
 * Runs a command; wall time, the peak RSS of the largest Node process it started and their CPU time. `out` (its
 * output folder) is removed first, so every run writes a whole tree.
 */
function run(cmd: string, args: string[], out?: string): Promise<Sample> {
  if (out) rmSync(out, { recursive: true, force: true });
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
      const usage = readdirSync(rssDir).map((f) => JSON.parse(readFileSync(join(rssDir, f), "utf8")) as { rss: number; cpuMs: number });
      resolve({ ms, rss: Math.max(0, ...usage.map((u) => u.rss)), cpuMs: usage.reduce((t, u) => t + u.cpuMs, 0) });
    });
  });
}

type Command = [cmd: string, args: string[], out?: string];

/**
 * Runs A and B alternately RUNS times, after one unmeasured run of each (which leaves their bundles
 * in node_modules/.cache, as any second build finds them). Returns A's and B's samples and the
 * ratio A ÷ B of each pair.
 */
async function paired(a: Command, b: Command): Promise<{ a: Sample[]; b: Sample[]; ratios: number[]; cpuRatios: number[] }> {
  await run(...a);
  await run(...b);
  const out = { a: [] as Sample[], b: [] as Sample[], ratios: [] as number[], cpuRatios: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    // Alternate which goes first, so neither always runs in the other's wake.
    const [x, y] = i % 2 ? [await run(...b), await run(...a)].reverse() : [await run(...a), await run(...b)];
    out.a.push(x);
    out.b.push(y);
    out.ratios.push(x.ms / y.ms);
    out.cpuRatios.push(x.cpuMs / y.cpuMs);
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmtMs = (xs: number[]) => `${Math.round(median(xs))} ms (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;
const fmtMb = (xs: number[]) => `${Math.round(median(xs) / 2 ** 20)} MiB`;
const ms = (s: Sample[]) => s.map((x) => x.ms);
const rss = (s: Sample[]) => s.map((x) => x.rss);
const cpu = (s: Sample[]) => s.map((x) => x.cpuMs);

const node = process.execPath;
// What `npm run build -- --dashboards <dir>` runs.
// --no-cache: the floor builds everything every time, so the pipeline does too (the cache's own
// figures are the "Cache and watch" section).
const build = (dir: string, out: string) => [`scripts/launch.mjs`, `--dashboards`, dir, `--out`, out, `--lint`, `--no-cache`];

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

const floor = (dir: string, out: string): Command => [node, ["bench/floor-launch.mjs", dir, out], out];
const fmtRatio = (xs: number[]) => `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;

// 1 + 2. Scale: the pipeline against its floor, paired.
say("## The whole pipeline (build, validate, lint, write) against the SDK floor");
say();
say("`node scripts/launch.mjs --dashboards DIR --out OUT --lint --no-cache` over N generated FastAPI overviews");
say("(15 panels, 19 queries each), paired with `node bench/floor-launch.mjs DIR OUT`.");
say();
say("| dashboards | pipeline | floor | pipeline ÷ floor (per pair) | CPU time pipeline / floor | CPU ÷ floor (per pair) | per extra dashboard | peak RSS pipeline / floor | target |");
say("|---|---|---|---|---|---|---|---|---|");
const medians = new Map<number, { p: number; f: number }>();
for (const n of SIZES) {
  const dir = generateDashboards(join(tmp, `defs-${n}`), n);
  const r = await paired([node, build(dir, join(tmp, `out-${n}`)), join(tmp, `out-${n}`)], floor(dir, join(tmp, `floor-${n}`)));
  const p = median(ms(r.a));
  const f = median(ms(r.b));
  const prev = [...medians.entries()].at(-1);
  medians.set(n, { p, f });
  const perExtra = prev ? `${((p - prev[1].p) / (n - prev[0])).toFixed(2)} ms / ${((f - prev[1].f) / (n - prev[0])).toFixed(2)} ms` : "–";
  const target = n === 1 ? "≤ 1.5×" : n >= 1000 ? "≤ 2.5×, ≤ 150 MiB" : "";
  say(`| ${n} | ${fmtMs(ms(r.a))} | ${fmtMs(ms(r.b))} | ${fmtRatio(r.ratios)} | ${Math.round(median(cpu(r.a)))} / ${Math.round(median(cpu(r.b)))} ms | ${fmtRatio(r.cpuRatios)} | ${perExtra} | ${fmtMb(rss(r.a))} / ${fmtMb(rss(r.b))} | ${target} |`);
}
say();
say("Per extra dashboard: the growth of the median from the row above, pipeline / floor.");
say();

// 3. This repository's own build (9 dashboards, alerts, lint), paired with the floor at N=1.
const oneDir = generateDashboards(join(tmp, "defs-1"), 1);
const own = await paired([node, ["scripts/launch.mjs", "--out", join(tmp, "own")], join(tmp, "own")], floor(oneDir, join(tmp, "floor-own")));
say("## This repository's build");
say();
say("| command | wall time | floor at N=1 | ÷ floor (per pair) | CPU time / floor's | CPU ÷ floor (per pair) | peak RSS | target |");
say("|---|---|---|---|---|---|---|---|");
say(`| \`node scripts/launch.mjs\` (what \`npm run build\` runs) | ${fmtMs(ms(own.a))} | ${fmtMs(ms(own.b))} | ${fmtRatio(own.ratios)} | ${Math.round(median(cpu(own.a)))} / ${Math.round(median(cpu(own.b)))} ms | ${fmtRatio(own.cpuRatios)} | ${fmtMb(rss(own.a))} | ≤ 1.5× |`);
say();

// What follows the marker (profiles, notes on the targets) is written by hand and kept.
const RESULTS = join(REPO, "bench/results.md");
const MARKER = "<!-- written by hand below; kept by npm run bench -->";
const previous = existsSync(RESULTS) ? readFileSync(RESULTS, "utf8") : "";

/** A section of the previous results (its heading up to the next "## " or the marker), when asked to keep it. */
function keepSection(heading: string, knob: string): boolean {
  if (process.env[knob] !== "0" || !previous.includes(heading) || !previous.includes(MARKER)) return false;
  const start = previous.indexOf(heading);
  const next = previous.indexOf("\n## ", start + heading.length);
  const end = next >= 0 && next < previous.indexOf(MARKER) ? next : previous.indexOf(MARKER);
  const body = previous.slice(start, end).trimEnd().replace(/ \(kept from an earlier run[^)]*\)$/m, "");
  say(body.replace(heading, `${heading} (kept from an earlier run: ${knob}=0)`));
  say();
  return true;
}

// 4. The build cache (no-op and one-change rebuilds) and watch: bench/cache.ts. BENCH_CACHE=0 keeps the previous figures.
const WATCH_N = Number(process.env.BENCH_WATCH_N ?? 1000);
if (!keepSection("## Cache and watch", "BENCH_CACHE")) for (const l of await cacheBench(RUNS, Number(process.env.BENCH_CACHE_N ?? 1000), WATCH_N)) say(l);

// 5. Lint on dashboards nobody here wrote (minutes per run): BENCH_LINT=0 keeps the previous figures.
if (!keepSection("## Lint: 1,000 dashboards nobody here wrote", "BENCH_LINT")) for (const l of await lintBench(RUNS)) say(l);

const kept = previous.includes(MARKER) ? previous.slice(previous.indexOf(MARKER)) : `${MARKER}\n`;
writeFileSync(RESULTS, lines.join("\n") + "\n" + kept);
rmSync(tmp, { recursive: true, force: true });
