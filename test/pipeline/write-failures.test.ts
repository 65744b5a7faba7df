// The output tree under failures, through the real command line: a path option that names nothing,
// a tree that would be emptied, a foreign directory, a read-only mount, an immutable file, a full
// disk. Each is one message with its exit code and no stack, and the tree stays the old one, complete.
import { spawnSync } from "node:child_process";
import { appendFileSync, chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDashboards } from "../../bench/generate.js";
import { createSynced, createUnsynced } from "../../src/pipeline/syncFile.js";
import { LOCK } from "../../src/pipeline/treeState.js";
import { REPO } from "../fixtures/definitions.js";
import { build, BUILD, dirInodes, mountReadOnly, mountTmpfs, readFiles, run, tryRun, unmount, type Exited } from "../fixtures/outputTree.js";

const tmp = mkdtempSync(join(tmpdir(), "write-failures-"));
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts.reverse()) unmount(m);
  spawnSync("chattr", ["-R", "-i", tmp]);
  rmSync(tmp, { recursive: true, force: true });
});

const defs2 = generateDashboards(join(tmp, "defs2"), 2);
const defs3 = generateDashboards(join(tmp, "defs3"), 3);
/** A tree built from `defs` into `out` (exit 0 asserted). */
async function built(out: string, defs: string, ...more: string[]): Promise<Record<string, string>> {
  const r = await build(["--dashboards", defs, "--out", out, ...more]);
  expect(r.status, r.stderr).toBe(0);
  return readFiles(out);
}
/** The old tree (A) in `out`, as a copy of the reference build: its manifest makes it the build's own. */
function treeAIn(out: string) {
  cpSync(join(tmp, "ref-a"), out, { recursive: true });
}
/** The arguments that turn tree A into tree B. */
const TO_B = (out: string) => ["--dashboards", defs3, "--out", out, "--env", "prod"];
function expectOneMessage(r: Exited, code: number, message: RegExp) {
  expect(r.status, r.stdout + r.stderr).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

let treeA: Record<string, string>;
let treeB: Record<string, string>;
beforeAll(async () => {
  [treeA, treeB] = await Promise.all([built(join(tmp, "ref-a"), defs2), built(join(tmp, "ref-b"), defs3, "--env", "prod")]);
});

describe("path options that name nothing", () => {
  const out = join(tmp, "never");
  it("--dashboards naming a missing directory, a file, a directory without definitions, or a typo: exit 2 naming it, nothing written", async () => {
    const cases: [string, string][] = [
      [join(tmp, "dashbaords"), "does not exist"],
      [join(defs2, "svc-0001.ts"), "is not a directory"],
      [mkdtempSync(join(tmpdir(), "empty-defs-")), "holds no dashboard definitions"],
      ["dashbaords", "does not exist"], // relative: named as typed
    ];
    const results = await Promise.all(cases.map(([dir]) => build(["--dashboards", dir, "--out", out])));
    for (const [i, [dir, what]] of cases.entries()) {
      expectOneMessage(results[i], 2, new RegExp(`^error: --dashboards ${dir.replace(/[.]/g, "\\.")}: ${what}`));
    }
    expect(existsSync(out)).toBe(false);
  });

  it("a mistyped --dashboards does not spoil the next build (the launcher's bundle depends on the directory)", async () => {
    // A copy of the project, so that no bundle of another test exists or is removed.
    const copy = join(tmp, "project");
    for (const d of ["src", "config", "datasources", "dashboards", "alerts", "catalog", "scripts", "schemas", "docs"]) {
      cpSync(join(REPO, d), join(copy, d), { recursive: true, filter: (p) => !p.includes(".build-bundle-") });
    }
    for (const f of ["package.json", "package-lock.json", "lint-exclusions.yaml", "tsconfig.json"]) cpSync(join(REPO, f), join(copy, f));
    symlinkSync(join(REPO, "node_modules"), join(copy, "node_modules"));
    const launch = (args: string[]) => run(process.execPath, [join(copy, "scripts/launch.mjs"), ...args], { cwd: copy });
    expectOneMessage(await launch(["--dashboards", "dashbaords", "--out", join(tmp, "launched")]), 2, /--dashboards dashbaords: does not exist/);
    const r = await launch(["--out", join(tmp, "launched")]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/dashboards\s+9 /);
  });
});

describe("never shrinks the tree to nothing", () => {
  it("a build that would remove every rule file is refused; --allow-empty allows it", async () => {
    const out = join(tmp, "shrink");
    cpSync(join(REPO, "build"), out, { recursive: true }); // this repository's tree, with its rule files
    const before = readFiles(out);
    expect(Object.keys(before).some((p) => p.startsWith("prometheus/rules/"))).toBe(true);
    // definitions elsewhere come without alerts: every rule file would go
    const r = await build(["--dashboards", defs2, "--out", out]);
    expectOneMessage(r, 2, /^error: .*shrink: this build would remove every rule file of the tree \(\d+\) and write none; .*--allow-empty/);
    expect(readFiles(out)).toEqual(before);
    const ok = await build(["--dashboards", defs2, "--out", out, "--allow-empty"]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(readFiles(out)).toEqual(treeA);
  });

  it("definitions that produce no dashboard cannot empty the tree", async () => {
    const out = join(tmp, "no-dashboards");
    treeAIn(out);
    const none = mkdtempSync(join(tmpdir(), "no-dashboards-"));
    writeFileSync(join(none, "nothing.ts"), "export default [];\n");
    const r = await build(["--dashboards", none, "--out", out]);
    expectOneMessage(r, 2, /would remove every dashboard of the tree \(2\) and write none/);
    expect(readFiles(out)).toEqual(treeA);
  });
});

describe("ownership through the command line", () => {
  it('a directory whose .manifest.json is {"name":"other"} is refused, naming the file', async () => {
    const out = join(tmp, "foreign");
    mkdirSync(out);
    writeFileSync(join(out, ".manifest.json"), '{"name":"other"}');
    writeFileSync(join(out, "data.json"), "{}");
    const r = await build(["--dashboards", defs2, "--out", out]);
    expectOneMessage(r, 2, new RegExp(`^error: ${join(out, ".manifest.json")}: not a manifest of this build`));
    expect(readFiles(out)).toEqual({ ".manifest.json": '{"name":"other"}', "data.json": "{}" });
  });

  it("a file no build wrote is kept and named in a warning", async () => {
    const out = join(tmp, "with-foreign");
    treeAIn(out);
    writeFileSync(join(out, "prometheus/extra.yml"), "x: 1\n");
    const r = await build(TO_B(out));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning[foreign-file] ${join(out, "prometheus/extra.yml")}: not written by this build (not in .manifest.json); kept`);
    expect(readFiles(out)).toEqual({ ...treeB, "prometheus/extra.yml": "x: 1\n" });
  });
});

describe("a symlinked output directory", () => {
  it("is written through: the link stays, the target directory and its folders keep their identity", async () => {
    const target = join(tmp, "volume");
    const link = join(tmp, "build-link");
    treeAIn(target);
    symlinkSync(target, link);
    const inodes = dirInodes(target);
    const r = await build(TO_B(link));
    expect(r.status, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFiles(target)).toEqual(treeB);
    expect(dirInodes(target)).toEqual(inodes);
  });
});

describe("I/O failures: exit 3, one message naming the path, the old tree intact", () => {
  it("a read-only mounted folder (EROFS)", async (ctx) => {
    const out = join(tmp, "ro");
    treeAIn(out);
    if (!mountReadOnly(join(out, "prometheus"))) return ctx.skip();
    mounts.push(join(out, "prometheus"));
    const r = await build(TO_B(out));
    expectOneMessage(r, 3, new RegExp(`^error: cannot write ${join(out, "prometheus/prometheus.yml")}: read-only file system \\(EROFS\\); ${out} is unchanged`));
    expect(readFiles(out)).toEqual(treeA);
  });

  it("a read-only output directory (EROFS on the lock)", async (ctx) => {
    const out = join(tmp, "ro-root");
    treeAIn(out);
    if (!mountReadOnly(out)) return ctx.skip();
    mounts.push(out);
    const r = await build(TO_B(out));
    expectOneMessage(r, 3, new RegExp(`^error: cannot create lock file ${join(out, LOCK)}: read-only file system \\(EROFS\\)`));
    expect(readFiles(out)).toEqual(treeA);
  });

  it("an immutable file (EPERM at the rename): the files already replaced are put back", async (ctx) => {
    const out = join(tmp, "immutable");
    treeAIn(out);
    const locked = join(out, "prometheus/prometheus.yml");
    if (!tryRun("chattr +i", "chattr", ["+i", locked])) return ctx.skip();
    const r = await build(TO_B(out));
    spawnSync("chattr", ["-i", locked]);
    expectOneMessage(r, 3, new RegExp(`^error: cannot write ${locked}: operation not permitted .*\\(EPERM\\); ${out} is unchanged`));
    expect(readFiles(out)).toEqual(treeA);
  });

  it("a folder the build user may not write (EACCES)", async (ctx) => {
    const out = join(tmp, "eacces");
    treeAIn(out);
    // readable (not writable) by others, as a checkout usually is
    for (const p of [tmp, defs3, ...readdirSync(defs3).map((f) => join(defs3, f))]) chmodSync(p, 0o755);
    // as an unprivileged user the tree (owned by root, 755) cannot be written
    const probe = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, "-e", `require("fs").readFileSync(${JSON.stringify(join(REPO, "package.json"))})`]);
    if (probe.status !== 0) {
      console.warn(`SKIPPED: cannot run node as an unprivileged user here (${String(probe.stderr).trim()})`);
      return ctx.skip();
    }
    const r = await run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--", process.execPath, ...BUILD, ...TO_B(out)], {
      env: { ...process.env, HOME: tmp },
    });
    if (/EACCES: permission denied, (open|mkdir|scandir) '(?!.*eacces)/.test(r.stderr)) {
      console.warn(`SKIPPED: the project itself is not readable by an unprivileged user here:\n${r.stderr.slice(0, 400)}`);
      return ctx.skip();
    }
    expectOneMessage(r, 3, new RegExp(`^error: cannot create lock file ${join(out, LOCK)}: permission denied \\(EACCES\\)`));
    expect(readFiles(out)).toEqual(treeA);
  });

  describe("a full disk (ENOSPC, a 1 MiB tmpfs)", () => {
    const fs = join(tmp, "small-fs");
    const out = join(fs, "out");
    let mounted = false;
    beforeAll(() => {
      mounted = mountTmpfs(fs, "1m");
      if (mounted) mounts.push(fs);
    });
    /** Fills the file system in 4 KiB files, then frees `keepKiB`. */
    function fill(keepKiB: number) {
      mkdirSync(join(fs, "filler"), { recursive: true });
      for (let i = 0; ; i++) {
        try {
          appendFileSync(join(fs, "filler", String(i)), Buffer.alloc(4096, 1));
        } catch {
          break;
        }
      }
      const files = readdirSync(join(fs, "filler")).sort((a, b) => Number(b) - Number(a));
      for (const f of files.slice(0, keepKiB / 4 + 1)) rmSync(join(fs, "filler", f));
    }

    it("in the middle of the new files: the old tree stays, no partial file, no litter", async (ctx) => {
      if (!mounted) return ctx.skip();
      treeAIn(out);
      fill(16);
      const r = await build(TO_B(out));
      expectOneMessage(r, 3, new RegExp(`^error: cannot write ${out}/\\S+: no space left on device \\(ENOSPC\\); ${out} is unchanged`));
      expect(readFiles(out)).toEqual(treeA);
      rmSync(join(fs, "filler"), { recursive: true });
    });

    it("in the middle of the files a build without the cache stages as it emits them: the same", async (ctx) => {
      if (!mounted) return ctx.skip();
      rmSync(out, { recursive: true, force: true });
      treeAIn(out);
      fill(16);
      const r = await build([...TO_B(out), "--no-cache"]);
      expectOneMessage(r, 3, new RegExp(`^error: cannot write ${out}/\\S+: no space left on device \\(ENOSPC\\); ${out} is unchanged`));
      expect(readFiles(out)).toEqual(treeA);
      rmSync(join(fs, "filler"), { recursive: true });
    });

    it("a write the disk can only take part of fails and leaves no file (no silently short file)", (ctx) => {
      if (!mounted) return ctx.skip();
      fill(8);
      const big = join(fs, "big.json");
      expect(() => createSynced(big, "x".repeat(64 * 1024))).toThrow(/ENOSPC/);
      expect(existsSync(big)).toBe(false);
      rmSync(join(fs, "filler"), { recursive: true });
    });

    it("the same for content in parts, flushed or not (the Ops index)", (ctx) => {
      if (!mounted) return ctx.skip();
      fill(8);
      const big = join(fs, "big-parts.json");
      const parts = Array.from({ length: 64 }, () => Buffer.alloc(1024, 120));
      expect(() => createSynced(big, parts)).toThrow(/ENOSPC/);
      expect(existsSync(big)).toBe(false);
      expect(() => createUnsynced(big, parts)).toThrow(/ENOSPC/);
      expect(existsSync(big)).toBe(false);
      rmSync(join(fs, "filler"), { recursive: true });
    });

    it("before the lock can be written: the old tree stays and no lock is left behind", async (ctx) => {
      if (!mounted) return ctx.skip();
      rmSync(out, { recursive: true, force: true });
      treeAIn(out);
      fill(0);
      const r = await build(TO_B(out));
      expectOneMessage(r, 3, /no space left on device \(ENOSPC\)/);
      expect(r.stderr).toContain(out);
      expect(readFiles(out)).toEqual(treeA);
      rmSync(join(fs, "filler"), { recursive: true });
      // with space again, the build completes
      expect(await built(out, defs3, "--env", "prod")).toEqual(treeB);
    });
  });
});

it("the output directory and every folder keep their inode across a rebuild through the command line", async () => {
  const out = join(tmp, "identity");
  treeAIn(out);
  const inodes = dirInodes(out);
  expect(await built(out, defs3, "--env", "prod")).toEqual(treeB);
  expect(dirInodes(out)).toEqual(inodes);
});
