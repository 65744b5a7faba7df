// Where `npm run build`'s launcher keeps its bundle (node_modules/.cache, never src/), how the project
// root is found from wherever a module runs, and builds started at once not removing each other's
// bundle.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeFailure } from "../../src/cli/report.mjs";
import { BUNDLE_DIR, claimBundle, KEEP_RECENT, MIN_AGE_MS, pruneBundles, writeBundle } from "../../src/pipeline/bundleCache.mjs";
import { bundleDefinitions } from "../../src/pipeline/sources.mjs";
import { bundleRun, bundleVendor, vendorGroupPath, vendorPath } from "../../src/pipeline/vendor.mjs";
import { findRepoRoot, REPO_ROOT } from "../../src/repoRoot.mjs";
import { runCli } from "../fixtures/command.js";
import { REPO, definitionsDir, validDashboard } from "../fixtures/definitions.js";

const tmp = mkdtempSync(join(tmpdir(), "launcher-cache-"));
const planted: string[] = [];
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  for (const f of planted) rmSync(f, { recursive: true, force: true });
});

const HOUR = 60 * 60 * 1000;

function touch(file: string, ageMs: number, now = Date.now()): void {
  const t = new Date(now - ageMs);
  utimesSync(file, t, t);
}

describe("the project root", () => {
  it("is the folder of this project's package.json, from the sources and from the bundle cache", () => {
    expect(REPO_ROOT).toBe(REPO);
    expect(findRepoRoot(join(REPO, "src/pipeline"))).toBe(REPO);
    expect(findRepoRoot(join(REPO, "node_modules/.cache/grafana-as-code/bundles"))).toBe(REPO);
  });

  it("skips other packages' package.json, and ones that are not JSON, on the way up", () => {
    const root = join(tmp, "project");
    const dep = join(root, "node_modules/some-dep/lib");
    mkdirSync(dep, { recursive: true });
    writeFileSync(join(root, "package.json"), JSON.stringify({ name: "grafana-as-code" }));
    writeFileSync(join(root, "node_modules/some-dep/package.json"), JSON.stringify({ name: "some-dep" }));
    writeFileSync(join(root, "node_modules/package.json"), "{ not json");
    expect(findRepoRoot(dep)).toBe(root);
  });

  it("not found: one message naming where the search started, exit code 3", () => {
    const start = join(tmp, "elsewhere/deep");
    mkdirSync(start, { recursive: true });
    writeFileSync(join(tmp, "elsewhere/package.json"), JSON.stringify({ name: "another-project" }));
    let error: unknown;
    try {
      findRepoRoot(start);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      name: "UserError",
      exitCode: 3,
      message: `no package.json named "grafana-as-code" in ${start} or any folder above it`,
    });
  });
});

