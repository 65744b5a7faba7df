// Checks on the project's TypeScript sources that must run before any of them is loaded: bytes that
// are not UTF-8 (a loader would substitute U+FFFD and build on), syntax errors and unresolvable
// imports (esbuild's own messages, one located line each), and import cycles through a definition
// file (bundled, a cycle turns an initialisation error into `undefined`). Plain JavaScript, so the
// bundling launcher can use it before anything is compiled; the --watch loader path uses the same
// function, so both report the same problems.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { builtinModules } from "node:module";
import { shareInterop } from "./sharedInterop.mjs";
import { vendorPlugin } from "./vendor.mjs";

/** Directories whose sources the build loads (besides the engine in src/). */
export const SOURCE_DIRS = ["dashboards", "alerts", "config", "catalog"];

/** Definition files of `dir`: <name>.ts, or <name>/index.ts; names starting with "_" are helpers. */
export function definitionFiles(dir) {
  if (!existsSync(dir)) return [];
  const files = [];
  // Entries with their types: a stat only for a link (a thousand definitions are a thousand stats).
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const name = entry.name;
    const full = join(dir, name);
    if (entry.isSymbolicLink() ? statSync(full).isDirectory() : entry.isDirectory()) {
      const index = join(full, "index.ts");
      if (existsSync(index)) files.push(index);
    } else if (name.endsWith(".ts") && !name.endsWith(".d.ts") && !name.startsWith("_")) {
      files.push(full);
    }
  }
  return files;
}

/** Every file below the given directories but hidden ones (sorted, no duplicates): all of them are the build's input. */
export function sourceFiles(dirs) {
  const out = new Set();
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith(".") || name === "node_modules") continue;
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.add(full);
    }
  };
  for (const d of dirs) if (existsSync(d) && statSync(d).isDirectory()) walk(d);
  return [...out];
}

const fatal = new TextDecoder("utf-8", { fatal: true });

/** Offset of the first byte that is not part of valid UTF-8, or -1. */
export function invalidUtf8Offset(bytes) {
  try {
    fatal.decode(bytes);
    return -1;
  } catch {
    // Fall through to find where: the decoder does not say.
  }
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const [n, min] = b < 0x80 ? [0, 0] : b >= 0xc2 && b <= 0xdf ? [1, 0x80] : b >= 0xe0 && b <= 0xef ? [2, 0x800] : b >= 0xf0 && b <= 0xf4 ? [3, 0x10000] : [-1, 0];
    if (n < 0) return i;
    let cp = n === 0 ? b : b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points beyond U+10FFFF are not UTF-8 either.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += n + 1;
  }
  return -1;
}

/** One problem per file whose bytes are not valid UTF-8, naming the byte offset. */
export function utf8Problems(files, root) {
  const problems = [];
  for (const file of files) {
    const offset = invalidUtf8Offset(readFileSync(file));
    if (offset >= 0) {
      problems.push({ code: "invalid-utf8", file: label(file, root), message: `byte offset ${offset} is not valid UTF-8 (save the file as UTF-8)` });
    }
  }
  return problems;
}

function label(file, root) {
  const rel = relative(root, file);
  return rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}

/** esbuild's errors, one located problem each (no code frame, no notes). */
export function esbuildProblems(errors, root) {
  return errors.map((e) => {
    const loc = e.location;
    const file = loc ? `${label(resolve(root, loc.file), root)}:${loc.line}:${loc.column + 1}` : undefined;
    const code = /^Could not resolve/.test(e.text) ? "unresolved-import" : "syntax";
    return { code, file, message: e.text };
  });
}

/**
 * Import cycles that pass through a definition file, from esbuild's metafile (inputs and their
 * imports, paths relative to `root`). One problem per cycle, naming every file on it.
 */
export function cycleProblems(metafile, definitions, root) {
  const defs = new Set(definitions.map((f) => label(f, root)));
  const project = (p) => !p.includes("node_modules/") && !p.startsWith("<");
  const show = (p) => label(resolve(root, p), root);
  const edges = new Map();
  for (const [path, input] of Object.entries(metafile.inputs)) {
    if (!project(path)) continue;
    edges.set(
      show(path),
      input.imports.filter((i) => !i.external && project(i.path)).map((i) => show(i.path)),
    );
  }
  // Tarjan's strongly connected components; a component of two or more files (or a file importing
  // itself) is a cycle.
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const c = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || (edges.get(v) ?? []).includes(v)) components.push(c.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!idx.has(v)) visit(v);
  return components
    .filter((c) => c.some((f) => defs.has(f)))
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map((c) => {
      const first = c.find((f) => defs.has(f));
      return {
        code: "import-cycle",
        file: first,
        message: `import cycle between ${c.join(", ")} (a definition in a cycle is read half-initialised; move what they share into a file that imports neither)`,
      };
    });
}

