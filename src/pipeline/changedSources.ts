// The launcher's source checks (sources.mjs: UTF-8, syntax, unresolvable imports, import cycles)
// for a save that changed only the content of a few files among many: each changed file is parsed
// and its own imports resolved by esbuild, and the last good import graph takes its new edges.
// Re-bundling a thousand definitions to learn that one of them still parses cost more than the rest
// of a rebuild. Whenever this is unsure (a problem found, a file added or removed, a changed file on
// an import cycle) it answers "unsure" and the caller runs the whole check, whose messages stand.
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import type { ImportGraph } from "../cache/keys.js";
import { invalidUtf8Offset } from "./sources.mjs";

type Esbuild = typeof import("esbuild");
type Plugin = import("esbuild").Plugin;

const INNER = "direct-imports:inner";

/** Marks every import of the file being checked external, once resolved (so its importees are not read). */
const directImports: Plugin = {
  name: "direct-imports",
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind === "entry-point" || args.pluginData === INNER) return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: INNER });
      if (r.errors.length) return { errors: r.errors };
      return { path: r.path, external: true };
    });
  },
};

/**
 * The import graph after `changed` (absolute paths whose content changed since `graph` was taken,
 * all of which still exist and none of which is new), or undefined when the whole check must run.
 */
export async function checkChangedSources(opts: { root: string; graph: ImportGraph; changed: string[]; known: ReadonlySet<string> }): Promise<ImportGraph | undefined> {
  const { root, graph, changed } = opts;
  if (!changed.length || changed.some((f) => !opts.known.has(f) || !existsSync(f))) return undefined;
  for (const f of changed) if (invalidUtf8Offset(readFileSync(f)) >= 0) return undefined;
  const inputs = { ...graph.inputs };
  const inGraph = changed.filter((f) => inputs[relative(root, f)] !== undefined);
  if (!inGraph.length) return { inputs };
  const { build } = (await import("esbuild")) as Esbuild;
  let metafile: ImportGraph;
  try {
    const r = await build({
      entryPoints: inGraph,
      absWorkingDir: root,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      metafile: true,
      write: false,
      outdir: resolve(root, "launch-check"),
      logLevel: "silent",
      plugins: [directImports],
    });
    metafile = r.metafile as ImportGraph;
  } catch {
    return undefined; // a syntax error or an unresolved import: the whole check says it as it always does
  }
  // Resolved files come back absolute; packages and Node's modules as their specifiers.
  const isProject = (p: string) => isAbsolute(p) && !p.includes("/node_modules/");
  for (const f of inGraph) {
    const rel = relative(root, f);
    const own = metafile.inputs[rel];
    if (!own) return undefined;
    // As the whole bundle records them: paths relative to the root, project files not external.
    const imports = own.imports.map((i) => (isProject(i.path) ? { path: relative(root, i.path) } : { path: i.path, external: true }));
    inputs[rel] = { ...inputs[rel], imports };
  }
  // A file the graph has not read (newly imported): its own imports are unknown, so is its closure.
  for (const f of inGraph) for (const i of inputs[relative(root, f)].imports) if (!i.external && inputs[i.path] === undefined) return undefined;
  const next: ImportGraph = { inputs };
  return inGraph.some((f) => onCycle(next, root, f)) ? undefined : next;
}

/** Whether `file` reaches itself through the graph's project imports. */
function onCycle(graph: ImportGraph, root: string, file: string): boolean {
  const start = relative(root, file);
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    for (const i of graph.inputs[stack.pop()!]?.imports ?? []) {
      if (i.external) continue;
      if (i.path === start) return true;
      if (!seen.has(i.path)) seen.add(i.path), stack.push(i.path);
    }
  }
  return false;
}

/**
 * `files` (absolute) and every file of the graph that imports one of them, transitively (absolute
 * paths): what must be evaluated afresh after they changed.
 */
export function withImporters(graph: ImportGraph, root: string, files: Iterable<string>): Set<string> {
  const importers = new Map<string, string[]>();
  for (const [path, input] of Object.entries(graph.inputs)) {
    for (const i of input.imports) {
      if (i.external) continue;
      const list = importers.get(i.path);
      if (list) list.push(path);
      else importers.set(i.path, [path]);
    }
  }
  const seen = new Set<string>();
  const stack = [...files].map((f) => relative(root, f));
  for (const f of stack) seen.add(f);
  while (stack.length) for (const by of importers.get(stack.pop()!) ?? []) if (!seen.has(by)) seen.add(by), stack.push(by);
  return new Set([...seen].map((p) => resolve(root, p)));
}