describe("pruning old bundles", () => {
  it("removes only bundles both beyond the most recent and older than the minimum age, and stale temporary files", () => {
    const dir = join(tmp, "bundles");
    mkdirSync(dir);
    const now = Date.now();
    const make = (name: string, ageMs: number) => {
      writeFileSync(join(dir, name), "");
      touch(join(dir, name), ageMs, now);
    };
    // Ages in hours: a0 newest … a7 oldest, all past the minimum age.
    for (let i = 0; i < 8; i++) make(`a${i}.js`, (i + 1) * HOUR);
    make("young-but-old-rank.js", 0); // just written by another build: never removed
    make("dead.js.123.tmp", 2 * HOUR);
    make("writing.js.456.tmp", 1000);
    const removed = pruneBundles(dir, { keep: 5, minAgeMs: 10 * 60 * 1000, now });
    // The young one takes a place among the 5 most recent, so a4…a7 go.
    expect(removed).toEqual(["a4.js", "a5.js", "a6.js", "a7.js", "dead.js.123.tmp"]);
    expect(readdirSync(dir).sort()).toEqual(["a0.js", "a1.js", "a2.js", "a3.js", "writing.js.456.tmp", "young-but-old-rank.js"]);
  });

  it("removes a bundle's import graph and source map with it, and only those of removed bundles", () => {
    const dir = join(tmp, "sidecars");
    mkdirSync(dir);
    const now = Date.now();
    for (const [digest, age] of [["old", 2 * HOUR], ["new", HOUR]] as const) {
      for (const suffix of [".js", ".meta.json", ".map"]) {
        writeFileSync(join(dir, `${digest}${suffix}`), "");
        touch(join(dir, `${digest}${suffix}`), age, now);
      }
    }
    expect(pruneBundles(dir, { keep: 1, minAgeMs: 60_000, now })).toEqual(["old.js"]);
    expect(readdirSync(dir).sort()).toEqual(["new.js", "new.map", "new.meta.json"]);
  });

  it("ranks vendors by their index and removes a vendor's files with it, and files whose index is gone once old", () => {
    const dir = join(tmp, "vendors");
    mkdirSync(dir);
    const now = Date.now();
    const make = (name: string, ageMs: number) => {
      writeFileSync(join(dir, name), "");
      touch(join(dir, name), ageMs, now);
    };
    for (const [digest, age] of [["00000000000000aa", 3 * HOUR], ["00000000000000bb", HOUR]] as const) {
      make(`vendor-${digest}.json`, age);
      for (const n of [0, 1, 2]) make(`vendor-${digest}.${n}.cjs`, age);
    }
    make("vendor-00000000000000cc.0.cjs", 2 * HOUR); // its index gone
    make("vendor-00000000000000dd.0.cjs", 1000); // being written: its index comes last
    make("vendor-0000000000000001.cjs", 5 * HOUR); // an earlier launcher's vendor file, ranked apart
    expect(pruneBundles(dir, { keep: 1, minAgeMs: 60_000, now })).toEqual(["vendor-00000000000000aa.json"]);
    expect(readdirSync(dir).sort()).toEqual([
      "vendor-0000000000000001.cjs",
      "vendor-00000000000000bb.0.cjs",
      "vendor-00000000000000bb.1.cjs",
      "vendor-00000000000000bb.2.cjs",
      "vendor-00000000000000bb.json",
      "vendor-00000000000000dd.0.cjs",
    ]);
  });

  it("keeps a bundle younger than the minimum age even beyond the most recent", () => {
    const dir = join(tmp, "young");
    mkdirSync(dir);
    const now = Date.now();
    for (let i = 0; i < 4; i++) {
      writeFileSync(join(dir, `b${i}.js`), "");
      touch(join(dir, `b${i}.js`), i * 1000, now);
    }
    expect(pruneBundles(dir, { keep: 1, minAgeMs: 60_000, now })).toEqual([]);
    expect(readdirSync(dir)).toHaveLength(4);
  });

  it("a missing cache folder is nothing to prune", () => {
    expect(pruneBundles(join(tmp, "never-made"))).toEqual([]);
  });
});

describe("writing and claiming a bundle", () => {
  it("a failed check leaves neither the bundle nor its temporary file; a passing one is renamed into place", async () => {
    const dir = join(tmp, "write");
    const bundle = join(dir, "abc.js");
    let tmpName = "";
    const failed = await writeBundle(bundle, async (t) => {
      tmpName = t;
      writeFileSync(t, "half");
      return false;
    });
    expect(failed).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect(tmpName).toBe(`${bundle}.${process.pid}.tmp`);
    expect(claimBundle(bundle), "no bundle to claim").toBe(false);
    expect(await writeBundle(bundle, async (t) => (writeFileSync(t, "export {};\n"), true))).toBe(true);
    expect(readdirSync(dir)).toEqual(["abc.js"]);
    touch(bundle, 2 * HOUR);
    expect(claimBundle(bundle)).toBe(true);
    expect(Date.now() - statSync(bundle).mtimeMs, "claiming marks it as just used").toBeLessThan(60_000);
  });

  it("a cache folder that is a file: one line naming the path, exit code 3", () => {
    const notDir = join(tmp, "not-a-dir");
    writeFileSync(notDir, "");
    let error: unknown;
    try {
      claimBundle(join(notDir, "abc.js"));
    } catch (e) {
      error = e;
    }
    expect(describeFailure(error)).toEqual({ text: `${notDir}/abc.js: not a directory (ENOTDIR, utime)`, exitCode: 3 });
  });
});

