// --watch through the real command (node scripts/launch.mjs --watch): a broken edit prints located
// problems, no stack, and keeps the last good tree; a write that fails prints one line naming the
// path and the watcher carries on.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDashboards } from "../../bench/generate.js";
import { REPO } from "../fixtures/definitions.js";

const tmp = mkdtempSync(join(tmpdir(), "loader-watch-"));
const defs = generateDashboards(join(tmp, "defs"), 2);
const out = join(tmp, "out");
const services = join(out, "grafana/provisioning/dashboards/services");
const json = (n: number) => join(services, `svc-000${n}-overview.json`);
const source = join(defs, "svc-0001.ts");
const original = readFileSync(source, "utf8");
let child: ChildProcess;
let output = "";

async function waitFor(pred: () => boolean, what: string, ms = 40_000) {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${output}`);
    if (child.exitCode !== null) throw new Error(`watch exited (${child.exitCode}); output:\n${output}`);
    await sleep(20);
  }
}

/** Saves `content` to `file` and returns what the watcher printed for that rebuild. */
async function save(file: string, content: string | Buffer, done: RegExp): Promise<string> {
  const mark = output.length;
  writeFileSync(file, content);
  await waitFor(() => done.test(output.slice(mark)), `the rebuild after ${file}`);
  return output.slice(mark);
}

const FAILED = /build failed in \d+ ms after .*; the last good build is kept/;
const REBUILT = /rebuilt in \d+ ms after/;

beforeAll(async () => {
  child = spawn(process.execPath, ["scripts/launch.mjs", "--watch", "--dashboards", defs, "--out", out], {
    cwd: REPO,
    env: { ...process.env, GRAFANA_AS_CODE_DEBUG: undefined },
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  await waitFor(() => output.includes("watching:"), "the first build");
  // Node's recursive fs.watch on Linux sets up its per-folder watches after it returns.
  await sleep(1000);
});
afterAll(() => {
  child?.kill();
  rmSync(tmp, { recursive: true, force: true });
});

describe("build --watch, failures", () => {
  it("a syntax error: one located line, no stack, the last good tree kept", async () => {
    const good = readFileSync(json(1), "utf8");
    const printed = await save(source, original.replace("export default", "export default = ;"), FAILED);
    expect(printed).toMatch(new RegExp(`^error\\[syntax\\] ${source}:6:\\d+: `, "m"));
    expect(printed).not.toMatch(/^\s+at /m);
    expect(readFileSync(json(1), "utf8")).toBe(good);
    expect(await save(source, original, REBUILT)).not.toMatch(/error\[/);
  });

  it("bytes that are not UTF-8: the file and the offset, the last good tree kept", async () => {
    const good = readFileSync(json(1), "utf8");
    const bytes = Buffer.concat([Buffer.from("// "), Buffer.from([0xff]), Buffer.from(`\n${original}`)]);
    const printed = await save(source, bytes, FAILED);
    expect(printed).toContain(`error[invalid-utf8] ${source}: byte offset 3 is not valid UTF-8`);
    expect(readFileSync(json(1), "utf8")).toBe(good);
    await save(source, original, REBUILT);
  });

  it("a definition that throws while loading: its file and line", async () => {
    const printed = await save(source, original.replace("const flavour", 'throw new Error("not today");\nconst flavour'), FAILED);
    expect(printed).toContain(`error[definition-load] ${source}:5: not today`);
    expect(printed).not.toMatch(/^\s+at /m);
    await save(source, original, REBUILT);
  });

  it("a write that fails: one line naming the path, and the watcher carries on", async () => {
    // Where the new dashboard's file goes, a folder with something in it: the rename onto it fails.
    const third = join(services, "svc-0003-overview.json");
    mkdirSync(join(third, "in-the-way"), { recursive: true });
    const copy = readFileSync(join(defs, "svc-0002.ts"), "utf8").replaceAll("svc-0002", "svc-0003");
    const printed = await save(join(defs, "svc-0003.ts"), copy, FAILED);
    const lines = printed.trim().split("\n");
    expect(lines.filter((l) => l.includes(third))).toHaveLength(1);
    expect(lines.find((l) => l.includes(third))).toMatch(/: (is a directory( where the build writes a file)?|directory not empty|already exists)( \(E[A-Z]+, \w+\))?$/);
    expect(printed).not.toMatch(/^\s+at /m);
    // Clear the way and save again: the watcher is still there and writes the file.
    rmSync(third, { recursive: true, force: true });
    await save(join(defs, "svc-0003.ts"), copy + "\n", REBUILT);
    await waitFor(() => existsSync(third) && readFileSync(third, "utf8").includes('"uid": "svc-0003-overview"'), "the third dashboard");
  });
});
