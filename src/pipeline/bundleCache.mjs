// Where the build's launcher keeps its bundles (scripts/launch.mjs): under node_modules/.cache, never
// in the source tree, one file per digest of the sources. Several builds may run at once (another
// --dashboards folder, an edit in between), each importing its own bundle, so old bundles are removed
// only when no build can still be about to read them. Plain JavaScript, for the launcher.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CACHE_DIR, REPO_ROOT } from "../repoRoot.mjs";
import { staleCodeCaches } from "./codeCache.mjs";
import { DigestRecord, filesIn } from "./digestRecord.mjs";

export const BUNDLE_DIR = join(CACHE_DIR, "bundles");

/** A vendor's index (src/pipeline/vendor.mjs vendorPath). */
const VENDOR_INDEX = /^vendor-[0-9a-f]+\.json$/;

/** Bundles always kept, newest first, whatever their age. */
export const KEEP_RECENT = 5;
/**
 * A bundle younger than this is never removed: a build reads its own bundle while importing it and
 * again (its source map) when a definition fails to load, both well within this.
 */
export const MIN_AGE_MS = 10 * 60 * 1000;

/**
 * The bundle of sources with this digest: a script run by codeCache.mjs (runBundle), not a module,
 * hence ".js" (bundles named ".mjs" are those of earlier versions, which were imported).
 */
export function bundlePath(digest, dir = BUNDLE_DIR) {
  return join(dir, `${digest}.js`);
}

/**
 * A file kept beside a bundle and removed with it: its import graph ("meta.json": esbuild's
 * metafile, which keys the build cache) and its source map ("map", read only when a definition
 * fails to load).
 */
export function sidecarPath(bundle, kind) {
  return bundle.replace(/\.m?js$/, `.${kind}`);
}

/** Writes a bundle's sidecar file atomically (a private temporary name renamed into place). */
export function writeSidecar(bundle, kind, text) {
  const file = sidecarPath(bundle, kind);
  writeFileSync(`${file}.${process.pid}.tmp`, text);
  renameSync(`${file}.${process.pid}.tmp`, file);
}

/**
 * Marks an existing bundle as in use (its modification time is what keeps it from being pruned).
 * False when there is none, so the caller builds it.
 */
export function claimBundle(bundle) {
  const now = new Date();
  try {
    utimesSync(bundle, now, now);
    return true;
  } catch (e) {
    if (e?.code === "ENOENT") return false;
    throw e;
  }
}

