// The output tree writer on real files: directories keep their identity, unchanged files are not
// touched, only files a previous build wrote are replaced or removed, and the tree never shrinks to
// nothing unless asked.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT, UserError } from "../../src/errors.js";
import { LOCK } from "../../src/pipeline/treeState.js";
import { diffTree, MANIFEST, writeTree, type OutputFile } from "../../src/pipeline/write.js";
import { dirInodes, readFiles, tryRun } from "../fixtures/outputTree.js";

const tmp = mkdtempSync(join(tmpdir(), "write-tree-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(tmp, `out-${++n}`);

const D = "grafana/provisioning/dashboards";
function tree(dashboards: Record<string, string>, rules: Record<string, string> = { "a.yaml": "groups: []\n" }): OutputFile[] {
  return [
    { path: "grafana/provisioning/datasources/datasources.yaml", content: "apiVersion: 1\n" },
    { path: `${D}/dashboards.yaml`, content: "apiVersion: 1\n" },
    ...Object.entries(dashboards).map(([p, content]) => ({ path: `${D}/${p}`, content })),
    ...Object.entries(rules).map(([p, content]) => ({ path: `prometheus/rules/${p}`, content })),
    { path: "prometheus/prometheus.yml", content: "rule_files: [rules/*.yaml]\n" },
  ];
}
const OLD = tree({ "services/a.json": '{"uid":"a"}', "services/b.json": '{"uid":"b"}', "ml/c.json": '{"uid":"c"}' });
const NEW = tree({ "services/a.json": '{"uid":"a","v":2}', "services/b.json": '{"uid":"b"}', "infra/d.json": '{"uid":"d"}' });

function expectTree(dir: string, files: OutputFile[]) {
  const { [MANIFEST]: manifest, ...rest } = readFiles(dir);
  expect(rest).toEqual(Object.fromEntries(files.map((f) => [f.path, f.content])));
  expect(JSON.parse(manifest)).toEqual({ generator: "grafana-as-code", files: files.map((f) => f.path).sort() });
}

async function userError(f: () => unknown): Promise<UserError> {
  try {
    await f();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error("expected a UserError");
}

describe("per-file atomic writes", () => {
  it("keeps every directory's identity and the mtime of unchanged files; replaces changed, adds new, removes stale", async () => {
    const out = fresh();
    await writeTree(out, OLD);
    const inodes = dirInodes(out);
    const unchanged = join(out, `${D}/services/b.json`);
    const before = statSync(unchanged).mtimeMs;
    await sleep(20);
    const r = await writeTree(out, NEW);
    expectTree(out, NEW);
    expect(r.changed).toEqual([MANIFEST, `${D}/infra/d.json`, `${D}/ml/c.json`, `${D}/services/a.json`]);
    expect(statSync(unchanged).mtimeMs).toBe(before);
    // every directory that still exists is the same directory; ml/ (now empty, created by the build) is gone
    const after = dirInodes(out);
    for (const [dir, ino] of Object.entries(inodes)) if (dir !== `${D}/ml`) expect(after[dir], dir).toBe(ino);
    expect(existsSync(join(out, `${D}/ml`))).toBe(false);
  });

  it("an identical rebuild touches nothing", async () => {
    const out = fresh();
    await writeTree(out, OLD);
    const times = Object.keys(readFiles(out)).map((p) => statSync(join(out, p)).mtimeMs);
    await sleep(20);
    expect((await writeTree(out, OLD)).changed).toEqual([]);
    expect(Object.keys(readFiles(out)).map((p) => statSync(join(out, p)).mtimeMs)).toEqual(times);
  });

  it("removes temporary files a killed build left behind, and leaves none itself", async () => {
    const out = fresh();
    await writeTree(out, OLD);
    writeFileSync(join(out, `${D}/services/.a.json.tmp-99999-3`), "half");
    writeFileSync(join(out, `prometheus/rules/.a.yaml.tmp-12-restore`), "half");
    await writeTree(out, NEW);
    expectTree(out, NEW);
    expect(diffTree(out, NEW)).toEqual([]);
  });

  it("removes the sibling directories a killed whole-directory swap left (only this tool's, only of dead processes)", async () => {
    const out = fresh();
    await writeTree(out, OLD);
    const dead = spawnSyncPid();
    const ours = [`${out}.tmp-${dead}`, `${out}.old-${dead}`];
    for (const d of ours) cpSync(out, d, { recursive: true });
    const theirs = `${out}.old-${dead + 1}`;
    mkdirSync(theirs);
    writeFileSync(join(theirs, MANIFEST), '{"name":"other"}');
    const live = `${out}.tmp-${process.ppid}`;
    cpSync(out, live, { recursive: true });
    await writeTree(out, NEW);
    for (const d of ours) expect(existsSync(d), d).toBe(false);
    expect(existsSync(theirs)).toBe(true);
    expect(existsSync(live)).toBe(true);
  });

  it("--check reports litter as stale", async () => {
    const out = fresh();
    await writeTree(out, OLD);
    writeFileSync(join(out, `${D}/services/.a.json.tmp-99999-3`), "half");
    expect(diffTree(out, OLD)).toEqual([{ path: `${D}/services/.a.json.tmp-99999-3`, kind: "stale" }]);
  });
});

describe("ownership", () => {
  it("keeps and reports a file no build wrote; never deletes it", async () => {
    const out = fresh();
    await writeTree(out, OLD);
    writeFileSync(join(out, "prometheus/rules/hand-made.yaml"), "groups: []\n");
    const r = await writeTree(out, NEW);
    expect(r.foreign).toEqual(["prometheus/rules/hand-made.yaml"]);
    expect(readFileSync(join(out, "prometheus/rules/hand-made.yaml"), "utf8")).toBe("groups: []\n");
    expect(JSON.parse(readFileSync(join(out, MANIFEST), "utf8")).files).not.toContain("prometheus/rules/hand-made.yaml");
  });

  it("deletes only what the previous manifest lists", async () => {
    const out = fresh();
    await writeTree(out, OLD);
    // a file the manifest does not list, at a path a build once wrote: not the build's any more
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST), "utf8"));
    manifest.files = manifest.files.filter((p: string) => p !== `${D}/ml/c.json`);
    writeFileSync(join(out, MANIFEST), JSON.stringify(manifest));
    await writeTree(out, NEW);
    expect(readFileSync(join(out, `${D}/ml/c.json`), "utf8")).toBe('{"uid":"c"}');
  });

  it("refuses to overwrite a file it did not write, naming it, and writes nothing", async () => {
    const out = fresh();
    await writeTree(out, OLD);
    writeFileSync(join(out, `${D}/infra.json`), "mine");
    mkdirSync(join(out, `${D}/infra`));
    writeFileSync(join(out, `${D}/infra/d.json`), "mine");
    const before = readFiles(out);
    const e = await userError(() => writeTree(out, NEW));
    expect(e.exitCode).toBe(EXIT.usage);
    expect(e.message).toMatch(new RegExp(`${D}/infra/d\\.json: exists but this build did not write it`));
    expect(readFiles(out)).toEqual(before);
  });

  it.each([
    ["another tool's manifest", '{"name":"other"}'],
    ["a manifest of another generator", '{"generator":"other","files":["x"]}'],
    ["a manifest that is not JSON", "generator: grafana-as-code"],
    ["a manifest whose files are not a list of paths", '{"generator":"grafana-as-code","files":"x"}'],
    ["a manifest reaching outside the tree", '{"generator":"grafana-as-code","files":["../../etc/passwd"]}'],
    ["a manifest with an absolute path", '{"generator":"grafana-as-code","files":["/etc/passwd"]}'],
  ])("refuses a directory with %s, naming the manifest", async (_, text) => {
    const out = fresh();
    mkdirSync(out);
    writeFileSync(join(out, MANIFEST), text);
    writeFileSync(join(out, "keep.txt"), "theirs");
    const e = await userError(() => writeTree(out, NEW));
    expect(e.exitCode).toBe(EXIT.usage);
    expect(e.message).toContain(`${join(out, MANIFEST)}: not a manifest of this build`);
    expect(readFiles(out)).toEqual({ [MANIFEST]: text, "keep.txt": "theirs" });
  });

  it("refuses a non-empty directory without a manifest", async () => {
    const out = fresh();
    mkdirSync(out);
    writeFileSync(join(out, "notes.txt"), "theirs");
    const e = await userError(() => writeTree(out, NEW));
    expect(e.message).toBe(`${out}: refusing to write into a non-empty directory this build did not write (no ${MANIFEST}); choose an empty or new --out directory`);
    expect(readFiles(out)).toEqual({ "notes.txt": "theirs" });
  });

  it("writes into an empty directory", async () => {
    const out = fresh();
    mkdirSync(out);
    const ino = statSync(out).ino;
    await writeTree(out, OLD);
    expectTree(out, OLD);
    expect(statSync(out).ino).toBe(ino);
  });
});

