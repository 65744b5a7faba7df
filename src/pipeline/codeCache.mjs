// Loads the launcher's bundles (the vendor file of packages and the run bundle) with V8's code cache:
// Node 20 has no module.enableCompileCache, and compiling the bundles' functions is a large part of a
// one-dashboard build. Each bundle is compiled as a script (vm.Script) with the cache data kept beside
// it; at exit, a run that found no usable cache writes one made after running, so it holds every
// function that run compiled, not only the top level. Cache data V8 rejects (another Node, other V8
// flags) or that fails its checksum is ignored and written again. A cache made by a short run (--help
// compiles little besides the modules' top level) is made again at the exit of a run that compiled
// noticeably more (see REFRESH_FACTOR). Plain JavaScript, for the launcher.
import { isAscii } from "node:buffer";
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { isMainThread, threadId } from "node:worker_threads";
import { cachedDataVersionTag, getHeapCodeStatistics } from "node:v8";
import vm from "node:vm";
import { checksum } from "../checksum.mjs";
import { atDefaultGrowth } from "./youngGeneration.mjs";

/** What V8 accepts cache data from: this Node (its V8 and embedder) with these V8 flags and CPU features. */
const TAG = `${process.version}-${cachedDataVersionTag().toString(16)}`;
const SUFFIX = ".v8cache";

/**
 * The cache file of a bundle for this Node and these V8 flags. Bundles are named by the digest of
 * what they are made of, so the name stands for their content (V8 checks the source's length too).
 */
export function codeCachePath(file) {
  return `${file}.${TAG}${SUFFIX}`;
}

/**
 * A cache records how much bytecode the heap held when it was made (V8's code statistics, ~2 ms to
 * read); a run that holds more than this many times as much at exit compiled what the cache lacks,
 * and makes it again with that too. Functions taken from the cache count as well, so runs alike
 * leave it alone. Measured with a cache made by --help: 0.70 MB at its exit, 1.29 MB at the exit of
 * a one-dashboard build, whose own cache then stays (1.29 MB again, 1.29 MB with --no-lint, less at
 * 1,000 dashboards, where V8 has dropped the bytecode of start-up functions). V8 tells neither how
 * many functions a script compiled lazily nor how many its cache holds, and making the data to
 * compare costs ~30 ms for the vendor file.
 */
export const REFRESH_FACTOR = 1.2;

/**
 * Layout of a cache file: a CRC-32 of the rest (uint32), the bytecode the heap held when it was
 * made (float64), V8's data. V8 checks its data's version, flags and source length but, in a
 * release build, no checksum: ours catches a cut or damaged file. A CRC (zlib's, with the CPU's
 * carry-less multiply) costs ~1/20 of a SHA-256 over the ~2 MB of caches a one-dashboard build
 * reads (~50 M instructions); the files are written whole and renamed, so damage, not forgery, is
 * what it is for.
 */
export const SUM = 4;
export const HEAD = SUM + 8;

/** Scripts whose cache is written at exit: none found, rejected, or made by a much shorter run. */
const pending = [];
/** Scripts whose cache was accepted, with the bytecode held by the run that made it. */
const accepted = [];
let hooked = false;

/** What the last loads did with their cache, for tests and --debug: file → "accepted" | "rejected" | "missing". */
export const cacheUse = new Map();

/**
 * Compiles `head + source + tail` as a script named `file`; `head` ends with a newline, so the
 * bundle's own lines keep their numbers in stack traces and the source map.
 */
function compile(file, head, tail) {
  const bytes = readFileSync(file);
  // esbuild writes ASCII (its default charset): read as one-byte text, which Node makes fastest.
  const source = isAscii(bytes) ? bytes.latin1Slice() : bytes.toString("utf8");
  const cacheFile = codeCachePath(file);
  const { data: cachedData, bytecode } = readCache(cacheFile);
  const script = atDefaultGrowth(
    () =>
      new vm.Script(`${head}${source}${tail}`, {
        filename: file,
        lineOffset: -1,
        cachedData,
        // No import() callback: Node 20 loses it when the code comes from the cache, so the bundles
        // hold no import() (sources.mjs).
      }),
  );
  const use = !cachedData ? "missing" : script.cachedDataRejected ? "rejected" : "accepted";
  cacheUse.set(file, use);
  if (use !== "accepted") pending.push({ script, cacheFile });
  // Worker threads share the heap's statistics with the main thread, which alone measures runs.
  else if (isMainThread) accepted.push({ script, cacheFile, bytecode });
  hook();
  return script.runInThisContext();
}

