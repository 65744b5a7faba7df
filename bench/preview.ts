// npm run bench:preview — `npm run preview` (every dashboard, embedded data, PNGs) as a whole
// process, cold (no kept TSDB blocks, as on a fresh clone) and warm (blocks kept by the run before),
// each paired with a `npm run build -- --check` run just before it so a loaded machine shows as a
// ratio rather than as a regression; also checks that no prometheus outlives a run. The section
// "## Preview" of bench/results.md is replaced with the figures. BENCH_RUNS (default 3).
// BENCH_PREVIEW_BASELINE=<another checkout> also times that checkout's `npm run preview` in each
// run (same machine, same moment), e.g. the main branch before a change.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { REPO } from "./generate.js";
import { CACHE_DIR } from "../src/repoRoot.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const tmp = mkdtempSync(join(tmpdir(), "bench-preview-"));

function prometheusPids(): number[] {
  return readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      try {
        return (
          readFileSync(`/proc/${n}/cmdline`, "utf8").split("\0")[0].endsWith("prometheus") &&
          readFileSync(`/proc/${n}/cmdline`, "utf8").includes("prom-fixture-")
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

const BASELINE = process.env.BENCH_PREVIEW_BASELINE;

/** CPU seconds used by this process' waited-for children so far (theirs and their children's: prometheus, promtool). */
function childrenCpu(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[13]) + Number(f[14])) / 100; // cutime + cstime, in clock ticks (USER_HZ = 100)
}
/** CPU seconds of each preview run (user + system, all its processes and threads): load on the machine barely moves it. */
const cpu = new Map<Pair[], number[]>();

function timed(args: string[], cwd = REPO): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`${args.join(" ")} exited ${code}:\n${stderr}`)),
    );
  });
}

const before = new Set(prometheusPids());
const kept = join(CACHE_DIR, "preview");
type Pair = { build: number; preview: number };
const secs = (xs: number[] | undefined) =>
  xs?.length ? `${median(xs).toFixed(1)} s (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})` : "";
const cold: Pair[] = [];
const warm: Pair[] = [];
const baseline: Pair[] = [];
const once = async (i: number, into: Pair[]) => {
  const build = await timed(["scripts/launch.mjs", "--check"]);
  const cpuBefore = childrenCpu();
  const preview = await timed([
    "--import",
    "tsx",
    "scripts/preview.ts",
    "--out",
    join(tmp, `run-${i}-${into === cold ? "cold" : "warm"}`),
  ]);
  const left = prometheusPids().filter((p) => !before.has(p));
  if (left.length) throw new Error(`prometheus ${left.join(", ")} still running after npm run preview`);
  into.push({ build, preview });
  cpu.set(into, [...(cpu.get(into) ?? []), childrenCpu() - cpuBefore]);
};
for (let i = 0; i < RUNS; i++) {
  rmSync(kept, { recursive: true, force: true });
  await once(i, cold);
  await once(i, warm);
  if (BASELINE) {
    const build = await timed(["scripts/launch.mjs", "--check"]);
    const cpuBefore = childrenCpu();
    baseline.push({
      build,
      preview: await timed(
        ["--import", "tsx", "scripts/preview.ts", "--out", join(tmp, `run-${i}-baseline`)],
        BASELINE,
      ),
    });
    cpu.set(baseline, [...(cpu.get(baseline) ?? []), childrenCpu() - cpuBefore]);
  }
}
rmSync(tmp, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[]) =>
  `${Math.round(median(xs))} ms (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;
const section = [
  "## Preview",
  "",
  `${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} at the end; median of ${RUNS} paired runs (min–max).`,
  "",
  "| command | wall time | CPU time (user + system, all processes) | ÷ paired `npm run build -- --check` | target |",
  "|---|---|---|---|---|",
  `| \`npm run preview\` cold (no kept blocks: a fresh clone) | ${fmt(cold.map((p) => p.preview))} | ${secs(cpu.get(cold))} | ${median(cold.map((p) => p.preview / p.build)).toFixed(1)} | ≤ 15 s on an idle 2-core machine |`,
  `| \`npm run preview\` warm (blocks kept by the run before) | ${fmt(warm.map((p) => p.preview))} | ${secs(cpu.get(warm))} | ${median(warm.map((p) => p.preview / p.build)).toFixed(1)} | ≤ 15 s on an idle 2-core machine |`,
  ...(BASELINE
    ? [
        `| \`npm run preview\` of the baseline checkout (${process.env.BENCH_PREVIEW_BASELINE_LABEL ?? BASELINE}) | ${fmt(baseline.map((p) => p.preview))} | ${secs(cpu.get(baseline))} | ${median(baseline.map((p) => p.preview / p.build)).toFixed(1)} | |`,
      ]
    : []),
  `| \`npm run build -- --check\` (paired with cold) | ${fmt(cold.map((p) => p.build))} | | 1 | |`,
  `| \`npm run build -- --check\` (paired with warm) | ${fmt(warm.map((p) => p.build))} | | 1 | |`,
  "",
  "No prometheus process outlived a run.",
  "",
].join("\n");
console.log(section);
const file = join(REPO, "bench/results.md");
const text = readFileSync(file, "utf8");
const start = text.indexOf("## Preview");
const next = start < 0 ? -1 : text.indexOf("\n## ", start + 1);
const updated =
  start < 0
    ? `${text.trimEnd()}\n\n${section}`
    : `${text.slice(0, start)}${section}${next < 0 ? "" : text.slice(next + 1)}`;
writeFileSync(file, updated);
