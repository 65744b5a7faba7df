// Watch mode through the real CLI: an edit rebuilds only that dashboard; a broken edit reports the
// problem and keeps the last good output.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
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

  it("saves a few milliseconds apart (broken, then fixed) always end with the last one built", async () => {
    const broken = original.replace("fastapiOverview(flavour, ctx)", '({ build: () => { throw new Error("broken on purpose"); } })');
    for (let i = 1; i <= 5; i++) {
      const title = `svc-0001 rapid ${i}`;
      writeFileSync(source, broken);
      await sleep(i); // 1–5 ms: within one debounce, or landing while the broken save is being built
      writeFileSync(source, original.replace('"svc-0001 overview"', JSON.stringify(title)));
      await waitFor(() => readFileSync(json(1), "utf8").includes(`"title": ${JSON.stringify(title)}`), `save ${i} built`);
    }
    // Nothing is left pending that would replace it with an older save.
    await sleep(300);
    expect(readFileSync(json(1), "utf8")).toContain('"title": "svc-0001 rapid 5"');
    writeFileSync(source, original);
    await waitFor(() => readFileSync(json(1), "utf8").includes('"title": "svc-0001 overview"'), "the restored file");
  });

  it("a definition in a folder created after the watch started is built", async () => {
    const { mkdirSync } = await import("node:fs");
    const dir = join(defs, "late");
    mkdirSync(dir);
    writeFileSync(join(dir, "index.ts"), original.replaceAll("svc-0001", "svc-0009"));
    await waitFor(() => existsSync(json(9)) && readFileSync(json(9), "utf8").includes('"title": "svc-0009 overview"'), "the new folder's dashboard");
    rmSync(dir, { recursive: true });
    await waitFor(() => !existsSync(json(9)), "its removal");
  });

  // A save of definitions keeps the engine loaded: the helpers a definition imports must still be
  // read afresh, every time.
  it("a helper beside the definitions, saved twice, is rebuilt into its importer each time", async () => {
    const helper = join(defs, "_title.ts");
    const uses = (t: string) => writeFileSync(helper, `export const TITLE = ${JSON.stringify(t)};\n`);
    uses("svc-0002 from helper 1");
    const second = join(defs, "svc-0002.ts");
    const before = readFileSync(second, "utf8");
    writeFileSync(second, `import { TITLE } from "./_title.ts";\n` + before.replace('"svc-0002 overview"', "TITLE"));
    await waitFor(() => readFileSync(json(2), "utf8").includes('"title": "svc-0002 from helper 1"'), "the helper's first value");
    uses("svc-0002 from helper 2");
    await waitFor(() => readFileSync(json(2), "utf8").includes('"title": "svc-0002 from helper 2"'), "the helper's second value");
    writeFileSync(second, before);
    rmSync(helper);
    await waitFor(() => readFileSync(json(2), "utf8").includes('"title": "svc-0002 overview"'), "the restored file");
  });

  // Helpers that did not change stay loaded between saves; one saved while the build could not get
  // as far as loading anything (another file broken) is still read afresh once the build does.
  it("a helper saved while another definition is broken reaches its importer once that one is fixed", async () => {
    const helper = join(defs, "_later.ts");
    const uses = (t: string) => writeFileSync(helper, `export const TITLE = ${JSON.stringify(t)};\n`);
    uses("svc-0002 later 1");
    const second = join(defs, "svc-0002.ts");
    const before = readFileSync(second, "utf8");
    writeFileSync(second, `import { TITLE } from "./_later.ts";\n` + before.replace('"svc-0002 overview"', "TITLE"));
    await waitFor(() => readFileSync(json(2), "utf8").includes('"title": "svc-0002 later 1"'), "the helper's first value");
    const mark = output.length;
    writeFileSync(source, original + "\nconst = 1;\n");
    await waitFor(() => output.slice(mark).includes("the last good build is kept"), "the failure of the broken save");
    const failures = output.slice(mark).split("the last good build is kept").length;
    uses("svc-0002 later 2");
    await waitFor(() => output.slice(mark).split("the last good build is kept").length > failures, "the failure with the helper saved");
    expect(readFileSync(json(2), "utf8")).toContain('"title": "svc-0002 later 1"');
    writeFileSync(source, original);
    await waitFor(() => readFileSync(json(2), "utf8").includes('"title": "svc-0002 later 2"'), "the helper's second value, after the fix");
    writeFileSync(second, before);
    rmSync(helper);
    await waitFor(() => readFileSync(json(2), "utf8").includes('"title": "svc-0002 overview"'), "the restored file");
  });
});

