// `npm run preview` leaves no Prometheus behind: when it succeeds, when it fails after starting the
// server (the output cannot be written) and when it is interrupted with Ctrl-C while rendering.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { definitionsDir, REPO, validDashboard } from "../fixtures/definitions.js";

const defs = definitionsDir({ "svc.ts": validDashboard("svc", "sum(rate(http_requests_total[$__rate_interval]))") });
const scratch = mkdtempSync(join(tmpdir(), "preview-command-"));
afterAll(() => {
  rmSync(defs, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

/** Prometheus servers started by process `pid` (their data directory carries its pid), still running. */
function serversOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      try {
        const cmd = readFileSync(`/proc/${n}/cmdline`, "utf8");
        return (
          cmd.includes("prometheus") &&
          cmd.includes(`prom-fixture-${pid}-`) &&
          !readFileSync(`/proc/${n}/stat`, "utf8").includes(") Z")
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

function preview(args: string[], onServer?: (kill: (s: NodeJS.Signals) => void) => void) {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/preview.ts", "--dashboards", defs, ...args], {
    cwd: REPO,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  let seen: number[] = [];
  const poll = setInterval(() => {
    const now = serversOf(child.pid!);
    if (now.length && !seen.length) onServer?.((s) => child.kill(s));
    seen = [...new Set([...seen, ...now])];
  }, 25);
  return new Promise<{ code: number | null; output: string; servers: number[] }>((resolveRun) =>
    child.on("exit", (code) => {
      clearInterval(poll);
      resolveRun({ code, output, servers: seen });
    }),
  );
}

async function gone(servers: number[]) {
  const deadline = Date.now() + 10_000;
  const alive = () =>
    servers.filter((p) => existsSync(`/proc/${p}`) && !readFileSync(`/proc/${p}/stat`, "utf8").includes(") Z"));
  while (alive().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return alive();
}

describe("npm run preview and its local Prometheus", () => {
  it("on success: the files are written and the server is gone", async () => {
    const out = join(scratch, "ok");
    const r = await preview(["--out", out, "--no-png"]);
    expect(r.code, r.output).toBe(0);
    expect(existsSync(join(out, "svc.svg"))).toBe(true);
    expect(r.servers.length).toBeGreaterThan(0);
    expect(await gone(r.servers)).toEqual([]);
  }, 180_000);

  it("on a failure after the server started (the output is a file): a usage error naming it, and the server is gone", async () => {
    const file = join(scratch, "a-file");
    writeFileSync(file, "");
    const r = await preview(["--out", file, "--no-png"]);
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain(file);
    expect(r.output).not.toMatch(/\n\s+at /); // one line, no stack trace
    expect(r.servers.length).toBeGreaterThan(0);
    expect(await gone(r.servers)).toEqual([]);
  }, 180_000);

  it("on Ctrl-C while rendering: exit 130 and the server is gone", async () => {
    const r = await preview(["--out", join(scratch, "interrupted")], (kill) => kill("SIGINT"));
    expect(r.code, r.output).toBe(130);
    expect(r.servers.length).toBeGreaterThan(0);
    expect(await gone(r.servers)).toEqual([]);
  }, 180_000);

  it("a --loki-url that is not http(s) is a usage error before any server is started", async () => {
    const r = await preview(["--out", join(scratch, "bad-loki"), "--no-png", "--loki-url", "loki:3100"]);
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain("--loki-url must be http(s)");
    expect(r.output).not.toMatch(/\n\s+at /);
    expect(r.servers).toEqual([]);
  }, 60_000);
});
