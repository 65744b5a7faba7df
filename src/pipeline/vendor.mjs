// The packages a run bundle imports (Foundation SDK, zod, yaml, lezer parsers), bundled once into a
// vendor of their own under node_modules/.cache, apart from the project's sources: an edit to a
// definition then re-bundles only the project's files (a few hundred milliseconds less of esbuild
// per edit than with the packages inside), while a run still loads the packages as a few files
// instead of a few hundred modules. Keyed by package-lock.json, esbuild's version and the package
// specifiers the sources import. Plain JavaScript, for the launcher.
//
// The sources bundle sees each package as a CommonJS module whose exports are the vendor's value
// for its specifier (esbuild's usual interop, as for a CommonJS package bundled in place). Packages
// that share a module are in one CommonJS file, so every specifier shares one instance of each
// package module; each file is loaded at the first read of one of its packages' exports.
import { createHash } from "node:crypto";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { claimBundle, sidecarPath, writeBundle } from "./bundleCache.mjs";
import { loadCommonJs } from "./codeCache.mjs";

/** Where the run bundle looks up its packages (set before the bundle is imported). */
export const VENDOR_GLOBAL = "grafana-as-code.vendor";

/** Packages that stay imports of node_modules even so: esbuild (a native binary, --watch only). */
const KEPT_EXTERNAL = new Set(["esbuild"]);

/**
 * A filter matching imports of the project's own packages (package.json) and their subpaths. Each
 * import a plugin's filter matches is a round trip between esbuild and Node, so Node's modules
 * (several hundred imports) must not match. A package the project does not list is bundled in
 * place, and its own imports of listed packages still come from the vendor.
 */
function packagesFilter(root) {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((n) => !KEPT_EXTERNAL.has(n)).sort();
  const escape = (n) => n.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(`^(?:${names.map(escape).join("|")})(?:/|$)`);
}

/**
 * An esbuild plugin for the sources bundle: each package import becomes a small module reading the
 * vendor's value, and is recorded in `specifiers`. A bare specifier is kept as written; an import
 * of a file under node_modules by its path (definitions may import the SDK so) is recorded as the
 * file it resolves to, which the vendor bundles as the same module as the bare specifiers reaching
 * it, so both share one instance.
 */
export function vendorPlugin(specifiers, root) {
  return {
    name: "grafana-as-code-vendor",
    setup(build) {
      const shim = (path) => (specifiers.add(path), { path, namespace: "vendor" });
      build.onResolve({ filter: packagesFilter(root) }, (args) => shim(args.path));
      build.onResolve({ filter: /node_modules/ }, async (args) => {
        if (args.pluginData === "vendor" || args.namespace === "vendor") return undefined;
        const r = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: "vendor" });
        return r.errors.length || !r.path.includes("/node_modules/") ? undefined : shim(r.path);
      });
      build.onLoad({ filter: /.*/, namespace: "vendor" }, (args) => ({
        contents: `module.exports = globalThis[Symbol.for(${JSON.stringify(VENDOR_GLOBAL)})][${JSON.stringify(args.path)}];`,
        loader: "js",
      }));
    },
  };
}

/** How bundleVendor lays out a vendor: part of its name, so that a change to it makes another vendor. */
const VENDOR_FORMAT = "4";

/**
 * The index of the vendor for these specifiers, in `dir`: its name digests the lock file,
 * esbuild's version, the vendor's format and the specifiers. The index names the vendor's files
 * (vendorGroupPath) and what each specifier exports (see bundleVendor).
 */
export function vendorPath(root, dir, specifiers, esbuildVersion) {
  const hash = createHash("sha256");
  hash.update(`${esbuildVersion}\0${VENDOR_FORMAT}\0`).update(readFileSync(join(root, "package-lock.json")));
  for (const s of [...specifiers].sort()) hash.update(`\0${s}`);
  return join(dir, `vendor-${hash.digest("hex").slice(0, 16)}.json`);
}

/** The file of a vendor's group `n` (pruned with its index, bundleCache.mjs). */
export function vendorGroupPath(index, n) {
  return index.replace(/\.json$/, `.${n}.cjs`);
}

/** esbuild's options for a vendor file (CommonJS, one module instance per package module). */
function vendorOptions(root, contents) {
  return {
    stdin: { contents, resolveDir: root, sourcefile: "vendor-entry.cjs", loader: "js" },
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    external: [...KEPT_EXTERNAL],
    // Packages resolved as Node's require() would (no "module" condition, which esbuild adds by
    // default): tslib's "module" entry is an ES module, which a CommonJS bundle turns back into
    // an object by copying its ~40 exports, once per require() of it: 275 times for the
    // Foundation SDK's modules, a fifth of the vendor's load time.
    conditions: [],
    // As the run bundle: ASCII alone, no comments (see sources.mjs).
    minifyWhitespace: true,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  };
}

