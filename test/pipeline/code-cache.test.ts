// V8's code cache for the launcher's bundles (src/pipeline/codeCache.mjs): a script compiled with the
// cache kept beside it runs as it would without; a cache that is missing, corrupt or made for other
// source is ignored and written again at exit; a cache made by a short run is made again by a run
// that did noticeably more, and left alone by runs alike; bundles' caches are pruned with them.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { BUNDLE_DIR, bundlePath, pruneBundles, sidecarPath, sourcesDigest } from "../../src/pipeline/bundleCache.mjs";
import { HEAD, REFRESH_FACTOR, SUM, codeCachePath, staleCodeCaches } from "../../src/pipeline/codeCache.mjs";
import { runCli } from "../fixtures/command.js";
import { REPO, definitionsDir, validDashboard } from "../fixtures/definitions.js";

const tmp = mkdtempSync(join(tmpdir(), "code-cache-"));
const planted: string[] = [];
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  for (const f of planted) rmSync(f, { recursive: true, force: true });
});

const CODE_CACHE = pathToFileURL(join(REPO, "src/pipeline/codeCache.mjs")).href;

/** Runs `body` (an ES module with codeCache.mjs's exports in scope) in a Node process of its own; its stdout parsed as JSON. */
function inNode(body: string): unknown {
  const script = join(tmp, `run-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(script, `import { cacheUse, loadCommonJs, runBundle } from ${JSON.stringify(CODE_CACHE)};\n${body}\n`);
  const r = spawnSync(process.execPath, [script], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe("a CommonJS file through the code cache", () => {
  const dir = join(tmp, "cjs");
  mkdirSync(dir);
  const file = join(dir, "vendor-x.cjs");
  writeFileSync(file, `const { join } = require("node:path");\nmodule.exports = { twice: (n) => n * 2, here: join(__dirname, "x"), strict: (function () { return this === undefined; })() };\n`);
  const load = () =>
    inNode(`const m = loadCommonJs(${JSON.stringify(file)}); console.log(JSON.stringify({ use: cacheUse.get(${JSON.stringify(file)}), twice: m.twice(21), here: m.here, strict: m.strict }));`) as { use: string; twice: number; here: string; strict: boolean };
  const expected = { twice: 42, here: join(dir, "x"), strict: false };

  it("is compiled without a cache the first time, which is written at exit; the next run accepts it and gives the same exports", () => {
    expect(load()).toEqual({ use: "missing", ...expected });
    expect(existsSync(codeCachePath(file)), "the cache beside the file").toBe(true);
    expect(codeCachePath(file)).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\.${process.version.replace(/\./g, "\\.")}-[0-9a-f]+\\.v8cache$`));
    expect(load()).toEqual({ use: "accepted", ...expected });
  });

  it("a corrupt cache is ignored (same exports) and written again", () => {
    const cache = codeCachePath(file);
    const bytes = readFileSync(cache);
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(cache, bytes);
    expect(load()).toEqual({ use: "missing", ...expected });
    expect(load()).toEqual({ use: "accepted", ...expected });
    writeFileSync(cache, "short");
    expect(load()).toEqual({ use: "missing", ...expected });
  });

  it("a cache with a sound checksum that V8 rejects (made for other source) is written again", () => {
    const other = join(dir, "other.cjs");
    writeFileSync(other, "module.exports = { other: true, longer: 'so that the lengths differ' };\n");
    inNode(`loadCommonJs(${JSON.stringify(other)}); console.log("{}");`);
    writeFileSync(codeCachePath(file), readFileSync(codeCachePath(other)));
    expect(load()).toEqual({ use: "rejected", ...expected });
    expect(load()).toEqual({ use: "accepted", ...expected });
  });
});

