// What a cached dashboard depends on, as digests. A definition file's key covers its own source and
// every project file it imports, transitively (from esbuild's metafile of the build's bundle), the
// tool (package version, lock file, the engine's sources) and whatever the caller adds (config,
// panel-id lock). src/presets/ is left out of the tool's digest: definitions import presets, so a
// preset change reaches exactly the dashboards that use it through their imports.
import { readdirSync, statSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { digest, DigestMemo, FileDigests } from "./hash.js";

/** The part of an esbuild metafile the cache reads. */
export interface ImportGraph {
  inputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
}

const TRACKED_BY_IMPORTS = ["src/presets"];

const FROM_LAUNCHER = Symbol.for("grafana-as-code.toolDigest");

/**
 * Digest of the engine: package.json, package-lock.json and src/ (but presets). Under the launcher
 * (scripts/launch.mjs) it is the one computed from the sources the running bundle was made of, read
 * once for both: the code that makes an entry, even when src/ changes while it runs.
 */
export function toolDigest(root: string, files: FileDigests): string {
  return launcherToolDigest(root) ?? toolDigestOfFiles(root, files);
}

/** The engine's digest the launcher computed for `root`, when this process runs its bundle. */
export function launcherToolDigest(root: string): string | undefined {
  const given = (globalThis as Record<symbol, unknown>)[FROM_LAUNCHER] as { root?: unknown; digest?: unknown } | undefined;
  return given && given.root === root && typeof given.digest === "string" ? given.digest : undefined;
}

const DIGESTS_FROM_LAUNCHER = Symbol.for("grafana-as-code.sourceDigests");

/**
 * The digests, by absolute path, of the source files the launcher digested for `root`'s running
 * bundle (src/pipeline/bundleCache.mjs sourcesDigests: sha256(path \0 bytes \0), as FileDigests
 * makes them), so that keying the definitions does not read and hash those files again. A copy:
 * the caller's FileDigests adds to it.
 */
export function launcherFileDigests(root: string): Map<string, string> | undefined {
  const given = (globalThis as Record<symbol, unknown>)[DIGESTS_FROM_LAUNCHER] as { root?: unknown; digests?: unknown } | undefined;
  return given && given.root === root && given.digests instanceof Map ? new Map(given.digests as Map<string, string>) : undefined;
}

/** The same, read from the files as they are now. */
export function toolDigestOfFiles(root: string, files: FileDigests): string {
  const parts: string[] = [files.of(join(root, "package.json")), files.of(join(root, "package-lock.json"))];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith(".")) continue;
      const full = join(dir, name);
      if (TRACKED_BY_IMPORTS.some((t) => full === join(root, t))) continue;
      if (statSync(full).isDirectory()) walk(full);
      else parts.push(files.of(full));
    }
  };
  walk(join(root, "src"));
  return digest(...parts);
}

const resolvedImports = new WeakMap<object, { root: string; path: string; from: string; to: string[] }>();

/**
 * resolve(root, path) for a metafile's paths, each worked out once (a file is imported from many):
 * esbuild writes them relative to its working folder, normalised, with "/", so one below `root`
 * is only joined to it; anything else (a folder elsewhere: "../") goes through resolve().
 */
export function metafilePaths(root: string): (path: string) => string {
  const known = new Map<string, string>();
  const plain = sep === "/" && root.startsWith("/") && !root.endsWith("/");
  return (path) => {
    let abs = known.get(path);
    if (abs === undefined) {
      abs = plain && isNormalBelow(path) ? `${root}/${path}` : resolve(root, path);
      known.set(path, abs);
    }
    return abs;
  };
}

/** A relative path with no empty, "." or ".." segment. */
const isNormalBelow = (p: string) => p !== "" && !p.startsWith("/") && !p.endsWith("/") && !p.split("/").some((s) => s === "" || s === "." || s === "..");

const isProjectFile = (p: string) => !p.includes("node_modules/") && !p.startsWith("<") && !p.includes(":");

/**
 * For each definition file (absolute), a digest of the project files it imports, transitively,
 * itself included. What a shared module reaches is digested once, however many definitions import
 * it (a full walk from that module, so import cycles need no special care). A file the graph does
 * not know digests as itself alone. `memo` (--watch) answers a file whose parts are unchanged.
 */
export function closureDigests(graph: ImportGraph, root: string, definitionFiles: string[], files: FileDigests, memo?: DigestMemo): Map<string, string> {
  const edges = new Map<string, string[]>();
  const absolute = metafilePaths(root);
  for (const [path, input] of Object.entries(graph.inputs)) {
    if (!isProjectFile(path)) continue;
    // --watch hands over a graph whose unchanged entries are the same objects: resolved once.
    let held = resolvedImports.get(input);
    if (held?.root !== root || held.path !== path) resolvedImports.set(input, (held = { root, path, from: absolute(path), to: input.imports.filter((i) => !i.external && isProjectFile(i.path)).map((i) => absolute(i.path)) }));
    edges.set(held.from, held.to);
  }
  const reach = (from: string): string[] => {
    const seen = new Set<string>([from]);
    const stack = [from];
    while (stack.length) for (const next of edges.get(stack.pop()!) ?? []) if (!seen.has(next)) seen.add(next), stack.push(next);
    return [...seen].sort();
  };
  const shared = new Map<string, string>();
  const sharedDigest = (m: string) => {
    let d = shared.get(m);
    if (d === undefined) shared.set(m, (d = digest(...reach(m).map((f) => files.of(f)))));
    return d;
  };
  const out = new Map<string, string>();
  for (const file of definitionFiles) {
    const direct = [...new Set(edges.get(file) ?? [])].sort();
    const parts = [files.of(file), ...direct.map(sharedDigest)];
    out.set(file, memo ? memo.of(file, ...parts) : digest(...parts));
  }
  return out;
}