const entryOf = (list) => `module.exports = {${list.map((s) => `${JSON.stringify(s)}: require(${JSON.stringify(s)})`).join(", ")}};`;

/**
 * Writes the vendor of `specifiers` (atomically, its index last); throws esbuild's error when it
 * does not bundle. The specifiers are split into groups that share no package module (the
 * Foundation SDK's subpaths are one group, the three lezer parsers another, as they share
 * @lezer/lr), each group one file loaded on first use (loadVendor): a build whose dashboards come
 * from the build cache then neither compiles nor runs the SDK or the parsers. The index records,
 * per specifier, its group and the names it exports (read here by loading each group once), so
 * that the run bundle can be handed an object with those names before the group is loaded.
 */
export async function bundleVendor(root, specifiers, index) {
  const { build } = await import("esbuild");
  const list = [...specifiers].sort();
  const graph = (await build({ ...vendorOptions(root, entryOf(list)), outfile: join(root, "vendor-entry.js"), metafile: true })).metafile;
  const groups = vendorGroups(graph, list);
  const record = { groups: [], specifiers: {} };
  for (const [n, group] of groups.entries()) {
    const file = vendorGroupPath(index, n);
    await writeBundle(file, async (tmp) => {
      const result = await build({ ...vendorOptions(root, entryOf(group)), outfile: tmp });
      writeFileSync(tmp, result.outputFiles[0].contents);
      return true;
    });
    record.groups.push(basename(file));
    const require = createRequire(file);
    const exports = require(file);
    delete require.cache[file];
    for (const s of group) record.specifiers[s] = { group: n, ...exportsShape(exports[s]) };
  }
  await writeBundle(index, async (tmp) => {
    writeFileSync(tmp, JSON.stringify(record));
    return true;
  });
}

/**
 * The specifiers in groups that share no bundled file: each specifier's entry (the vendor entry's
 * require of it, in esbuild's metafile) and every file it reaches, joined with any other
 * specifier reaching one of them. Groups in the order of their first specifier (sorted).
 */
function vendorGroups(metafile, specifiers) {
  const entry = metafile.inputs["vendor-entry.cjs"];
  const reached = new Map(); // file → index of the first specifier reaching it
  const parent = specifiers.map((_, i) => i);
  const find = (i) => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (const [i, spec] of specifiers.entries()) {
    const start = entry.imports.find((x) => x.original === spec)?.path;
    const stack = start ? [start] : [];
    const seen = new Set();
    while (stack.length) {
      const file = stack.pop();
      if (seen.has(file)) continue;
      seen.add(file);
      const first = reached.get(file);
      if (first === undefined) reached.set(file, i);
      else parent[find(i)] = find(first);
      for (const x of metafile.inputs[file]?.imports ?? []) if (!x.external) stack.push(x.path);
    }
  }
  const groups = new Map();
  for (const [i, spec] of specifiers.entries()) {
    const root = find(i);
    if (!groups.has(root)) groups.set(root, []);
    groups.get(root).push(spec);
  }
  return [...groups.values()];
}

/**
 * What the run bundle needs to know of a package's exports before loading it: their names (own
 * properties, as esbuild's interop copies them), as the keys of an object that JSON.parse makes
 * again at no cost per name (the non-enumerable ones apart, in a list), and whether it marks
 * itself an ES module. A value that is not a plain object (a function, say) is loaded with the
 * vendor instead ("eager").
 */