/** Writes a bundle atomically: `write(tmp)` fills a private temporary name, renamed into place when it returns true. */
export async function writeBundle(bundle, write) {
  mkdirSync(join(bundle, ".."), { recursive: true });
  const tmp = `${bundle}.${process.pid}.tmp`;
  try {
    if (!(await write(tmp))) return false;
    renameSync(tmp, bundle);
    return true;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Removes bundles (and temporary files of builds that died) that are both beyond the `keep` most
 * recently used and older than `minAgeMs`. Returns the names removed, sorted.
 */
export function pruneBundles(dir = BUNDLE_DIR, { keep = KEEP_RECENT, minAgeMs = MIN_AGE_MS, now = Date.now() } = {}) {
  let entries;
  try {
    entries = readdirSync(dir).flatMap((name) => {
      try {
        return [{ name, mtime: statSync(join(dir, name)).mtimeMs }];
      } catch {
        return []; // removed meanwhile by another build
      }
    });
  } catch (e) {
    if (e?.code === "ENOENT") return [];
    throw e;
  }
  const newestFirst = (match) => entries.filter((e) => match.test(e.name)).sort((a, b) => b.mtime - a.mtime || a.name.localeCompare(b.name));
  // Vendors (src/pipeline/vendor.mjs: an index, vendor-<digest>.json, and its files,
  // vendor-<digest>.<n>.cjs) are ranked among themselves by their index: a bundle claims its own.
  // Bundles and vendor files of earlier versions (".mjs", one ".cjs") are ranked apart, so that
  // they age out.
  const temporary = entries.filter((e) => e.name.endsWith(".tmp"));
  const removable = [
    ...newestFirst(/\.js$/).slice(keep),
    ...newestFirst(/\.mjs$/).slice(keep),
    ...newestFirst(/^(?!vendor-[0-9a-f]+\.\d+\.cjs$).*\.cjs$/).slice(keep),
    ...newestFirst(VENDOR_INDEX).slice(keep),
    ...temporary,
  ].filter((e) => now - e.mtime > minAgeMs);
  for (const e of removable) rmSync(join(dir, e.name), { force: true });
  // A bundle's sidecar files (<digest>.meta.json, <digest>.map, <digest>.vendor.json, and
  // deltaBundle.mjs's <digest>.files.json) go with it,
  // and a vendor's files with its index (or once old, when their index is gone).
  const gone = new Set(removable.map((e) => e.name));
  const indexes = new Set(entries.filter((e) => VENDOR_INDEX.test(e.name)).map((e) => e.name));
  for (const e of entries) {
    const sidecar = /^(.*)\.(meta\.json|map|vendor\.json|files\.json)$/.exec(e.name);
    if (sidecar && (gone.has(`${sidecar[1]}.js`) || gone.has(`${sidecar[1]}.mjs`))) rmSync(join(dir, e.name), { force: true });
    const group = /^(vendor-[0-9a-f]+)\.\d+\.cjs$/.exec(e.name);
    if (group && (gone.has(`${group[1]}.json`) || (!indexes.has(`${group[1]}.json`) && now - e.mtime > minAgeMs))) {
      rmSync(join(dir, e.name), { force: true });
      gone.add(e.name);
    }
  }
  // And its code cache (codeCache.mjs), as do caches of another Node's once they are old.
  for (const name of staleCodeCaches(dir, { minAgeMs, now })) rmSync(join(dir, name), { force: true });
  return removable.map((e) => e.name).sort();
}

/** Bundles earlier versions of the launcher wrote into the source tree (src/pipeline/.build-bundle-*). */
export function removeLegacyBundles(root = REPO_ROOT) {
  const dir = join(root, "src/pipeline");
  for (const name of readdirSync(dir)) if (name.startsWith(".build-bundle-")) rmSync(join(dir, name), { force: true });
}

/**
 * A digest of the path and content of every file a bundle of `root`'s build with the definitions
 * of `dashboardsDir` is made of (plus `extraFiles`, e.g. another entry).
 */
export function sourcesDigest(root, dashboardsDir, extraFiles = [], digests = new DigestRecord()) {
  return sourcesDigests(root, dashboardsDir, { extraFiles, withTool: false, digests }).bundle;
}

/**
 * The same, and from the same digests the build cache's digest of the engine (src/cache/keys.ts
 * toolDigest: package.json, package-lock.json and src/ but src/presets, each file as
 * sha256(path \0 bytes \0)), so the build does not read and hash src/ a second time. `digests`
 * (src/pipeline/digestRecord.mjs) reads each file, or reuses its digest from the last run while
 * its stat is unchanged. `files` (a Map), when given, receives each walked file's digest by path.
 */
export function sourcesDigests(root, dashboardsDir, { extraFiles = [], withTool = true, digests = new DigestRecord(), files } = {}) {
  const hash = createHash("sha256");
  const presets = join(root, "src/presets");
  const toolParts = [];
  // The entry imports the definitions found there: another directory (even an empty or missing
  // one) is another bundle.
  hash.update(`${dashboardsDir}\0`);
  const walk = (d, tool) => {
    for (const [full, st] of filesIn(d)) {
      if (st.isDirectory()) walk(full, tool && full !== presets);
      else {
        const digest = digests.of(full, st);
        hash.update(digest);
        files?.set(full, digest);
        if (tool) toolParts.push(digest);
      }
    }
  };
  for (const d of ["src", "config", "datasources", "dashboards", "alerts", "catalog", "scripts"]) walk(join(root, d), withTool && d === "src");
  if (!dashboardsDir.startsWith(join(root, "dashboards"))) walk(dashboardsDir, false);
  for (const f of extraFiles) hash.update(digests.of(f));
  const lock = digests.of(join(root, "package-lock.json"));
  hash.update(lock);
  if (!withTool) return { bundle: hash.digest("hex").slice(0, 16), tool: undefined };
  const tool = createHash("sha256");
  for (const part of [digests.of(join(root, "package.json")), lock, ...toolParts]) tool.update(part).update("\0");
  return { bundle: hash.digest("hex").slice(0, 16), tool: tool.digest("hex") };
}