describe("never shrinks to nothing", () => {
  it("refuses to remove every dashboard unless allowEmpty", async () => {
    const out = fresh();
    await writeTree(out, OLD);
    const before = readFiles(out);
    const empty = tree({});
    const e = await userError(() => writeTree(out, empty));
    expect(e.exitCode).toBe(EXIT.usage);
    expect(e.message).toMatch(/would remove every dashboard of the tree \(3\) and write none; .*--allow-empty/);
    expect(readFiles(out)).toEqual(before);
    await writeTree(out, empty, { allowEmpty: true });
    expectTree(out, empty);
  });

  it("refuses to remove every rule file unless allowEmpty", async () => {
    const out = fresh();
    await writeTree(out, OLD);
    const noRules = tree({ "services/a.json": "{}" }, {});
    expect((await userError(() => writeTree(out, noRules))).message).toMatch(/would remove every rule file of the tree \(1\)/);
    await writeTree(out, noRules, { allowEmpty: true });
    expectTree(out, noRules);
  });

  it("a first build of nothing into an empty place is fine", async () => {
    const out = fresh();
    await writeTree(out, tree({}, {}));
    expectTree(out, tree({}, {}));
  });
});

describe("a symlinked output directory", () => {
  it("is followed: the link stays a link and the target keeps its identity", async () => {
    const target = fresh();
    mkdirSync(target);
    const link = join(tmp, `link-${n}`);
    symlinkSync(target, link);
    await writeTree(link, OLD);
    const ino = statSync(target).ino;
    await writeTree(link, NEW);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(statSync(target).ino).toBe(ino);
    expectTree(target, NEW);
  });

  it("a dangling link is refused, naming it", async () => {
    const link = join(tmp, `dangling-${++n}`);
    symlinkSync(join(tmp, "nowhere"), link);
    const e = await userError(() => writeTree(link, OLD));
    expect(e.exitCode).toBe(EXIT.usage);
    expect(e.message).toMatch(new RegExp(`^${link}: output path is a symbolic link to a path that does not exist`));
    expect(existsSync(join(tmp, "nowhere"))).toBe(false);
  });

  it("a file as output path is refused", async () => {
    const out = fresh();
    writeFileSync(out, "x");
    expect((await userError(() => writeTree(out, OLD))).message).toBe(`${out}: output path exists and is not a directory`);
  });
});