describe("a cache made by a short run", () => {
  const dir = join(tmp, "refresh");
  mkdirSync(dir);
  const file = join(dir, "vendor-r.cjs");
  // `all` calls 300 functions that V8 compiles only when called (lazily), ~1 MB of bytecode.
  const body = Array.from({ length: 200 }, (_, i) => `x = (x * ${i + 3} + ${i}) % 1000003;`).join(" ");
  writeFileSync(
    file,
    [...Array.from({ length: 300 }, (_, f) => `function f${f}(x) { ${body} return x + ${f}; }`), `exports.all = () => [${Array.from({ length: 300 }, (_, f) => `f${f}(1)`).join(", ")}].length;`, ``].join("\n"),
  );
  const cache = codeCachePath(file);
  /** Loads the file (and calls `all` when asked); what it did with the cache, and the cache's bytecode stamp and V8 data length after the run. */
  const load = (call: boolean) => {
    const use = inNode(`const m = loadCommonJs(${JSON.stringify(file)}); if (${call}) m.all(); console.log(JSON.stringify(cacheUse.get(${JSON.stringify(file)})));`);
    const bytes = readFileSync(cache);
    return { use, bytecode: bytes.readDoubleLE(SUM), dataLength: bytes.length - HEAD, bytes };
  };

  it("is made again, with what it lacked, by a run that compiled much more, and left alone by runs alike or shorter", () => {
    const short = load(false);
    expect(short.use).toBe("missing");
    const long = load(true);
    expect(long.use).toBe("accepted");
    expect(long.bytecode, "the longer run's bytecode").toBeGreaterThan(short.bytecode * REFRESH_FACTOR);
    expect(long.dataLength, "the 300 functions compiled into the cache").toBeGreaterThan(short.dataLength + 100_000);
    // A run alike, and a shorter one, accept it and leave it as it is.
    const again = load(true);
    expect(again.use).toBe("accepted");
    expect(again.bytes.equals(long.bytes)).toBe(true);
    const shorter = load(false);
    expect(shorter.use).toBe("accepted");
    expect(shorter.bytes.equals(long.bytes)).toBe(true);
  });
});

describe("a run bundle through the code cache", () => {
  const dir = join(tmp, "run");
  mkdirSync(dir);
  const bundle = join(dir, "0123456789abcdef.js");
  // As sources.mjs makes it: Node's modules through require, import.meta a parameter, top-level await.
  writeFileSync(
    bundle,
    [
      `var import_node_path = require("node:path");`,
      `const waited = await Promise.resolve("awaited");`,
      `globalThis.runResult = { waited, url: __gacImportMeta.url, dirname: __gacImportMeta.dirname, base: (0, import_node_path.basename)(__gacImportMeta.filename), strict: (function () { return this === undefined; })() };`,
      `globalThis.runResult.stack = (() => { try { throw new Error("line 5"); } catch (e) { return e.stack.split("\\n")[1]; } })();`,
      ``,
    ].join("\n"),
  );
  const run = () => inNode(`await runBundle(${JSON.stringify(bundle)}); console.log(JSON.stringify({ use: cacheUse.get(${JSON.stringify(bundle)}), ...globalThis.runResult }));`) as Record<string, unknown>;

  it("runs as the body of a strict async function: top-level await, require, import.meta, its own line numbers", () => {
    const expected = { waited: "awaited", url: pathToFileURL(bundle).href, dirname: dir, base: "0123456789abcdef.js", strict: true };
    const first = run();
    expect(first).toMatchObject({ use: "missing", ...expected });
    // The frame names the bundle at the line the throw is on (the source map's positions hold).
    expect(first.stack).toMatch(new RegExp(`${bundle.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:4:\\d+\\)?$`));
    expect(run()).toMatchObject({ use: "accepted", ...expected, stack: first.stack });
  });
});

