// Definition files (dashboards/, alerts/) are imported by path. The fast launcher
// (scripts/launch.mjs) bundles them with the engine and hands over a loader per file, so a bundled
// build never asks Node to load a .ts file and a definition that throws fails on its own.
import { fileURLToPath, pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { dirname, relative, resolve } from "node:path";
import type { Problem } from "../errors.js";
import { BUNDLE_DIR, sidecarPath } from "./bundleCache.mjs";

const PRELOADED = Symbol.for("grafana-as-code.preloadedDefinitions");
// A delta bundle's definitions (src/pipeline/deltaBundle.mjs): changed since the bundle that runs was made.
const DELTA = Symbol.for("grafana-as-code.deltaDefinitions");

type DefinitionModule = { default?: unknown };
type Loaders = Map<string, () => Promise<DefinitionModule>> | undefined;

export function importDefinition(file: string): Promise<DefinitionModule> {
  const loaders = globalThis as Record<symbol, Loaders>;
  const load = loaders[DELTA]?.get(file) ?? loaders[PRELOADED]?.get(file);
  return load ? load() : import(pathToFileURL(file).href);
}

// A stack frame's location: "(/abs/x.ts:12:9)", "file:///abs/x.ts?gen=3:12:9" or "at /abs/x.ts:12:9".
const FRAME = /^\s+at (?:.*?\()?((?:file:\/\/)?[^()\s]+?)(?:\?[^:()\s]*)?:(\d+):(\d+)\)?$/;

/**
 * The source map kept beside the bundle, read only when a definition has failed (Node's own
 * source-map support would cost every build); undefined when it is missing or unreadable.
 */
const bundleMaps = new Map<string, SourceMap | undefined>();
function bundleMap(bundle: string): SourceMap | undefined {
  if (!bundleMaps.has(bundle)) {
    let map: SourceMap | undefined;
    try {
      map = new SourceMap(JSON.parse(readFileSync(sidecarPath(bundle, "map"), "utf8")));
    } catch {
      map = undefined; // frames in the bundle are then left out, as without a map
    }
    bundleMaps.set(bundle, map);
  }
  return bundleMaps.get(bundle);
}

/** The stack's frames in the project's files (bundle positions mapped back to their sources). */
function framesOf(e: unknown): { path: string; line: number }[] {
  const stack = e instanceof Error && typeof e.stack === "string" ? e.stack : "";
  return stack.split("\n").flatMap((l) => {
    const m = FRAME.exec(l);
    if (!m) return [];
    let path = m[1].startsWith("file://") ? fileURLToPath(m[1]) : m[1];
    let line = Number(m[2]);
    if (dirname(path) === BUNDLE_DIR) {
      const entry = bundleMap(path)?.findEntry(line - 1, Number(m[3]) - 1) as { originalSource?: string; originalLine?: number } | undefined;
      if (!entry?.originalSource) return [];
      path = entry.originalSource.startsWith("file://") ? fileURLToPath(entry.originalSource) : resolve(dirname(m[1].startsWith("file://") ? fileURLToPath(m[1]) : m[1]), entry.originalSource);
      line = entry.originalLine! + 1;
    }
    return path.includes("/node_modules/") || path.startsWith("node:") ? [] : [{ path, line }];
  });
}

/**
 * A definition file that throws while loading, as one problem: the definition's line on the way to
 * the throw, and where it was thrown when that is another file (a helper, a preset).
 */
export function loadFailure(path: string, e: unknown, root: string): Problem {
  const show = (p: string) => (relative(root, p).startsWith("..") ? p : relative(root, p));
  const message = (e instanceof Error ? e.message : String(e)).trim().split("\n")[0];
  const frames = framesOf(e);
  const own = frames.find((f) => f.path === path);
  const origin = frames[0] && frames[0].path !== path ? ` (thrown at ${show(frames[0].path)}:${frames[0].line})` : "";
  return { code: "definition-load", file: own ? `${show(path)}:${own.line}` : show(path), message: message + origin };
}
