// npm run bench:preview — `npm run preview` (every dashboard, embedded data, PNGs) as a whole
// process, paired with a cold `npm run build -- --check` run just before it so a loaded machine shows
// as a ratio rather than as a regression; also checks that no prometheus outlives a run. The section
// "## Preview" of bench/results.md is replaced with the figures. BENCH_RUNS (default 3).
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { REPO } from "./generate.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const tmp = mkdtempSync(join(tmpdir(), "bench-preview-"));

function prometheusPids(): number[] {
  return readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      try {
        return readFileSync(`/proc/${n}/cmdline`, "utf8").split("\0")[0].endsWith("prometheus") && readFileSync(`/proc/${n}/cmdline`, "utf8").includes("prom-fixture-");
      } catch {
        return false;
      }
    })
    .map(Number);
}

function timed(args: string[]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${args.join(" ")} exited ${code}:\n${stderr}`))));
  });
}

const before = new Set(prometheusPids());
const pairs: { build: number; preview: number }[] = [];
for (let i = 0; i < RUNS; i++) {
  const build = await timed(["scripts/launch.mjs", "--check"]);
  const out = join(tmp, `run-${i}`);
  const preview = await timed(["--import", "tsx", "scripts/preview.ts", "--out", out]);
  const left = prometheusPids().filter((p) => !before.has(p));
  if (left.length) throw new Error(`prometheus ${left.join(", ")} still running after npm run preview`);
  pairs.push({ build, preview });
}
rmSync(tmp, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[]) => `${Math.round(median(xs))} ms (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;
const section = [
  "## Preview",
  "",
  `${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} at the end; median of ${RUNS} paired runs (min–max).`,
  "",
  "| command | wall time | ÷ paired `npm run build -- --check` | target |",
  "|---|---|---|---|",
  `| \`npm run preview\` (all dashboards, PNG + SVG + HTML) | ${fmt(pairs.map((p) => p.preview))} | ${median(pairs.map((p) => p.preview / p.build)).toFixed(1)} | ≤ 15 s on an idle 2-core machine |`,
  `| \`npm run build -- --check\` (the pair) | ${fmt(pairs.map((p) => p.build))} | 1 | |`,
  "",
  "No prometheus process outlived a run.",
  "",
].join("\n");
console.log(section);
const file = join(REPO, "bench/results.md");
const text = readFileSync(file, "utf8");
const start = text.indexOf("## Preview");
const next = start < 0 ? -1 : text.indexOf("\n## ", start + 1);
const updated = start < 0 ? `${text.trimEnd()}\n\n${section}` : `${text.slice(0, start)}${section}${next < 0 ? "" : text.slice(next + 1)}`;
writeFileSync(file, updated);
