// Watch mode through the real CLI: an edit rebuilds only that dashboard; a broken edit reports the
// problem and keeps the last good output.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDashboards } from "../../bench/generate.js";
import { REPO } from "../fixtures/definitions.js";

const tmp = mkdtempSync(join(tmpdir(), "watch-"));
const defs = generateDashboards(join(tmp, "defs"), 2);
const out = join(tmp, "out");
const json = (n: number) => join(out, `grafana/provisioning/dashboards/services/svc-000${n}-overview.json`);
const source = join(defs, "svc-0001.ts");
const original = readFileSync(source, "utf8");
let child: ChildProcess;
let output = "";

async function waitFor(pred: () => boolean, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${output}`);
    if (child.exitCode !== null) throw new Error(`watch exited (${child.exitCode}); output:\n${output}`);
    await sleep(20);
  }
}

beforeAll(async () => {
  child = spawn(process.execPath, ["--import", "tsx", "scripts/build.ts", "--watch", "--dashboards", defs, "--out", out], { cwd: REPO });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  await waitFor(() => output.includes("watching:"), "the first build");
});
afterAll(() => {
  child?.kill();
  rmSync(tmp, { recursive: true, force: true });
});

describe("build --watch", () => {
  it("rewrites only the edited dashboard's file", async () => {
    const otherBefore = statSync(json(2)).mtimeMs;
    await sleep(100);
    writeFileSync(source, original.replace('"svc-0001 overview"', '"svc-0001 renamed"'));
    await waitFor(() => readFileSync(json(1), "utf8").includes('"title": "svc-0001 renamed"'), "the rebuilt file");
    await waitFor(() => /rebuilt in \d+ ms .*svc-0001-overview\.json/.test(output), "the rebuild line");
    expect(statSync(json(2)).mtimeMs).toBe(otherBefore);
  });

  it("a broken edit prints the error and keeps the last good build", async () => {
    const good = readFileSync(json(1), "utf8");
    const mark = output.length;
    writeFileSync(source, original.replace("fastapiOverview(flavour, ctx)", '({ build: () => { throw new Error("broken on purpose"); } })'));
    await waitFor(() => output.slice(mark).includes("the last good build is kept"), "the failure line");
    expect(output.slice(mark)).toMatch(/error\[definition-build\].*svc-0001-overview.*broken on purpose/);
    expect(readFileSync(json(1), "utf8")).toBe(good);

    // and recovers on the next good save
    writeFileSync(source, original);
    await waitFor(() => readFileSync(json(1), "utf8").includes('"title": "svc-0001 overview"'), "the recovered file");
  });
});