describe("the lock", () => {
  it("a lock left by a dead process is taken over, and what it announced is owned", async () => {
    const out = fresh();
    await writeTree(out, OLD);
    // a killed build had announced (and written) infra/x.json before it could update the manifest
    mkdirSync(join(out, `${D}/infra`));
    writeFileSync(join(out, `${D}/infra/x.json`), "{}");
    const dead = spawnSyncPid();
    writeFileSync(join(out, LOCK), JSON.stringify({ generator: "grafana-as-code", pid: dead, host: hostname(), pending: [`${D}/infra/x.json`] }));
    const r = await writeTree(out, NEW);
    expect(r.foreign).toEqual([]);
    expectTree(out, NEW);
  });

  it("a live build's lock makes the writer wait, then refuse with exit 3 naming the lock file", async () => {
    const out = fresh();
    await writeTree(out, OLD);
    const holder = spawn("sleep", ["30"]);
    try {
      writeFileSync(join(out, LOCK), JSON.stringify({ generator: "grafana-as-code", pid: holder.pid, host: hostname(), pending: [] }));
      const before = readFiles(out);
      const lines: string[] = [];
      const e = await userError(() => writeTree(out, NEW, { lockWaitMs: 300, log: (l) => lines.push(l) }));
      expect(lines).toEqual([`waiting for another build (pid ${holder.pid} on ${hostname()}) to finish writing ${out}`]);
      expect(e.exitCode).toBe(EXIT.io);
      expect(e.message).toMatch(new RegExp(`another build \\(pid ${holder.pid} .*gave up after 0 s\\. If no build is running, delete ${join(out, LOCK)}`));
      expect(readFiles(out)).toEqual(before);
    } finally {
      holder.kill();
    }
  });

  it("is released after a build and after a failed one", async () => {
    const out = fresh();
    await writeTree(out, OLD);
    expect(existsSync(join(out, LOCK))).toBe(false);
    writeFileSync(join(out, `${D}/infra`), "a file where the build needs a directory");
    await expect(writeTree(out, NEW)).rejects.toThrow();
    expect(existsSync(join(out, LOCK))).toBe(false);
  });
});

