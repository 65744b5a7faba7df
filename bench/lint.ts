// Lint on many dashboards nobody here wrote: `npm run lint -- <dir>` over 1,000 files (the shared
// corpus of real public dashboards, repeated), as one process. Dashboards/second and peak memory,
// and lint ÷ floor (read + JSON.parse of the same files) from paired runs. Run alone
// (node --import tsx bench/lint.ts) it rewrites its section of bench/results.md; npm run bench runs it too.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const REPO = resolve(import.meta.dirname, "..");
const CORPUS = resolve(REPO, "../shared/corpus/dashboards");
const HOOK = join(REPO, "bench/rss-hook.mjs");
export const LINT_DASHBOARDS = 1000;
const TITLE = `## Lint: ${LINT_DASHBOARDS.toLocaleString("en")} dashboards nobody here wrote`;

interface Sample {
  ms: number;
  rss: number;
}

function run(args: string[], tmp: string): Promise<Sample> {
  const rssDir = mkdtempSync(join(tmp, "rss-"));
  const env = { ...process.env, NODE_OPTIONS: `--import ${HOOK}`, BENCH_RSS_DIR: rssDir };
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: REPO, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => {
      const ms = performance.now() - started;
      // Lint exits 1 when it finds errors (real dashboards have plenty); 2 or more is a failure.
      if (code === null || code > 1) return fail(new Error(`${args.join(" ")} exited ${code}:\n${stderr}`));
      done({ ms, rss: Math.max(0, ...readdirSync(rssDir).map((f) => Number(readFileSync(join(rssDir, f), "utf8")))) });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function lintBench(runs: number): Promise<string[]> {
  if (!existsSync(CORPUS)) return [TITLE, "", `Skipped: ${CORPUS} is absent (../shared is not mounted).`, ""];
  const tmp = mkdtempSync(join(tmpdir(), "bench-lint-"));
  try {
    const corpus = readdirSync(CORPUS, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((f) => join(CORPUS, f));
    const dir = join(tmp, "dashboards");
    rmSync(dir, { recursive: true, force: true });
    (await import("node:fs")).mkdirSync(dir);
    for (let i = 0; i < LINT_DASHBOARDS; i++) copyFileSync(corpus[i % corpus.length], join(dir, `d${String(i).padStart(4, "0")}.json`));
    const lint: Sample[] = [];
    const floor: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      lint.push(await run(["--import", "tsx", "scripts/lint.ts", "--format", "json", dir], tmp));
      floor.push(await run(["--import", "tsx", "bench/lint-floor.ts", dir], tmp));
    }
    const ratios = lint.map((s, i) => s.ms / floor[i].ms);
    const load = loadavg()[0].toFixed(1);
    const ms = median(lint.map((s) => s.ms));
    return [
      TITLE,
      "",
      `${corpus.length} corpus files repeated to ${LINT_DASHBOARDS} (../shared/corpus), \`npm run lint -- --format json <dir>\` as one process, ${runs} paired runs, ${cpus().length} cores, load average ${load} at the end (a shared machine inflates wall times; the paired ratio is the figure to compare).`,
      "",
      "| dashboards | wall time | dashboards/second | peak memory | floor (read + JSON.parse) | lint ÷ floor (paired) |",
      "|---|---|---|---|---|---|",
      `| ${LINT_DASHBOARDS} | ${Math.round(ms)} ms (${Math.round(Math.min(...lint.map((s) => s.ms)))}–${Math.round(Math.max(...lint.map((s) => s.ms)))}) | ${Math.round(LINT_DASHBOARDS / (ms / 1000))} | ${Math.round(median(lint.map((s) => s.rss)) / 2 ** 20)} MiB | ${Math.round(median(floor.map((s) => s.ms)))} ms | ${median(ratios).toFixed(1)} (${Math.min(...ratios).toFixed(1)}–${Math.max(...ratios).toFixed(1)}) |`,
      "",
    ];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const lines = await lintBench(Number(process.env.BENCH_RUNS ?? 3));
  console.log(lines.join("\n"));
  const path = join(REPO, "bench/results.md");
  const old = readFileSync(path, "utf8");
  const at = old.indexOf(TITLE);
  const next = at < 0 ? -1 : old.indexOf("\n## ", at + TITLE.length);
  const section = lines.join("\n") + "\n";
  writeFileSync(path, at < 0 ? `${old.trimEnd()}\n\n${section}` : `${old.slice(0, at)}${section}${next < 0 ? "" : old.slice(next + 1)}`);
}
