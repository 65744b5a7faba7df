// Loaded with --import into every Node process a benchmark starts: records its peak resident set
// size and its CPU time (user + system) at exit, one file per process, so the runner can report the
// largest peak and the sum of CPU time.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

process.on("exit", () => {
  const dir = process.env.BENCH_RSS_DIR;
  if (!dir) return;
  const usage = process.resourceUsage();
  writeFileSync(join(dir, String(process.pid)), JSON.stringify({ rss: usage.maxRSS * 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
});