describe("pruning code caches", () => {
  it("removes the cache of a removed bundle, and another Node's cache once it is old", () => {
    const dir = join(tmp, "prune");
    mkdirSync(dir);
    const now = Date.now();
    const HOUR = 60 * 60 * 1000;
    const make = (name: string, ageMs: number) => {
      writeFileSync(join(dir, name), "");
      const t = new Date(now - ageMs);
      utimesSync(join(dir, name), t, t);
    };
    const ours = (f: string) => codeCachePath(join(dir, f)).slice(dir.length + 1);
    make("new.js", HOUR);
    make(ours("new.js"), HOUR);
    make("old.js", 3 * HOUR);
    make(ours("old.js"), 3 * HOUR);
    make("vendor-a.cjs", HOUR);
    make(ours("vendor-a.cjs"), HOUR);
    make("vendor-a.cjs.v18.0.0-1234abcd.v8cache", 2 * HOUR); // another Node's, old
    make("new.js.v18.0.0-1234abcd.v8cache", 1000); // another Node's, young: that Node may be running
    make(ours("gone.js"), 1000); // its bundle is gone
    expect(staleCodeCaches(dir, { minAgeMs: 60_000, now })).toEqual([ours("gone.js"), "vendor-a.cjs.v18.0.0-1234abcd.v8cache"].sort());
    expect(pruneBundles(dir, { keep: 1, minAgeMs: 60_000, now })).toEqual(["old.js"]);
    expect(readdirSync(dir).sort()).toEqual(["new.js", ours("new.js"), "new.js.v18.0.0-1234abcd.v8cache", "vendor-a.cjs", ours("vendor-a.cjs")].sort());
  });
});

describe("npm run build with the code cache", () => {
  it("reads the heap's code statistics once at exit, though the launcher and the run bundle each hold this module", () => {
    const preload = join(tmp, "count-statistics.cjs");
    writeFileSync(
      preload,
      `const v8 = require("node:v8");
const original = v8.getHeapCodeStatistics;
v8.getHeapCodeStatistics = function () { process.stderr.write("code statistics read\\n"); return original.apply(this, arguments); };
require("node:module").syncBuiltinESMExports();
`,
    );
    const dir = definitionsDir({ "a.ts": validDashboard("a") });
    const r = spawnSync(
      process.execPath,
      [
        "--require",
        preload,
        "scripts/launch.mjs",
        "--dashboards",
        dir,
        "--out",
        join(tmp, "statistics-out"),
        "--no-cache",
      ],
      { cwd: REPO, encoding: "utf8" },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.split("\n").filter((l) => l === "code statistics read")).toHaveLength(1);
  });

  it("builds the same tree with the caches made, used, and corrupt (then made again)", async () => {
    const defs = definitionsDir({ "one.ts": validDashboard("code-cache-one") });
    planted.push(defs);
    const out = (name: string) => join(tmp, `build-${name}`, "build");
    const build = async (name: string, cache = "--no-cache") => {
      const r = await runCli("build", ["--dashboards", defs, "--out", out(name), cache]);
      expect(r.status, r.stderr).toBe(0);
      return readdirSync(out(name), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => [join(e.parentPath, e.name).slice(out(name).length), readFileSync(join(e.parentPath, e.name), "utf8")])
        .sort();
    };
    const first = await build("first");
    // The bundle the build ran (named by its sources) and its vendor file, both with their caches.
    const bundles = [basename(bundlePath(sourcesDigest(REPO, defs)))];
    // (The vendor's files, through its index: each loaded at first use, and all used by a build that builds.)
    const indexes = bundles.map((f) => (JSON.parse(readFileSync(join(BUNDLE_DIR, f.replace(/\.js$/, ".vendor.json")), "utf8")) as { file: string }).file);
    const vendors = indexes.flatMap((f) => (JSON.parse(readFileSync(join(BUNDLE_DIR, f), "utf8")) as { groups: string[] }).groups);
    expect(vendors.length).toBeGreaterThan(1);
    for (const f of [...bundles, ...vendors]) expect(existsSync(codeCachePath(join(BUNDLE_DIR, f))), `${f}: its cache`).toBe(true);
    expect(await build("warm")).toEqual(first);
    // Without its import graph the build cache's keys are computed with esbuild, which the bundle
    // reaches through require (Node 20 loses a cached script's import() callback).
    rmSync(sidecarPath(join(BUNDLE_DIR, bundles[0]), "meta.json"));
    expect(await build("no-graph", "--cache")).toEqual(first);
    for (const f of [...bundles, ...vendors]) writeFileSync(codeCachePath(join(BUNDLE_DIR, f)), "corrupt");
    expect(await build("corrupt")).toEqual(first);
    for (const f of [...bundles, ...vendors]) expect(readFileSync(codeCachePath(join(BUNDLE_DIR, f))).length, `${f}: made again`).toBeGreaterThan(1000);
  });
});