/** What git reports under src/, ignored files included; null when this is not a git checkout. */
function srcStatus(): string | null {
  try {
    return execFileSync("git", ["status", "--porcelain", "--ignored", "src"], { cwd: REPO, encoding: "utf8" });
  } catch {
    return null;
  }
}

interface VendorIndex {
  groups: string[];
  specifiers: Record<string, { group: number; esModule?: boolean; names: Record<string, number>; hidden: string[]; eager?: true }>;
}

/** A vendor's index (src/pipeline/vendor.mjs): its files and what each specifier exports. */
const vendorIndex = (file: string) => JSON.parse(readFileSync(join(BUNDLE_DIR, file), "utf8")) as VendorIndex;

/** Bundles in the cache modified at or after `since` (a launch marks the one it runs). */
const bundlesSince = (since: number) => readdirSync(BUNDLE_DIR).filter((f) => f.endsWith(".js") && statSync(join(BUNDLE_DIR, f)).mtimeMs >= since);

describe("npm run build's launcher", () => {
  const before = srcStatus();
  if (before === null) console.warn("launcher-cache: not a git checkout; the `git status --ignored src` checks are skipped");

  it.each([
    ["default", [] as string[]],
    ["--dashboards DIR", ["--dashboards", "DEFS"]],
  ])("%s: nothing new under src/, the bundle under node_modules/.cache", async (_, args) => {
    // A bundle an earlier launcher left in the source tree is removed.
    const legacy = join(REPO, "src/pipeline/.build-bundle-0000000000000000.mjs");
    writeFileSync(legacy, "");
    planted.push(legacy);
    const defs = definitionsDir({ "one.ts": validDashboard("cache-one") });
    planted.push(defs);
    const since = Date.now() - 1000;
    const r = await runCli("build", [...args.map((a) => (a === "DEFS" ? defs : a)), "--out", join(tmp, `out-${args.length}`, "build")]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(legacy)).toBe(false);
    expect(bundlesSince(since).length).toBeGreaterThanOrEqual(1);
    for (const b of bundlesSince(since)) {
      const bytes = readFileSync(join(BUNDLE_DIR, b));
      // ASCII alone (Node decodes it into a one-byte string, several times faster than UTF-8 with any other byte).
      expect(bytes.findIndex((x) => x > 0x7f), `${b}: first byte beyond ASCII`).toBe(-1);
      // Its packages in its vendor file (its import graph beside it): none is loaded from node_modules but esbuild (--watch only).
      const graph = JSON.parse(readFileSync(join(BUNDLE_DIR, b.replace(/\.js$/, ".meta.json")), "utf8")) as { inputs: Record<string, { imports: { path: string; external?: boolean }[] }> };
      const external = new Set(Object.values(graph.inputs).flatMap((i) => i.imports.filter((x) => x.external && !isBuiltin(x.path)).map((x) => x.path)));
      // (esbuild lists an import TypeScript elides, unused or type-only, as external too, and its own
      // helpers as "<runtime>": only packages count here.)
      expect([...external].filter((p) => !p.startsWith(".") && !p.startsWith("/") && !p.startsWith("<")).sort(), b).toEqual(["esbuild"]);
      expect(Object.keys(graph.inputs).some((p) => p.includes("node_modules/")), "no package file in the sources bundle").toBe(false);
      const vendor = JSON.parse(readFileSync(join(BUNDLE_DIR, b.replace(/\.js$/, ".vendor.json")), "utf8")) as { file: string; specifiers: string[] };
      expect(vendor.specifiers, "the SDK comes from the vendor").toContain("@grafana/grafana-foundation-sdk/dashboard");
      for (const file of vendorIndex(vendor.file).groups) {
        const vendorBytes = readFileSync(join(BUNDLE_DIR, file));
        expect(vendorBytes.findIndex((x) => x > 0x7f), `${file}: first byte beyond ASCII`).toBe(-1);
      }
      expect(existsSync(join(BUNDLE_DIR, b.replace(/\.js$/, ".map"))), "its source map beside it").toBe(true);
    }
    // Nothing new under src/: the same status as before the launch (edits being made count on both sides).
    if (before !== null) expect(srcStatus()).toBe(before);
  });

  it("two builds of different definitions started at once both succeed, and neither removes a bundle in use", async () => {
    // A bundle another build has just written and is about to import.
    const inUse = join(BUNDLE_DIR, "00000000inuse000.js");
    mkdirSync(BUNDLE_DIR, { recursive: true });
    writeFileSync(inUse, "");
    planted.push(inUse);
    // Bundles long unused, more than are kept.
    const stale = Array.from({ length: KEEP_RECENT + 1 }, (_, i) => join(BUNDLE_DIR, `00000000stale00${i}.js`));
    for (const f of stale) {
      writeFileSync(f, "");
      touch(f, 2 * MIN_AGE_MS);
      planted.push(f);
    }
    const a = definitionsDir({ "a.ts": validDashboard("race-a") });
    const b = definitionsDir({ "b.ts": validDashboard("race-b") });
    planted.push(a, b);
    const [ra, rb] = await Promise.all([
      runCli("build", ["--dashboards", a, "--out", join(tmp, "race-a", "build")]),
      runCli("build", ["--dashboards", b, "--out", join(tmp, "race-b", "build")]),
    ]);
    expect(ra.status, ra.stderr).toBe(0);
    expect(rb.status, rb.stderr).toBe(0);
    expect(existsSync(join(tmp, "race-a/build/grafana/provisioning/dashboards/services/race-a.json"))).toBe(true);
    expect(existsSync(join(tmp, "race-b/build/grafana/provisioning/dashboards/services/race-b.json"))).toBe(true);
    expect(existsSync(inUse), "a bundle younger than the minimum age is kept").toBe(true);
    // Beyond the most recent, only bundles younger than the minimum age remain.
    const now = Date.now();
    const byAge = readdirSync(BUNDLE_DIR)
      .filter((f) => f.endsWith(".js"))
      .map((f) => statSync(join(BUNDLE_DIR, f)).mtimeMs)
      .sort((x, y) => y - x);
    expect(byAge.slice(KEEP_RECENT).filter((m) => now - m > MIN_AGE_MS)).toEqual([]);
    expect(stale.filter(existsSync).length).toBeLessThan(stale.length);
  });
});

