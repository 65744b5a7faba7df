// The gallery and the served pages in a real browser (Debian's chromium, driven by playwright-core):
// every page loads without console errors and shows one image per panel; a save re-renders the
// page, a broken definition is named on it while the last good render stays.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { REPO } from "../fixtures/definitions.js";
import { definitionsDir, IMPORTS, validDashboard } from "../fixtures/definitions.js";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`SKIPPED browser tests: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`);

const EXPR = "sum(rate(http_requests_total[$__rate_interval]))";
let browser: BrowserContext;
let server: { url: string; child: ChildProcess };
let dir: string;
let profile: string;
const log: string[] = [];

async function open(path: string): Promise<{ page: Page; consoleErrors: string[] }> {
  const page = await browser.newPage();
  const consoleErrors: string[] = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(e.message));
  // Chromium's console line for a failed load names no URL: add it.
  page.on("response", (r) => r.status() >= 400 && consoleErrors.push(`HTTP ${r.status()} ${r.url()}`));
  await page.goto(new URL(path, server.url).href, { waitUntil: "load" });
  return { page, consoleErrors };
}

/** Every <img> decoded with a size (a broken image has naturalWidth 0). */
const loadedImages = (page: Page) => page.$$eval("img", (imgs) => imgs.map((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0));

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer().once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolvePort(port));
    });
  });
}

/** `npm run preview -- --serve` as a user runs it, until it says where it serves. */
async function startServe(defs: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/preview.ts", "--serve", "--port", String(port), "--dashboards", defs], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
  const lines = (d: Buffer) => log.push(...String(d).split("\n").filter(Boolean));
  child.stdout!.on("data", lines);
  child.stderr!.on("data", lines);
  const deadline = Date.now() + 180_000;
  while (!log.some((l) => l.startsWith("serving previews on"))) {
    if (child.exitCode !== null) throw new Error(`preview --serve exited with ${child.exitCode}:\n${log.join("\n")}`);
    if (Date.now() > deadline) throw new Error(`preview --serve did not start:\n${log.join("\n")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://127.0.0.1:${port}/`, child };
}

/** Ctrl-C, as a user stops it: the process ends and takes its Prometheus with it. */
async function stopServe(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const servers = childrenOf(child.pid!);
  expect(servers.length, "preview --serve runs its Prometheus").toBeGreaterThan(0);
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGINT");
  await exited;
  for (const pid of servers) await waitGone(pid);
}

function childrenOf(ppid: number): number[] {
  return readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      try {
        const stat = readFileSync(`/proc/${n}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === ppid && readFileSync(`/proc/${n}/cmdline`, "utf8").includes("prometheus");
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function waitGone(pid: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  const running = () => {
    try {
      return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z");
    } catch {
      return false;
    }
  };
  while (running()) {
    if (Date.now() > deadline) throw new Error(`prometheus ${pid} outlived preview --serve`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!haveChromium)("previews in headless Chromium", () => {
  beforeAll(async () => {
    dir = definitionsDir({ "svc.ts": validDashboard("svc", EXPR) });
    server = await startServe(dir);
    profile = mkdtempSync(join(tmpdir(), "chromium-profile-"));
    // A fresh profile (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServe(server.child);
    for (const d of [dir, profile]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it("the index shows one loaded picture per dashboard, without console errors", async () => {
    const { page, consoleErrors } = await open("/");
    expect(await loadedImages(page)).toEqual([true]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it("a dashboard page shows one loaded image per panel, without console errors", async () => {
    const { page, consoleErrors } = await open("/svc.html");
    const kinds = await page.$$eval("img[data-panel]", (imgs) => imgs.map((i) => i.getAttribute("data-type")));
    expect(kinds).toEqual(["row", "stat", "timeseries"]);
    expect(await loadedImages(page)).toEqual([true, true, true]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it("a save re-renders the open page; a broken definition is named there and the last render stays", async () => {
    const { page, consoleErrors } = await open("/svc.html");
    // Broken: a query on a metric nobody exports fails the build.
    writeFileSync(join(dir, "svc.ts"), IMPORTS + validDashboard("svc", "sum(rate(no_such_metric_total[$__rate_interval]))"));
    await page.waitForSelector("#build-error", { timeout: 60_000 }).catch((e) => {
      throw new Error(`${(e as Error).message}\n${log.join("\n")}`);
    });
    expect(await page.textContent("#build-error")).toMatch(/no_such_metric_total/);
    expect(await loadedImages(page)).toEqual([true, true, true]);
    // Fixed, with another panel: the page follows.
    writeFileSync(join(dir, "svc.ts"), IMPORTS + validDashboard("svc", EXPR).replace('.withRow(row("R"))', '.withRow(row("Renamed row"))'));
    await page.waitForFunction(() => !document.querySelector("#build-error") && document.querySelector('img[data-type="row"]')?.getAttribute("src") !== null, undefined, { timeout: 60_000 });
    await page.waitForFunction(async () => (await (await fetch(document.querySelector('img[data-type="row"]')!.getAttribute("src")!)).text()).includes("Renamed row"), undefined, { timeout: 60_000 });
    expect(consoleErrors).toEqual([]);
    await page.close();
  }, 180_000);
});