/** An entry's statement publishing one loader per definition under the global symbol `key` (importDefinition.ts reads them). */
function loadersEntry(key, definitions) {
  return `globalThis[Symbol.for(${JSON.stringify(key)})] = new Map([${definitions.map((f) => `[${JSON.stringify(f)}, () => import(${JSON.stringify(f)})]`).join(", ")}]);`;
}

/**
 * esbuild's options for an entry given as text: a run bundle when there is an `outfile` (packages
 * from the vendor when `vendor` records them, a source map beside it), else only the import graph.
 */
function entryOptions({ root, contents, sourcefile, outfile, vendor }) {
  return {
    stdin: { contents, resolveDir: root, sourcefile, loader: "ts" },
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    ...(outfile ? RUN_PACKAGES : { packages: "external" }),
    ...(outfile ? { plugins: [nodeModulesPlugin, ...(vendor ? [vendorPlugin(vendor, root)] : [])] } : {}),
    metafile: true,
    // Maps a definition's load error back to its file and line (see importDefinition.ts). Kept
    // apart from the bundle: inline, it doubled the text Node reads and scans on every start.
    sourcemap: outfile ? "external" : false,
    sourcesContent: false,
    outfile: outfile ?? join(root, "launch-entry.mjs"),
    write: false,
    logLevel: "silent",
  };
}

/**
 * Checks the sources and bundles the definitions with the engine (`entry`, default
 * `scripts/build.ts`; the benchmark's floor bundles its own entry the same way). Returns
 * `{ problems }` when a check fails; otherwise `{ problems: [], metafile }`, after writing `outfile`
 * (when given) and with its source map's text as `sourceMap` (kept beside the bundle by the caller).
 * Definitions are imported lazily from the bundle (see importDefinition.ts), so one that throws
 * while loading fails alone, with its own file named. `incremental` (an object kept by the caller
 * between calls, without `outfile`: --watch) keeps esbuild's context, which re-reads only the
 * files that changed; close it with disposeIncremental().
 *
 * A bundle that is run (`outfile`) holds the packages too: loaded one by one, the Foundation SDK's
 * few hundred CommonJS modules (resolved, read, scanned for their exports, compiled) and those of
 * zod, yaml and the lezer parsers cost more than everything else a one-dashboard build does. A
 * check alone (no `outfile`) leaves them out, which is faster and finds the same problems in the
 * project's files. With `vendor` (a Set) they are left out of a run bundle too, read at run time
 * from a vendor file (src/pipeline/vendor.mjs), and their specifiers are added to the set.
 */
export async function bundleDefinitions({ root, dashboardsDir, outfile, entry: main = join(root, "scripts/build.ts"), incremental, vendor }) {
  const sourceDirs = [...SOURCE_DIRS.map((d) => join(root, d)), dashboardsDir];
  const utf8 = utf8Problems(sourceFiles(sourceDirs), root);
  if (utf8.length) return { problems: utf8 };
  const definitions = [...definitionFiles(dashboardsDir), ...definitionFiles(join(root, "alerts"))];
  const entry = [loadersEntry("grafana-as-code.preloadedDefinitions", definitions), `await import(${JSON.stringify(main)});`].join("\n");
  const { build, context } = await import("esbuild");
  let result;
  try {
    const options = entryOptions({ root, contents: entry, sourcefile: "launch-entry.ts", outfile, vendor });
    if (incremental && !outfile) {
      // Another list of definitions is another entry: a new context.
      if (incremental.entry !== entry) {
        await disposeIncremental(incremental);
        incremental.ctx = await context(options);
        incremental.entry = entry;
      }
      result = await incremental.ctx.rebuild();
    } else result = await build(options);
  } catch (e) {
    if (Array.isArray(e?.errors) && e.errors.length) return { problems: esbuildProblems(e.errors, root) };
    throw e;
  }
  const problems = cycleProblems(result.metafile, definitions, root);
  if (problems.length || !outfile) return { problems, metafile: result.metafile };
  const output = (path) => result.outputFiles.find((f) => f.path === path);
  writeFileSync(outfile, shareInterop(output(resolve(root, outfile)).text)); // one namespace per imported module (sharedInterop.mjs)
  return { problems, metafile: result.metafile, sourceMap: output(`${resolve(root, outfile)}.map`)?.text };
}