describe("the vendor file of a run bundle's packages", () => {
  const vendorOf = (bundle: string) => JSON.parse(readFileSync(join(BUNDLE_DIR, bundle.replace(/\.js$/, ".vendor.json")), "utf8")) as { file: string; specifiers: string[] };
  const newestBundle = () =>
    readdirSync(BUNDLE_DIR)
      .filter((f) => f.endsWith(".js"))
      .sort((x, y) => statSync(join(BUNDLE_DIR, y)).mtimeMs - statSync(join(BUNDLE_DIR, x)).mtimeMs)[0];

  it("an edit re-bundles the sources, not the vendor file; a vendor file removed meanwhile is made again", async () => {
    const defs = definitionsDir({ "one.ts": validDashboard("vendor-one") });
    planted.push(defs);
    const out = (name: string) => join(tmp, `vendor-${name}`, "build");
    const first = await runCli("build", ["--dashboards", defs, "--out", out("a")]);
    expect(first.status, first.stderr).toBe(0);
    const bundleA = newestBundle();
    const vendorA = vendorOf(bundleA);
    const inode = statSync(join(BUNDLE_DIR, vendorA.file)).ino;

    writeFileSync(join(defs, "one.ts"), readFileSync(join(defs, "one.ts"), "utf8").replace('title: "T vendor-one"', 'title: "T vendor-one edited"'));
    const second = await runCli("build", ["--dashboards", defs, "--out", out("a")]);
    expect(second.status, second.stderr).toBe(0);
    const bundleB = newestBundle();
    expect(bundleB, "another sources bundle").not.toBe(bundleA);
    expect(vendorOf(bundleB)).toEqual(vendorA);
    expect(statSync(join(BUNDLE_DIR, vendorA.file)).ino, "the vendor file was not written again").toBe(inode);
    expect(readFileSync(join(out("a"), "grafana/provisioning/dashboards/services/vendor-one.json"), "utf8")).toContain('"T vendor-one edited"');

    rmSync(join(BUNDLE_DIR, vendorA.file));
    const third = await runCli("build", ["--dashboards", defs, "--out", out("b")]);
    expect(third.status, third.stderr).toBe(0);
    expect(existsSync(join(BUNDLE_DIR, vendorA.file)), "made again from the bundle's record").toBe(true);
    expect(readFileSync(join(out("b"), "grafana/provisioning/dashboards/services/vendor-one.json"), "utf8")).toBe(readFileSync(join(out("a"), "grafana/provisioning/dashboards/services/vendor-one.json"), "utf8"));

    // One of its files removed (the index left): made again before the run starts, not found missing halfway.
    const group = vendorIndex(vendorA.file).groups[0];
    rmSync(join(BUNDLE_DIR, group));
    const fourth = await runCli("build", ["--dashboards", defs, "--out", out("c"), "--no-cache"]);
    expect(fourth.status, fourth.stderr).toBe(0);
    expect(existsSync(join(BUNDLE_DIR, group)), "made again").toBe(true);
    expect(readFileSync(join(out("c"), "grafana/provisioning/dashboards/services/vendor-one.json"), "utf8")).toBe(readFileSync(join(out("a"), "grafana/provisioning/dashboards/services/vendor-one.json"), "utf8"));
  });

  it("is named by the lock file, esbuild's version and the set of specifiers (not their order)", () => {
    const root = (lock: string) => {
      const dir = mkdtempSync(join(tmp, "lock-"));
      writeFileSync(join(dir, "package-lock.json"), lock);
      return dir;
    };
    const [one, same, other] = [root('{"v":1}'), root('{"v":1}'), root('{"v":2}')];
    const name = (r: string, specs: string[], version = "0.28.2") => vendorPath(r, "/cache", new Set(specs), version);
    expect(name(one, ["zod", "yaml"])).toBe(name(same, ["yaml", "zod"]));
    expect(name(one, ["zod", "yaml"])).toMatch(/^\/cache\/vendor-[0-9a-f]{16}\.json$/);
    expect(name(other, ["zod", "yaml"]), "another lock file").not.toBe(name(one, ["zod", "yaml"]));
    expect(name(one, ["zod", "yaml"], "0.28.3"), "another esbuild").not.toBe(name(one, ["zod", "yaml"]));
    expect(name(one, ["zod"]), "another set of packages").not.toBe(name(one, ["zod", "yaml"]));
  });

  it("when the vendor file cannot be made, the run bundle holds the packages, as without one", async () => {
    const defs = definitionsDir({ "one.ts": validDashboard("vendor-fallback") });
    planted.push(defs);
    const notDir = join(tmp, "vendor-not-a-dir");
    writeFileSync(notDir, "");
    mkdirSync(join(tmp, "fallback"));
    const outfile = join(tmp, "fallback", "run.js");
    const r = await bundleRun(bundleDefinitions, { root: REPO, dashboardsDir: defs, outfile, bundle: join(notDir, "run.js") });
    expect(r.problems).toEqual([]);
    expect(Object.keys(r.metafile!.inputs).some((p) => p.includes("node_modules/@grafana/grafana-foundation-sdk/")), "the SDK is in the bundle").toBe(true);
    expect(Object.keys(r.metafile!.inputs).filter((p) => p.startsWith("vendor:")), "no package read from a vendor file").toEqual([]);
    expect(existsSync(outfile)).toBe(true);
  });

  it("holds one instance of each package module, whichever specifier or path reaches it; packages sharing none apart", async () => {
    const index = join(tmp, "identity", "vendor-0123456789abcdef.json");
    const sdkFile = join(REPO, "node_modules/@grafana/grafana-foundation-sdk/dist/timeseries/index.js");
    const specs = ["@grafana/grafana-foundation-sdk/timeseries", sdkFile, "@prometheus-io/lezer-promql", "@grafana/lezer-logql", "@grafana/lezer-traceql", "zod"];
    await bundleVendor(REPO, new Set(specs), index);
    const record = JSON.parse(readFileSync(index, "utf8")) as VendorIndex;
    // Three files: the SDK (a path and a specifier of one module), the parsers (which share @lezer/lr), zod.
    expect(record.groups).toEqual([0, 1, 2].map((n) => basename(vendorGroupPath(index, n))));
    const groupOf = (spec: string) => record.specifiers[spec].group;
    expect(groupOf(sdkFile)).toBe(groupOf("@grafana/grafana-foundation-sdk/timeseries"));
    expect(new Set(["@prometheus-io/lezer-promql", "@grafana/lezer-logql", "@grafana/lezer-traceql"].map(groupOf)).size).toBe(1);
    expect(new Set([sdkFile, "@prometheus-io/lezer-promql", "zod"].map(groupOf)).size).toBe(3);
    const load = (spec: string) => (createRequire(import.meta.url)(join(tmp, "identity", record.groups[groupOf(spec)])) as Record<string, Record<string, unknown>>)[spec];
    expect(load(sdkFile), "a path and a specifier of one file: one module").toBe(load("@grafana/grafana-foundation-sdk/timeseries"));
    expect(typeof (load(sdkFile) as { PanelBuilder?: unknown }).PanelBuilder).toBe("function");
    // The three parsers are instances of one LRParser class: @lezer/lr is in the vendor once.
    const proto = (spec: string) => Object.getPrototypeOf((load(spec) as { parser: object }).parser);
    expect(proto("@grafana/lezer-logql")).toBe(proto("@prometheus-io/lezer-promql"));
    expect(proto("@grafana/lezer-traceql")).toBe(proto("@prometheus-io/lezer-promql"));
    // What each package exports, recorded for the run bundle before the package is loaded.
    expect(record.specifiers.zod).toMatchObject({ esModule: true, hidden: [] });
    expect(Object.keys(record.specifiers.zod.names)).toEqual(Object.keys(load("zod")));
    expect(Object.keys(record.specifiers["@grafana/lezer-logql"].names)).toContain("parser");
    // Resolved as Node's require() resolves it: tslib's CommonJS file, once, not its ES module
    // turned back into an object at each of the SDK's requires of it.
    const text = readFileSync(join(tmp, "identity", record.groups[groupOf(sdkFile)]), "utf8");
    expect(text).toContain('"node_modules/tslib/tslib.js"');
    expect(text).not.toContain("tslib.es6");
  });
});

