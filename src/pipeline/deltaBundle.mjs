// A change to a few definitions among many re-bundles only those definitions (a "delta bundle"),
// not the engine and every definition again: esbuild over 1,000 definitions and V8 compiling the new
// bundle without a code cache cost more than the rest of a one-change build. The launcher keeps
// running the last full bundle made for the same definitions folder (the base, code cache intact)
// and runs the delta before it; importDefinition.ts takes a definition from the delta when it holds
// it. A definition may be taken from the base only when neither it nor anything it imports has
// changed since the base was made, so the delta holds every definition that reaches a changed file
// (through the base's import graph), each with fresh copies of the project files it imports
// (packages come from the base's vendor, one instance for both). Anything else changed (the engine,
// config, catalog, alerts, a package) makes a full bundle, as does a delta that would hold more
// than half of the definitions. Plain JavaScript, for the launcher.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { BUNDLE_DIR, bundlePath, claimBundle, sidecarPath, writeSidecar } from "./bundleCache.mjs";
import { bundleDeltaDefinitions, DELTA_ENTRY, definitionFiles, utf8Problems } from "./sources.mjs";

/** A delta holding more definitions than this share of the folder's is made a full bundle instead. */
export const MAX_DELTA_SHARE = 0.5;

/**
 * The delta bundle for sources with this digest over the full bundle `base` (a digest), beside the
 * full bundles and pruned as they are. Named by both: builds of one folder started at once may
 * see different bases, and a delta is only right over the base it was made against.
 */
export function deltaPath(digest, base, dir = BUNDLE_DIR) {
  return join(dir, `${digest}-${base}.delta.js`);
}

/** Files a delta may take changes of: those of the definitions folder and of the repository's dashboards/. */
function inArea(file, root, dashboardsDir) {
  return [dashboardsDir, join(root, "dashboards")].some((d) => file === d || file.startsWith(d + sep));
}

/**
 * The sources' digests (sourcesDigests' `files`) split into what a delta can take (the area: path →
 * digest) and one digest of everything else (with the engine's `tool` digest and the lock file's).
 */
export function splitSources(files, { root, dashboardsDir, tool, lock }) {
  const area = {};
  const engine = createHash("sha256").update(`${tool}\0${lock}\0`);
  for (const [path, digest] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (inArea(path, root, dashboardsDir)) area[path] = digest;
    else engine.update(`${path}\0${digest}\0`);
  }
  return { engine: engine.digest("hex"), area };
}

/** The pointer to the last full bundle made or run for a definitions folder (`key`: root and folder). */
function basePointer(key, dir) {
  return join(dir, "bases", `${createHash("sha256").update(key).digest("hex").slice(0, 16)}.json`);
}

/**
 * Records a full bundle as the base of later deltas for `key`: its sources' split digests beside it
 * (once; `split()` makes them), and the folder's pointer to it (when it names another).
 */
export function rememberBase(bundle, key, split, dir = BUNDLE_DIR) {
  try {
    const files = sidecarPath(bundle, "files.json");
    if (!existsSync(files)) writeSidecar(bundle, "files.json", JSON.stringify(split()));
    const pointer = basePointer(key, dir);
    const digest = bundle.slice(dir.length + 1, -".js".length);
    if (readText(pointer) === digest) return;
    mkdirSync(join(pointer, ".."), { recursive: true });
    writeFileSync(`${pointer}.${process.pid}.tmp`, digest);
    renameSync(`${pointer}.${process.pid}.tmp`, pointer);
  } catch {
    // Without a base, the next change makes a full bundle: slower, nothing worse.
  }
}

