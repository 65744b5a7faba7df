// `npm run preview -- --serve` under rapid successive saves of a definition: the served page ends on
// the last save's content (no earlier render lands after it), and Ctrl-C leaves no Prometheus behind.
import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { definitionsDir, IMPORTS, REPO, validDashboard } from "../fixtures/definitions.js";

const EXPR = "sum(rate(http_requests_total[$__rate_interval]))";
const log: string[] = [];
let child: ChildProcess;
let url: string;
let dir: string;

const withRow = (title: string) =>
  IMPORTS + validDashboard("svc", EXPR).replace('.withRow(row("R"))', `.withRow(row(${JSON.stringify(title)}))`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer().once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolvePort(port));
    });
  });
}

/** The row panel's picture as served now (its title is what the saves change). */
async function servedRow(): Promise<string> {
  const page = await (await fetch(new URL("svc.html", url))).text();
  const src = /<img src="([^"]+)"[^>]*data-type="row"/.exec(page)?.[1];
  if (!src) throw new Error(`no row image on the page:\n${page.slice(0, 500)}`);
  return (await fetch(new URL(src, url))).text();
}

function prometheusChildren(ppid: number): number[] {
  return readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      try {
        const stat = readFileSync(`/proc/${n}/stat`, "utf8");
        return (
          Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === ppid &&
          readFileSync(`/proc/${n}/cmdline`, "utf8").includes("prometheus")
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

beforeAll(async () => {
  dir = definitionsDir({ "svc.ts": validDashboard("svc", EXPR) });
  const port = await freePort();
  child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/preview.ts", "--serve", "--no-png", "--port", String(port), "--dashboards", dir],
    { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] },
  );
  const lines = (d: Buffer) => log.push(...String(d).split("\n").filter(Boolean));
  child.stdout!.on("data", lines);
  child.stderr!.on("data", lines);
  const deadline = Date.now() + 180_000;
  while (!log.some((l) => l.startsWith("serving previews on"))) {
    if (child.exitCode !== null) throw new Error(`preview --serve exited with ${child.exitCode}:\n${log.join("\n")}`);
    if (Date.now() > deadline) throw new Error(`preview --serve did not start:\n${log.join("\n")}`);
    await sleep(100);
  }
  url = `http://127.0.0.1:${port}/`;
}, 200_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("preview --serve", () => {
  it("rapid successive saves end on the last one", async () => {
    expect(await servedRow()).toMatch(/ R<\/text>/);
    for (let i = 1; i <= 8; i++) {
      writeFileSync(join(dir, "svc.ts"), withRow(`Save ${i}`));
      await sleep(i % 3 === 0 ? 150 : 15); // some saves land during a rebuild, some between
    }
    const deadline = Date.now() + 90_000;
    while (!(await servedRow()).includes("Save 8")) {
      if (Date.now() > deadline) throw new Error(`the page never showed the last save:\n${log.join("\n")}`);
      await sleep(200);
    }
    // Nothing older replaces it afterwards.
    await sleep(2_000);
    expect(await servedRow()).toContain("Save 8");
  }, 120_000);

  it("Ctrl-C stops the server and its Prometheus", async () => {
    const servers = prometheusChildren(child.pid!);
    expect(servers.length).toBeGreaterThan(0);
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    const deadline = Date.now() + 15_000;
    const alive = () =>
      servers.filter((pid) => {
        try {
          return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z");
        } catch {
          return false;
        }
      });
    while (alive().length) {
      if (Date.now() > deadline) throw new Error(`prometheus ${alive().join(", ")} outlived preview --serve`);
      await sleep(100);
    }
  }, 30_000);
});