/** Where a delta bundle (src/pipeline/deltaBundle.mjs) hands over the loaders of the definitions it holds. */
export const DELTA_DEFINITIONS = "grafana-as-code.deltaDefinitions";

/**
 * Bundles `definitions` alone (absolute paths) into `outfile`, as a run bundle's definitions are
 * bundled (its packages from the vendor, recorded in `vendor`), with the project files they import:
 * run before a base bundle, it publishes a loader per definition (importDefinition.ts takes them
 * first). Returns `{ problems }` as bundleDefinitions does (syntax, unresolved imports, cycles
 * through the definitions), else the metafile and the source map's text.
 */
export async function bundleDeltaDefinitions({ root, definitions, outfile, vendor }) {
  const { build } = await import("esbuild");
  let result;
  try {
    result = await build(entryOptions({ root, contents: loadersEntry(DELTA_DEFINITIONS, definitions), sourcefile: DELTA_ENTRY, outfile, vendor }));
  } catch (e) {
    if (Array.isArray(e?.errors) && e.errors.length) return { problems: esbuildProblems(e.errors, root) };
    throw e;
  }
  const problems = cycleProblems(result.metafile, definitions, root);
  if (problems.length) return { problems };
  const output = (path) => result.outputFiles.find((f) => f.path === path);
  // One namespace per imported module, as in a full bundle (sharedInterop.mjs).
  return { problems, metafile: result.metafile, code: shareInterop(output(resolve(root, outfile)).text), sourceMap: output(`${resolve(root, outfile)}.map`)?.text };
}

/** The name of a delta bundle's generated entry in its metafile (left out when graphs are merged). */
export const DELTA_ENTRY = "delta-entry.ts";

/**
 * How a bundle that is run takes in the packages: all bundled but esbuild (a native binary, loaded
 * only by --watch). ajv (loaded on demand with createRequire, see src/validate/schemas.ts) stays a
 * package on disk, as the compiled validators need its runtime.
 *
 * The bundle is run as the body of an async function (codeCache.mjs runBundle), so that V8 can keep
 * its compiled code between runs, which Node 20 does not do for ES modules: it holds no import
 * statement and no import() (Node's modules and esbuild come through `require`, a parameter, see
 * nodeModulesPlugin) and reads `import.meta` from a parameter; top-level await stays legal in the
 * function. (A definition is never imported by its path there: the bundle holds them all.)
 */
const RUN_PACKAGES = {
  external: ["esbuild"],
  // Without comments (some in packages are not ASCII): Node reads a bundle of ASCII alone into a
  // one-byte string several times faster, and V8 scans it faster. Stack positions go through the
  // source map. Licence comments stay out too: this bundle is a local cache, never distributed.
  minifyWhitespace: true,
  legalComments: "none",
  define: { "import.meta": "__gacImportMeta" },
  // import() becomes require() too (esbuild, CommonJS, is the only package left outside): Node 20
  // drops a script's dynamic-import callback when its code comes from the cache.
  supported: { "dynamic-import": false },
};

/** Node's own modules, with and without "node:" (only those: each match is a round trip to esbuild). */
const NODE_MODULES = new RegExp(`^(?:node:.*|${builtinModules.map((m) => m.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|")})$`);

/**
 * Imports of Node's modules in a run bundle become require() calls (a CommonJS module whose
 * exports are Node's module, as esbuild does for a CommonJS package), not import statements.
 * A module that is an object is handed over as an object inheriting from it: esbuild's interop
 * (__toESM) gives each importing file its own copy of the exports' own properties, a getter each,
 * which made ~5,400 getters at every start (34 files import node:fs's 104 names); inherited,
 * they are read through the prototype instead, and nothing is copied. Imports only read them.
 */
const nodeModulesPlugin = {
  name: "grafana-as-code-node-modules",
  setup(build) {
    build.onResolve({ filter: NODE_MODULES }, (args) => (args.namespace === "node-module" ? { path: args.path, external: true } : { path: args.path, namespace: "node-module" }));
    build.onLoad({ filter: /.*/, namespace: "node-module" }, (args) => ({
      contents: `var m = require(${JSON.stringify(args.path)}); module.exports = m !== null && typeof m === "object" ? Object.create(m) : m;`,
      loader: "js",
    }));
  },
};

/** Releases the esbuild context bundleDefinitions keeps in `incremental`. */
export async function disposeIncremental(incremental) {
  const ctx = incremental.ctx;
  incremental.ctx = undefined;
  incremental.entry = undefined;
  await ctx?.dispose();
}
