// Loaded with --import into every Node process a benchmark starts: records its peak resident set
// size at exit, one file per process, so the runner can report the largest.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

process.on("exit", () => {
  const dir = process.env.BENCH_RSS_DIR;
  if (dir) writeFileSync(join(dir, String(process.pid)), String(process.resourceUsage().maxRSS * 1024));
});
