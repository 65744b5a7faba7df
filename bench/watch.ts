// Measures watch mode as the user feels it: from writing a dashboard's source file to its JSON on
// disk carrying the change (the file is written only after the rebuild validated).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { generateDashboards, REPO } from "./generate.js";

/** One save: wall time from the write to the rewritten file, and the watch process's CPU time meanwhile. */
export interface WatchSave {
  ms: number;
  /** User + system time of the watch process (10 ms ticks, from /proc; undefined elsewhere). */
  cpuMs?: number;
}

/** CPU time of a process so far (user + system, ms), read from /proc/<pid>/stat. */
function cpuMsOf(pid: number | undefined): number | undefined {
  try {
    // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ (100)
  } catch {
    return undefined;
  }
}

/** Save → rewritten file, `runs` times, for one definition among `n`. */
export async function measureWatch(runs: number, n = 3): Promise<WatchSave[]> {
  const tmp = mkdtempSync(join(tmpdir(), "bench-watch-"));
  const dir = generateDashboards(join(tmp, "defs"), n);
  const out = join(tmp, "out");
  const source = join(dir, "svc-0001.ts");
  const target = join(out, "grafana/provisioning/dashboards/services/svc-0001-overview.json");
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/build.ts", "--watch", "--dashboards", dir, "--out", out], {
    cwd: REPO,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  try {
    while (!output.includes("watching:")) {
      if (child.exitCode !== null) throw new Error(`watch exited early:\n${output}`);
      await sleep(10);
    }
    const original = readFileSync(source, "utf8");
    const times: WatchSave[] = [];
    for (let i = 1; i <= runs; i++) {
      const title = `svc-0001 overview edit ${i}`;
      await sleep(150); // let the file watcher settle between edits
      const cpuBefore = cpuMsOf(child.pid);
      const started = performance.now();
      writeFileSync(source, original.replace('"svc-0001 overview"', JSON.stringify(title)));
      const deadline = started + 60_000;
      while (!(existsSync(target) && readFileSync(target, "utf8").includes(title))) {
        if (performance.now() > deadline) throw new Error(`no rebuild within 60 s:\n${output}`);
        await sleep(1);
      }
      const ms = performance.now() - started;
      const cpuAfter = cpuMsOf(child.pid);
      times.push({ ms, cpuMs: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined });
    }
    return times;
  } finally {
    child.kill();
    rmSync(tmp, { recursive: true, force: true });
  }
}