describe("Node's modules in a run bundle", () => {
  it("are read through named, default and namespace imports; a module that is a function stays one", async () => {
    const dir = mkdtempSync(join(tmp, "node-modules-"));
    const entry = join(dir, "entry.ts");
    writeFileSync(
      entry,
      [
        `import { readFileSync } from "node:fs";`,
        `import path from "node:path";`,
        `import * as os from "node:os";`,
        `import EventEmitter from "node:events";`,
        `class Bus extends EventEmitter {}`,
        `const bus = new Bus(); let heard = ""; bus.on("x", (v: string) => (heard = v)); bus.emit("x", "heard");`,
        `const me = readFileSync(${JSON.stringify(entry)}, "utf8").slice(0, 6);`,
        `process.stdout.write(JSON.stringify({ me, joined: path.join("a", "b"), eol: os.EOL, heard, emitter: bus instanceof EventEmitter }));`,
      ].join("\n"),
    );
    const outfile = join(dir, "run.js");
    const r = await bundleDefinitions({ root: REPO, dashboardsDir: dir, outfile, entry });
    expect(r.problems).toEqual([]);
    const run = `import { runBundle } from ${JSON.stringify(join(REPO, "src/pipeline/codeCache.mjs"))}; await runBundle(${JSON.stringify(outfile)});`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", run], { encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ me: "import", joined: join("a", "b"), eol: "\n", heard: "heard", emitter: true });
  });
});
