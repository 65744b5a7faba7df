// A build that writes without the cache streams each dashboard's file to a temporary beside its
// target as it is emitted (src/pipeline/stage.ts), holding the tree's lock: nothing visible changes
// until finishBuild renames them, and a build that fails (or is abandoned) removes them again.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBuild } from "../../src/commands/build.js";
import { BuildError, EXIT, UserError } from "../../src/errors.js";
import { abandonBuild, buildTree, finishBuild } from "../../src/pipeline/index.js";
import { LOCK, TEMP_FILE } from "../../src/pipeline/treeState.js";
import { MAX_OPEN, TreeStage } from "../../src/pipeline/stage.js";
import { REPO_CONTENT } from "../../scripts/content.js";
import { generateDashboards } from "../../bench/generate.js";
import { readFiles } from "../fixtures/outputTree.js";

const tmp = mkdtempSync(join(tmpdir(), "build-stage-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const N = 3;
const defs = generateDashboards(join(tmp, "defs"), N);

const isTemp = (p: string) => TEMP_FILE.test(p.split("/").pop()!);
const temps = (out: string) => (existsSync(out) ? Object.keys(readFiles(out)).filter(isTemp) : []);

describe("a streamed build", () => {
  it("writes each dashboard to a temporary while it builds, and only finishBuild makes them visible", async () => {
    const reference = await buildTree({ content: REPO_CONTENT, dashboardsDir: defs, write: false });
    const out = join(tmp, "out-a");
    const built = await buildTree({ content: REPO_CONTENT, dashboardsDir: defs, out, stream: true });
    // Staged: one flushed temporary per dashboard, the lock held, no dashboard file yet.
    const staged = readFiles(out);
    expect(Object.keys(staged).filter(isTemp)).toHaveLength(N);
    expect(Object.keys(staged)).toContain(LOCK);
    expect(Object.keys(staged).filter((p) => p.endsWith(".json") && !isTemp(p))).toEqual([]);
    const result = await finishBuild(built, { content: REPO_CONTENT, dashboardsDir: defs, out, stream: true });
    const written = readFiles(out);
    expect(Object.keys(written).filter((p) => isTemp(p) || p === LOCK)).toEqual([]);
    // Byte for byte what the build emits when it holds every text; the result still offers the texts.
    for (const f of reference.files) expect(written[f.path], f.path).toBe(f.content);
    for (const f of result.files) expect(f.content, f.path).toBe(written[f.path]);
    expect(result.dashboards.map((d) => d.json.uid)).toEqual(reference.dashboards.map((d) => d.json.uid));
  });

  it("leaves a file the tree already holds untouched, and reports only what changed", async () => {
    const out = join(tmp, "out-b");
    await runBuild({ content: REPO_CONTENT, dashboardsDir: defs, out, lint: false });
    // The same dashboards from another folder, one of them retitled (a folder of its own: the
    // definitions this process has imported are not imported again).
    const next = generateDashboards(join(tmp, "defs-next"), N);
    const first = join(next, "svc-0001.ts");
    writeFileSync(first, readFileSync(first, "utf8").replace('title: "svc-0001 overview"', 'title: "svc-0001 renamed"'));
    const r = await runBuild({ content: REPO_CONTENT, dashboardsDir: next, out, lint: false });
    expect(r.changed!.filter((p) => p.endsWith("-overview.json"))).toEqual(["grafana/provisioning/dashboards/services/svc-0001-overview.json"]);
    expect(readFileSync(join(out, "grafana/provisioning/dashboards/services/svc-0001-overview.json"), "utf8")).toContain("svc-0001 renamed");
    expect(temps(out)).toEqual([]);
  });

  it("that fails after its dashboards are staged leaves the old tree as it was, no temporary and no lock", async () => {
    const out = join(tmp, "out-c");
    await runBuild({ content: REPO_CONTENT, dashboardsDir: defs, out, lint: false });
    const old = readFiles(out);
    // Another set: the same dashboards renamed (so every file would change), and a second
    // definition of one uid, which fails the build only once all of them are emitted.
    const bad = generateDashboards(join(tmp, "defs-bad"), N);
    for (let i = 1; i <= N; i++) {
      const f = join(bad, `svc-000${i}.ts`);
      writeFileSync(f, readFileSync(f, "utf8").replace(" overview\"", ' changed"'));
    }
    writeFileSync(join(bad, "zz-duplicate.ts"), readFileSync(join(bad, "svc-0001.ts"), "utf8"));
    const err = await runBuild({ content: REPO_CONTENT, dashboardsDir: bad, out, lint: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildError);
    expect((err as BuildError).problems.map((p) => p.code)).toContain("duplicate-uid");
    expect(readFiles(out)).toEqual(old);
  });

  it("abandoned, removes its temporaries and the folders it made, and releases the tree", async () => {
    const out = join(tmp, "out-d", "tree");
    const built = await buildTree({ content: REPO_CONTENT, dashboardsDir: defs, out, stream: true });
    expect(temps(out)).toHaveLength(N);
    await abandonBuild(built);
    expect(existsSync(join(tmp, "out-d"))).toBe(false);
    // Released: the next build takes the tree at once and writes it.
    const r = await runBuild({ content: REPO_CONTENT, dashboardsDir: defs, out, lint: false });
    expect(r.changed!.length).toBeGreaterThan(N);
  });

  it("refuses a folder where a new dashboard file goes, with the writer's message and exit code, and changes nothing", async () => {
    const out = join(tmp, "out-e");
    await runBuild({ content: REPO_CONTENT, dashboardsDir: defs, out, lint: false });
    const target = join(out, "grafana/provisioning/dashboards/services/svc-0002-overview.json");
    rmSync(target);
    mkdirSync(target);
    const old = readFiles(out);
    const err = await runBuild({ content: REPO_CONTENT, dashboardsDir: defs, out, lint: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/svc-0002-overview\.json: is a directory where the build writes a file$/);
    expect((err as UserError).exitCode).toBe(EXIT.usage);
    expect(readFiles(out)).toEqual(old);
    expect(temps(out)).toEqual([]);
  });
});

describe("a stage", () => {
  it("writes a file's temporary when the file is added (its text is not held until a later step), and removes it when closed unwritten", async () => {
    const out = join(tmp, "out-f");
    const stage = TreeStage.open(out);
    const text = '{\n  "uid": "a"\n}\n';
    stage.add("grafana/provisioning/dashboards/a.json", text);
    // Before the build yields: the temporary is already there, holding the text.
    const staged = Object.entries(readFiles(out)).filter(([p]) => isTemp(p));
    expect(staged.map(([, content]) => content)).toEqual([text]);
    expect(stage.text("grafana/provisioning/dashboards/a.json")).toBe(text);
    await stage.settled();
    await stage.close();
    expect(existsSync(out)).toBe(false);
  });

  it("names the file and keeps the tree unchanged when a temporary cannot be written", async () => {
    const out = join(tmp, "out-g");
    const stage = TreeStage.open(out);
    // A file where the dashboards' folder goes: its temporary cannot be made.
    mkdirSync(join(out, "grafana"), { recursive: true });
    writeFileSync(join(out, "grafana", "provisioning"), "not a folder");
    stage.add("grafana/provisioning/dashboards/a.json", "{}\n");
    const err = await stage.settled().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/grafana\/provisioning\/dashboards\/a\.json.*is unchanged/);
    await stage.close();
    expect(temps(out)).toEqual([]);
    expect(readFileSync(join(out, "grafana", "provisioning"), "utf8")).toBe("not a folder");
  });

  // Linux names a process's open descriptors under /proc/self/fd.
  const PROC_FD = "/proc/self/fd";
  const openUnder = (dir: string) =>
    readdirSync(PROC_FD).filter((fd) => {
      try {
        return readlinkSync(join(PROC_FD, fd)).startsWith(dir + "/");
      } catch {
        return false; // closed meanwhile (the listing's own descriptor)
      }
    }).length;

  it.skipIf(!existsSync(PROC_FD))("flushes each temporary through the descriptor that wrote it, holding at most MAX_OPEN, and closes them all", async () => {
    const out = join(tmp, "out-h");
    const stage = TreeStage.open(out);
    const text = (i: number) => `{\n  "uid": "d${i}"\n}\n`;
    const path = (i: number) => `grafana/provisioning/dashboards/f/d${i}.json`;
    // Written but not yet flushed (the build has not yielded): each temporary is still open.
    for (let i = 0; i < 10; i++) stage.add(path(i), text(i));
    expect(openUnder(out)).toBe(10);
    // Many more than that without a yield: past MAX_OPEN, a temporary is closed once written.
    for (let i = 10; i < MAX_OPEN + 50; i++) stage.add(path(i), text(i));
    expect(openUnder(out)).toBe(MAX_OPEN);
    await stage.settled();
    expect(openUnder(out)).toBe(0);
    for (let i = 0; i < MAX_OPEN + 50; i++) expect(stage.text(path(i))).toBe(text(i));
    await stage.close();
    expect(openUnder(out)).toBe(0);
    expect(existsSync(out)).toBe(false);
  });
});
