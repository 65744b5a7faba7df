// --watch writes through the same writer as a single build: folders keep their identity, only the
// edited dashboard's file changes, and a write failure is one message (no stack) with the last good
// tree kept.
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDashboards } from "../../bench/generate.js";
import { build, dirInodes, killStarted, mountReadOnly, readFiles, startBuild, unmount, type Running } from "../fixtures/outputTree.js";

const tmp = mkdtempSync(join(tmpdir(), "write-watch-"));
const defs = generateDashboards(join(tmp, "defs"), 2);
const out = join(tmp, "out");
const services = join(out, "grafana/provisioning/dashboards/services");
const source = join(defs, "svc-0001.ts");
const original = readFileSync(source, "utf8");
let watch: Running;
let mounted = false;

beforeAll(async () => {
  const r = await build(["--dashboards", defs, "--out", join(tmp, "ref")]);
  expect(r.status, r.stderr).toBe(0);
  cpSync(join(tmp, "ref"), out, { recursive: true });
  watch = startBuild(["--watch", "--dashboards", defs, "--out", out]);
  await watch.waitFor("watching:");
  await sleep(1000); // Node's recursive fs.watch on Linux sets up its watchers asynchronously
});
afterAll(() => {
  killStarted();
  if (mounted) unmount(services);
  rmSync(tmp, { recursive: true, force: true });
});

async function until(pred: () => boolean, what: string, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${watch.output()}`);
    await sleep(20);
  }
}

describe("--watch writes with the build's writer", () => {
  it("a rebuild keeps every folder and rewrites only the edited file", async () => {
    const inodes = dirInodes(out);
    const other = join(services, "svc-0002-overview.json");
    const mtime = statSync(other).mtimeMs;
    const mark = watch.output().length;
    writeFileSync(source, original.replace('"svc-0001 overview"', '"svc-0001 renamed"'));
    await until(() => readFileSync(join(services, "svc-0001-overview.json"), "utf8").includes("svc-0001 renamed"), "the rebuilt file");
    // The file is renamed into place before the manifest and the lock's release: the write ends at the log line.
    await until(() => watch.output().slice(mark).includes("rebuilt in"), "the end of the write");
    expect(dirInodes(out)).toEqual(inodes);
    expect(statSync(other).mtimeMs).toBe(mtime);
  });

  it("a write failure prints one message naming the path, no stack, and keeps the last good tree", async (ctx) => {
    const before = readFiles(out);
    if (!mountReadOnly(services)) return ctx.skip();
    mounted = true;
    const mark = watch.output().length;
    writeFileSync(source, original.replace('"svc-0001 overview"', '"svc-0001 again"'));
    await until(() => watch.output().slice(mark).includes("the last good build is kept"), "the failure line");
    const said = watch.output().slice(mark);
    expect(said).toMatch(new RegExp(`error: cannot write ${join(services, "svc-0001-overview.json")}: read-only file system \\(EROFS\\)`));
    expect(said).not.toMatch(/\n\s+at /);
    expect(readFiles(out)).toEqual(before);
  });
});