/** The pid of a process that has exited (and been reaped). */
function spawnSyncPid(): number {
  return spawnSync("true").pid;
}

describe("a writer told what it wrote last (--watch)", () => {
  it("takes a file whose text it wrote last as unchanged without reading it; a missing one is written again", async () => {
    const out = fresh();
    await writeTree(out, OLD);
    const previous = new Map(OLD.map((f) => [f.path, f.content]));
    // Edited by hand behind the watcher's back: not read, so left as it is until its text changes.
    writeFileSync(join(out, `${D}/services/b.json`), "hand edit");
    rmSync(join(out, `${D}/ml/c.json`));
    const r = await writeTree(out, OLD, { previous });
    expect(r.changed).toEqual([`${D}/ml/c.json`]);
    expect(readFileSync(join(out, `${D}/services/b.json`), "utf8")).toBe("hand edit");
    expect(readFileSync(join(out, `${D}/ml/c.json`), "utf8")).toBe('{"uid":"c"}');
    // Without it, the writer compares with the disk and puts the file back.
    expect((await writeTree(out, OLD)).changed).toEqual([`${D}/services/b.json`]);
    expectTree(out, OLD);
  });
});

describe("a writer told what it wrote last, as bytes or text that changed", () => {
  const INDEX = "grafana/provisioning/dashboards/ops/index.json";
  const withIndex = (files: OutputFile[], text: string) => [...files, { path: INDEX, content: text, bytes: Buffer.from(text, "utf8") }];

  it("takes bytes equal to what it wrote last as unchanged, and writes bytes that differ", async () => {
    const out = fresh();
    const first = withIndex(OLD, '{"entries":[1]}');
    await writeTree(out, first);
    const previous = new Map<string, string | Uint8Array>(first.map((f) => [f.path, (f as { bytes?: Uint8Array }).bytes ?? f.content]));
    // A new buffer with the same bytes: nothing to write.
    expect((await writeTree(out, withIndex(OLD, '{"entries":[1]}'), { previous })).changed).toEqual([]);
    const second = withIndex(OLD, '{"entries":[2]}');
    expect((await writeTree(out, second, { previous })).changed).toEqual([INDEX]);
    expect(readFileSync(join(out, INDEX), "utf8")).toBe('{"entries":[2]}');
  });

  it("reads a changed file whose size is not what it wrote last (edited behind its back)", async () => {
    const out = fresh();
    await writeTree(out, OLD);
    const previous = new Map<string, string | Uint8Array>(OLD.map((f) => [f.path, f.content]));
    // Already holds the new text, of another size than the last written: read, found equal, not rewritten.
    writeFileSync(join(out, `${D}/services/a.json`), '{"uid":"a","v":2}');
    const r = await writeTree(out, NEW, { previous });
    expect(r.changed).not.toContain(`${D}/services/a.json`);
    expect(r.changed).toContain(`${D}/infra/d.json`);
    expectTree(out, NEW);
  });
});