function readText(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function readJson(file) {
  const text = readText(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The base recorded for `key` (a digest), when it names one. */
function baseOf(key, dir) {
  const digest = readText(basePointer(key, dir));
  return digest && /^[0-9a-f]+$/.test(digest) ? digest : undefined;
}

/** A delta made earlier for these sources over the base recorded for `key`, both marked in use; undefined when either is gone. */
export function existingDelta(digest, key, dir = BUNDLE_DIR) {
  const baseDigest = baseOf(key, dir);
  if (!baseDigest) return undefined;
  const delta = deltaPath(digest, baseDigest, dir);
  const base = bundlePath(baseDigest, dir);
  if (!claimBundle(delta) || !claimBundle(base) || !existsSync(sidecarPath(delta, "meta.json"))) return undefined;
  return { delta, base, made: false };
}

/**
 * Makes the delta bundle for sources with `digest` against the base recorded for `key`. Returns
 * undefined when a full bundle is needed instead (no usable base, a change outside the area, too
 * many definitions to re-bundle, a package the base's vendor lacks); `{ problems }` when the
 * changed sources do not bundle (the messages of a full bundle's checks); else `{ delta, base,
 * definitions }` (the definitions it holds).
 */
export async function makeDelta({ root, dashboardsDir, digest, key, split, dir = BUNDLE_DIR }) {
  const baseDigest = baseOf(key, dir);
  if (!baseDigest || baseDigest === digest) return undefined;
  const base = bundlePath(baseDigest, dir);
  if (!claimBundle(base)) return undefined;
  const was = readJson(sidecarPath(base, "files.json"));
  const graph = readJson(sidecarPath(base, "meta.json"));
  const vendor = readJson(sidecarPath(base, "vendor.json"));
  if (was?.engine !== split.engine || typeof was.area !== "object" || !graph?.inputs || !Array.isArray(vendor?.specifiers)) return undefined;

  const changed = Object.keys(split.area).filter((f) => was.area[f] !== split.area[f]);
  const removed = Object.keys(was.area).filter((f) => !(f in split.area));
  if (!changed.length && !removed.length) return undefined;
  // Every file that reaches a changed or removed one, through the base's imports.
  const importers = new Map();
  for (const [path, input] of Object.entries(graph.inputs)) {
    for (const i of input.imports ?? []) {
      if (i.external || i.path.includes(":")) continue;
      const to = resolve(root, i.path);
      importers.set(to, [...(importers.get(to) ?? []), resolve(root, path)]);
    }
  }
  const stale = new Set([...changed, ...removed]);
  const stack = [...stale];
  while (stack.length) for (const from of importers.get(stack.pop()) ?? []) if (!stale.has(from)) stale.add(from), stack.push(from);

  const dashboards = definitionFiles(dashboardsDir);
  const definitions = [...dashboards, ...definitionFiles(join(root, "alerts"))];
  const known = new Set(definitions);
  // A stale file outside the area that is not a definition is part of the engine's bundle.
  for (const f of stale) if (!known.has(f) && !inArea(f, root, dashboardsDir) && existsSync(f)) return undefined;
  const inBase = (f) => Object.hasOwn(graph.inputs, relative(root, f));
  const fresh = definitions.filter((f) => stale.has(f) || !inBase(f));
  if (fresh.length > dashboards.length * MAX_DELTA_SHARE) return undefined;

  const utf8 = utf8Problems(changed, root);
  if (utf8.length) return { problems: utf8 };
  const delta = deltaPath(digest, baseDigest, dir);
  const specifiers = new Set();
  const tmp = `${delta}.${process.pid}.tmp`;
  const result = await bundleDeltaDefinitions({ root, definitions: fresh, outfile: tmp, vendor: specifiers });
  if (result.problems.length) return { problems: result.problems };
  const held = new Set(vendor.specifiers);
  if (![...specifiers].every((s) => held.has(s))) return undefined;
  // The graph the build cache keys entries by: the base's, with the delta's files as they are now.
  const inputs = { ...graph.inputs };
  for (const f of removed) delete inputs[relative(root, f)];
  for (const [path, input] of Object.entries(result.metafile.inputs)) if (path !== DELTA_ENTRY) inputs[path] = input;
  try {
    writeSidecar(delta, "meta.json", JSON.stringify({ inputs }));
    if (result.sourceMap) writeSidecar(delta, "map", result.sourceMap);
    // The bundle last: its presence says the sidecars are there (existingDelta).
    writeFileSync(tmp, result.code);
    renameSync(tmp, delta);
  } finally {
    rmSync(tmp, { force: true });
  }
  return { delta, base, made: true, definitions: fresh };
}