function exportsShape(value) {
  if (value === null || typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return { eager: true };
  const names = Object.create(null); // "__proto__" is a name like any other
  const hidden = [];
  for (const name of Object.getOwnPropertyNames(value)) {
    if (name === "__esModule") continue;
    if (Object.getOwnPropertyDescriptor(value, name).enumerable) names[name] = 0;
    else hidden.push(name);
  }
  return { esModule: Boolean(value.__esModule), names, hidden };
}

/**
 * Makes the packages of a run bundle available before it is imported: reads which vendor the
 * bundle needs (its "vendor" sidecar; none for a bundle that holds its packages), builds it when
 * its index or a file of it is missing (pruned, or another lock file), and publishes, per
 * specifier, an object with the names its package exports whose first read loads the package's
 * group (for a package that is not a plain object, the package itself, loaded now).
 */
export async function loadVendor(root, bundle) {
  let record;
  try {
    record = JSON.parse(readFileSync(sidecarPath(bundle, "vendor.json"), "utf8"));
  } catch (e) {
    if (e?.code === "ENOENT") return; // a bundle with its packages inside
    throw e;
  }
  const index = join(dirname(bundle), record.file);
  let vendor = readIndex(index, record.specifiers);
  if (!vendor) {
    await bundleVendor(root, record.specifiers, index);
    vendor = readIndex(index, record.specifiers);
    if (!vendor) throw new Error(`${index}: the vendor index just written does not read back`);
  }
  globalThis[Symbol.for(VENDOR_GLOBAL)] = lazyVendor(dirname(index), vendor);
}

/**
 * The vendor's index, its files marked in use; undefined when it or one of its files is missing,
 * or it does not hold every specifier (made again then).
 */
function readIndex(index, specifiers) {
  let vendor;
  try {
    if (!claimBundle(index)) return undefined;
    vendor = JSON.parse(readFileSync(index, "utf8"));
  } catch {
    return undefined;
  }
  if (!Array.isArray(vendor?.groups) || typeof vendor.specifiers !== "object" || !specifiers.every((s) => Object.hasOwn(vendor.specifiers, s))) return undefined;
  // Marked now: a group is read later, at first use, and must not be pruned before.
  for (const name of vendor.groups) if (!claimBundle(join(dirname(index), name))) return undefined;
  return vendor;
}

const loadedSpecifiers = [];

/** The specifiers whose packages this process has loaded from a vendor (for --debug and tests), sorted. */
export function loadedPackages() {
  return [...loadedSpecifiers].sort();
}

/**
 * The vendor's value: per specifier (made at its first read), its package's exports, read through
 * its group's file at first use. A warm build reads few specifiers (the run bundle's modules that
 * import the others are initialised only with the definitions, see importDefinition.ts).
 */
function lazyVendor(dir, vendor) {
  const loaded = [];
  const load = (n) => {
    if (loaded[n]) return loaded[n];
    for (const [spec, shape] of Object.entries(vendor.specifiers)) if (shape.group === n) loadedSpecifiers.push(spec);
    return (loaded[n] = loadCommonJs(join(dir, vendor.groups[n]))); // through V8's code cache (codeCache.mjs)
  };
  const out = {};
  for (const [spec, shape] of Object.entries(vendor.specifiers)) {
    const made = () => (shape.eager ? load(shape.group)[spec] : lazyExports(shape, () => load(shape.group)[spec]));
    Object.defineProperty(out, spec, { get: () => Object.defineProperty(out, spec, { value: made(), enumerable: true })[spec], enumerable: true, configurable: true });
  }
  return out;
}

/**
 * A package's exports before they are loaded: a proxy whose target has the names `shape` records
 * as its own properties (the object JSON.parse made of the index), and whose reads load the
 * package (`exports()`), but for `__esModule`, which esbuild's interop reads when a module imports
 * it. Only reads are trapped: esbuild's interop lists the names and their enumerability from the
 * target itself, with no call into JavaScript per name (a trap per name cost ~15 M instructions
 * in a one-dashboard build, defining a getter per name about as much).
 */
function lazyExports(shape, exports) {
  const target = shape.names;
  for (const name of shape.hidden) Object.defineProperty(target, name, { value: undefined, writable: true, enumerable: false, configurable: true });
  if (shape.esModule) Object.defineProperty(target, "__esModule", { value: true, writable: true, enumerable: false, configurable: true });
  let real;
  return new Proxy(target, { get: (_, key) => (key === "__esModule" ? (shape.esModule ? true : undefined) : (real ??= exports())[key]) });
}

/**
 * Bundles a run (bundleDefinitions with `outfile`) with its packages in a vendor beside it,
 * recorded in the bundle's "vendor" sidecar; when the vendor cannot be made, bundles the
 * packages inside the run bundle instead, as without a vendor.
 */
export async function bundleRun(bundleDefinitions, { root, bundle, ...options }) {
  const specifiers = new Set();
  const result = await bundleDefinitions({ root, ...options, vendor: specifiers });
  if (result.problems.length) return result;
  try {
    const { version } = await import("esbuild");
    const file = vendorPath(root, join(bundle, ".."), specifiers, version);
    if (!readIndex(file, [...specifiers])) await bundleVendor(root, specifiers, file);
    writeSidecarFile(sidecarPath(bundle, "vendor.json"), JSON.stringify({ file: basename(file), specifiers: [...specifiers].sort() }));
    return result;
  } catch {
    // Packages that do not bundle as CommonJS, or a vendor file that cannot be written: the run
    // bundle holds the packages, as it did before (a cache folder that is unusable is reported by
    // the caller's own writes, with their usual message).
    try {
      rmSync(sidecarPath(bundle, "vendor.json"), { force: true });
    } catch {
      // nothing to remove where nothing can be written
    }
    return bundleDefinitions({ root, ...options, vendor: false });
  }
}

function writeSidecarFile(file, text) {
  writeFileSync(`${file}.${process.pid}.tmp`, text);
  renameSync(`${file}.${process.pid}.tmp`, file);
}
