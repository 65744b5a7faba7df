// Definition files (dashboards/, alerts/) are imported by path. The fast launcher
// (scripts/launch.mjs) bundles them with the engine and hands over a loader per file, so a bundled
// build never asks Node to load a .ts file and a definition that throws fails on its own.
import { fileURLToPath, pathToFileURL } from "node:url";
import { relative } from "node:path";
import type { Problem } from "../errors.js";

const PRELOADED = Symbol.for("grafana-as-code.preloadedDefinitions");

type DefinitionModule = { default?: unknown };

export function importDefinition(file: string): Promise<DefinitionModule> {
  const preloaded = (globalThis as Record<symbol, Map<string, () => Promise<DefinitionModule>> | undefined>)[PRELOADED];
  const load = preloaded?.get(file);
  return load ? load() : import(pathToFileURL(file).href);
}

// A stack frame's location: "(/abs/x.ts:12:9)", "file:///abs/x.ts?gen=3:12:9" or "at /abs/x.ts:12:9".
const FRAME = /^\s+at (?:.*?\()?((?:file:\/\/)?[^()\s]+?)(?:\?[^:()\s]*)?:(\d+):\d+\)?$/;

/** Where in the project's sources an error was thrown: the first stack frame outside node_modules. */
function framesOf(e: unknown): { path: string; line: number }[] {
  const stack = e instanceof Error && typeof e.stack === "string" ? e.stack : "";
  return stack.split("\n").flatMap((l) => {
    const m = FRAME.exec(l);
    if (!m) return [];
    const path = m[1].startsWith("file://") ? fileURLToPath(m[1]) : m[1];
    return path.includes("/node_modules/") || path.startsWith("node:") ? [] : [{ path, line: Number(m[2]) }];
  });
}

/**
 * A definition file that throws while loading, as one problem: the definition's line on the way to
 * the throw, and where it was thrown when that is another file (a helper, a preset).
 */
export function loadFailure(path: string, e: unknown, root: string): Problem {
  const show = (p: string) => (relative(root, p).startsWith("..") ? p : relative(root, p));
  const message = (e instanceof Error ? e.message : String(e)).trim().split("\n")[0];
  const frames = framesOf(e).filter((f) => !f.path.includes("/.build-bundle-"));
  const own = frames.find((f) => f.path === path);
  const origin = frames[0] && frames[0].path !== path ? ` (thrown at ${show(frames[0].path)}:${frames[0].line})` : "";
  return { code: "definition-load", file: own ? `${show(path)}:${own.line}` : show(path), message: message + origin };
}