/** The cache data in `file` and the bytecode held by the run that made it; no data when missing, short or corrupt. */
function readCache(file) {
  let bytes;
  try {
    bytes = readFileSync(file);
  } catch {
    return {};
  }
  if (bytes.length <= HEAD || checksum(bytes.subarray(SUM), LAYOUT) !== bytes.readUInt32LE(0)) return {};
  return { data: bytes.subarray(HEAD), bytecode: bytes.readDoubleLE(SUM) };
}

// Over a name of this layout too, so that a file of another layout is never taken for one (src/checksum.mjs).
const LAYOUT = "grafana-as-code code cache 3\0";

function hook() {
  if (hooked) return;
  hooked = true;
  process.on("exit", () => writeCaches({ atExit: true }));
}

// The launcher and the run bundle each hold a copy of this module, both writing caches at exit:
// the heap's code statistics (a walk of the heap, ~3 ms at one dashboard, ~10 ms at 1,000) are
// read once per exit and shared through this slot.
const AT_EXIT = Symbol.for("grafana-as-code.bytecodeAtExit");

function bytecodeHeld(atExit) {
  if (!atExit) return getHeapCodeStatistics().bytecode_and_metadata_size;
  return (globalThis[AT_EXIT] ??= getHeapCodeStatistics().bytecode_and_metadata_size);
}

/** Writes the pending caches, and those made by a run that compiled much less (atomically; a cache that cannot be written is only a slower next start). */
export function writeCaches({ atExit = false } = {}) {
  const bytecode = accepted.length || pending.length ? bytecodeHeld(atExit) : 0;
  for (const a of accepted.splice(0)) if (bytecode > a.bytecode * REFRESH_FACTOR) pending.push(a);
  for (const { script, cacheFile } of pending.splice(0)) {
    // The pid and the thread: build workers (parallel.ts) share the process and may write the same cache.
    const tmp = `${cacheFile}.${process.pid}-${threadId}.tmp`;
    try {
      const data = atDefaultGrowth(() => script.createCachedData());
      const head = Buffer.alloc(8);
      head.writeDoubleLE(bytecode);
      const body = Buffer.concat([head, data]);
      const sum = Buffer.alloc(SUM);
      sum.writeUInt32LE(checksum(body, LAYOUT));
      writeFileSync(tmp, Buffer.concat([sum, body]));
      renameSync(tmp, cacheFile);
    } catch {
      rmSync(tmp, { force: true });
    }
  }
}

/** Runs a CommonJS file (the vendor file) as Node would, and returns its exports. */
export function loadCommonJs(file) {
  const module = { exports: {}, filename: file, id: file, loaded: false };
  const run = compile(file, "(function (exports, require, module, __filename, __dirname) {\n", "\n})");
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  return module.exports;
}

/**
 * Runs a run bundle: esbuild's output as the body of an async function (sources.mjs: Node's modules
 * come through `require`, `import.meta` is a parameter), strict as the module it was made from.
 * Resolves when its top level (the whole build) has finished.
 */
export function runBundle(file) {
  const run = compile(file, `(async function (require, __gacImportMeta) {"use strict";\n`, "\n})");
  const url = pathToFileURL(file).href;
  return run(createRequire(file), { url, filename: file, dirname: dirname(file) });
}

/**
 * Cache files in `dir` to remove: those of a bundle that is gone, and those made by another Node or
 * with other V8 flags once older than `minAgeMs` (another Node may still be using its own).
 */
export function staleCodeCaches(dir, { minAgeMs, now = Date.now() }) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const present = new Set(names);
  const stale = [];
  for (const name of names) {
    if (!name.endsWith(SUFFIX)) continue;
    const m = /^(.*)\.(v\d+\.\d+\.\d+-[0-9a-f]+)\.v8cache$/.exec(name);
    if (!m || !present.has(m[1])) stale.push(name);
    else if (m[2] !== TAG) {
      try {
        if (now - statSync(join(dir, name)).mtimeMs > minAgeMs) stale.push(name);
      } catch {
        // removed meanwhile
      }
    }
  }
  return stale.sort();
}
