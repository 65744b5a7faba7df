// The packages a run bundle imports (Foundation SDK, zod, yaml, lezer parsers), bundled once into a
// vendor file of their own under node_modules/.cache, apart from the project's sources: an edit to a
// definition then re-bundles only the project's files (a few hundred milliseconds less of esbuild
// per edit than with the packages inside), while a run still loads the packages as one file
// instead of a few hundred modules. Keyed by package-lock.json, esbuild's version and the package
// specifiers the sources import. Plain JavaScript, for the launcher.
//
// The sources bundle sees each package as a CommonJS module whose exports are the vendor's value
// for its specifier (esbuild's usual interop, as for a CommonJS package bundled in place). The
// vendor is one CommonJS file, so every specifier shares one instance of each package module.
import { createHash } from "node:crypto";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
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

/** How bundleVendor lays out a vendor file: part of its name, so that a change to it makes another file. */
const VENDOR_FORMAT = "2";

/**
 * The vendor file for these specifiers, in `dir`: its name digests the lock file, esbuild's
 * version, the vendor's format and the specifiers.
 */
export function vendorPath(root, dir, specifiers, esbuildVersion) {
  const hash = createHash("sha256");
  hash.update(`${esbuildVersion}\0${VENDOR_FORMAT}\0`).update(readFileSync(join(root, "package-lock.json")));
  for (const s of [...specifiers].sort()) hash.update(`\0${s}`);
  return join(dir, `vendor-${hash.digest("hex").slice(0, 16)}.cjs`);
}

/** Writes the vendor file of `specifiers` (atomically); throws esbuild's error when it does not bundle. */
export async function bundleVendor(root, specifiers, outfile) {
  const { build } = await import("esbuild");
  const list = [...specifiers].sort();
  const contents = `module.exports = {${list.map((s) => `${JSON.stringify(s)}: require(${JSON.stringify(s)})`).join(", ")}};`;
  await writeBundle(outfile, async (tmp) => {
    const result = await build({
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
      outfile: tmp,
      write: false,
      logLevel: "silent",
    });
    writeFileSync(tmp, result.outputFiles[0].contents);
    return true;
  });
}

/**
 * Makes the packages of a run bundle available before it is imported: reads which vendor file the
 * bundle needs (its "vendor" sidecar; none for a bundle that holds its packages), builds that file
 * when it is missing (pruned, or another lock file), loads it and publishes its value.
 */
export async function loadVendor(root, bundle) {
  let record;
  try {
    record = JSON.parse(readFileSync(sidecarPath(bundle, "vendor.json"), "utf8"));
  } catch (e) {
    if (e?.code === "ENOENT") return; // a bundle with its packages inside
    throw e;
  }
  const file = join(dirname(bundle), record.file);
  if (!claimBundle(file)) await bundleVendor(root, record.specifiers, file);
  // Through V8's code cache (codeCache.mjs): compiling the packages costs more than running them.
  globalThis[Symbol.for(VENDOR_GLOBAL)] = loadCommonJs(file);
}

/**
 * Bundles a run (bundleDefinitions with `outfile`) with its packages in a vendor file beside it,
 * recorded in the bundle's "vendor" sidecar; when the vendor file cannot be made, bundles the
 * packages inside the run bundle instead, as without a vendor file.
 */
export async function bundleRun(bundleDefinitions, { root, bundle, ...options }) {
  const specifiers = new Set();
  const result = await bundleDefinitions({ root, ...options, vendor: specifiers });
  if (result.problems.length) return result;
  try {
    const { version } = await import("esbuild");
    const file = vendorPath(root, join(bundle, ".."), specifiers, version);
    if (!claimBundle(file)) await bundleVendor(root, specifiers, file);
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