describe("a file given in parts (the Ops index)", () => {
  const INDEX = "ops/dashboards.json";
  const part = (s: string) => Buffer.from(s, "utf8");
  const a = part('{"uid":"a"},'), b = part('{"uid":"b"},'), head = part("["), tail = part("{}]\n");
  const withParts = (files: OutputFile[], parts: Buffer[]) => [...files, { path: INDEX, content: Buffer.concat(parts).toString("utf8"), parts }];

  it("is written as its parts joined, taken as unchanged when its parts hold the same bytes, and rewritten when one part changed at the same size", async () => {
    const out = fresh();
    const first = withParts(OLD, [head, a, b, tail]);
    await writeTree(out, first);
    expect(readFileSync(join(out, INDEX), "utf8")).toBe('[{"uid":"a"},{"uid":"b"},{}]\n');
    const previous = new Map([[INDEX, [head, a, b, tail]]]);
    // The same parts, or other buffers with the same bytes cut elsewhere: nothing to write.
    expect((await writeTree(out, withParts(OLD, [head, a, b, tail]), { previous })).changed).toEqual([]);
    expect((await writeTree(out, withParts(OLD, [part('[{"uid":"a"},{"uid"'), part(':"b"},{}]\n')]), { previous })).changed).toEqual([]);
    expect((await writeTree(out, withParts(OLD, [part('[{"uid":"a"},{"uid":"b"},{}]\n')]))).changed).toEqual([]);
    // One part replaced by one of the same size: written, the other parts as they were.
    const second = [head, a, part('{"uid":"c"},'), tail];
    expect((await writeTree(out, withParts(OLD, second), { previous })).changed).toEqual([INDEX]);
    expect(readFileSync(join(out, INDEX), "utf8")).toBe('[{"uid":"a"},{"uid":"c"},{}]\n');
    // Many parts (more than one writev takes at once: 1,024 on Linux).
    const many = [head, ...Array.from({ length: 3000 }, (_, i) => part(`{"n":${i}},`)), tail];
    expect((await writeTree(out, withParts(OLD, many), { previous: new Map([[INDEX, second]]) })).changed).toEqual([INDEX]);
    expect(readFileSync(join(out, INDEX)).equals(Buffer.concat(many))).toBe(true);
  });

  it("a failure after it was replaced puts back the parts it held before (taken from what was written last)", async (ctx) => {
    const out = fresh();
    const before = [head, a, b, tail];
    await writeTree(out, withParts(OLD, before));
    const locked = join(out, "prometheus/prometheus.yml");
    if (!tryRun("chattr +i", "chattr", ["+i", locked])) return ctx.skip();
    try {
      const next = withParts(OLD, [head, a, part('{"uid":"c"},'), tail]).map((f) => (f.path === "prometheus/prometheus.yml" ? { ...f, content: "changed: true\n" } : f));
      const e = await userError(() => writeTree(out, next, { previous: new Map([[INDEX, before]]) }));
      expect(e.message).toMatch(/operation not permitted/);
    } finally {
      spawnSync("chattr", ["-i", locked]);
    }
    expect(readFileSync(join(out, INDEX)).equals(Buffer.concat(before))).toBe(true);
    expectTree(out, withParts(OLD, before));
  });
});
