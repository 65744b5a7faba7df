// The launcher's source checks (sources.mjs: UTF-8, syntax, unresolvable imports, import cycles)
// for a save that changed only the content of a few files among many, against the last good import
// graph. Re-bundling a thousand definitions to learn that one of them still parses cost more than
// the rest of a rebuild. Each changed file is parsed by esbuild alone, its imports left unresolved
// (no plugin, no resolution: a few milliseconds); where they are the imports it had, the graph's
// resolved edges stand, and only a file with an import the graph cannot answer for has its imports
// resolved by esbuild. Whenever this is unsure (a problem found, a file added or removed, a changed
// file on an import cycle) it answers "unsure" and the caller runs the whole check, whose messages
// stand.
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { ImportGraph } from "../cache/keys.js";
import { invalidUtf8Offset } from "./sources.mjs";

type Esbuild = typeof import("esbuild");
type Plugin = import("esbuild").Plugin;
/** An import as esbuild's metafile records it (`original`: the specifier, when it was resolved to another path). */
type Imported = ImportGraph["inputs"][string]["imports"][number] & { kind?: string; original?: string; with?: Record<string, string> };

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

const common = (root: string) => ({
  absWorkingDir: root,
  bundle: true,
  platform: "node" as const,
  format: "esm" as const,
  target: "node20",
  metafile: true,
  write: false,
  outdir: resolve(root, "launch-check"),
  logLevel: "silent" as const,
});

const key = (kind: string | undefined, specifier: string, attributes: unknown) => `${kind}\0${specifier}\0${JSON.stringify(attributes ?? null)}`;
const isBare = (specifier: string) => !specifier.startsWith(".") && !isAbsolute(specifier);

/**
 * Whether a bare specifier may name a project file from `file` (tsconfig or jsconfig `paths`,
 * `baseUrl` or `extends`, package.json `imports`, in a folder above it): then an import recorded as
 * a package may resolve to a file once it is used (esbuild leaves an unused import unresolved).
 */
function bareMayBeLocal(file: string): boolean {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    for (const name of ["tsconfig.json", "jsconfig.json"]) {
      const p = join(dir, name);
      if (existsSync(p) && /"(paths|baseUrl|extends)"/.test(readFileSync(p, "utf8"))) return true;
    }
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && /"imports"/.test(readFileSync(pkg, "utf8"))) return true;
    if (dirname(dir) === dir) return false;
  }
}

/**
 * The file's new imports with the graph's resolution of each, when the graph answers for every one:
 * an import it resolved to a project file, or a package (unless a bare specifier may be local). An
 * import it left unresolved (a relative one esbuild did not resolve because it was unused) or never
 * saw is not answered: undefined.
 */
function answered(old: Imported[], now: Imported[], file: string): Imported[] | undefined {
  const known = new Map<string, Imported>();
  for (const i of old) known.set(key(i.kind, i.original ?? i.path, i.with), i);
  let bareLocal: boolean | undefined;
  const out: Imported[] = [];
  for (const i of now) {
    const was = known.get(key(i.kind, i.path, i.with));
    if (!was) return undefined;
    if (was.external && (!isBare(i.path) || (bareLocal ??= bareMayBeLocal(file)))) return undefined;
    out.push(was);
  }
  return out;
}

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
  // Parsed with every import left as written: a syntax error, or its imports.
  let scanned: ImportGraph;
  try {
    scanned = (await build({ ...common(root), entryPoints: inGraph, external: ["*"] })).metafile as ImportGraph;
  } catch {
    return undefined; // a syntax error: the whole check says it as it always does
  }
  const unanswered: string[] = [];
  for (const f of inGraph) {
    const rel = relative(root, f);
    const now = scanned.inputs[rel]?.imports as Imported[] | undefined;
    const imports = now && answered(inputs[rel].imports as Imported[], now, f);
    if (imports) inputs[rel] = { ...inputs[rel], imports };
    else unanswered.push(f);
  }
  if (unanswered.length) {
    let metafile: ImportGraph;
    try {
      metafile = (await build({ ...common(root), entryPoints: unanswered, packages: "external", plugins: [directImports] })).metafile as ImportGraph;
    } catch {
      return undefined; // an unresolved import: the whole check says it as it always does
    }
    // Resolved files come back absolute; packages and Node's modules as their specifiers.
    const isProject = (p: string) => isAbsolute(p) && !p.includes("/node_modules/");
    for (const f of unanswered) {
      const rel = relative(root, f);
      const own = metafile.inputs[rel];
      if (!own) return undefined;
      // As the whole bundle records them: paths relative to the root, project files not external;
      // the specifier and kind kept, so that the next save of this file is answered from them.
      const imports = (own.imports as Imported[]).map((i): Imported => {
        const specifier = i.original ?? i.path;
        const attributes = i.with ? { with: i.with } : {};
        return isProject(i.path)
          ? { path: relative(root, i.path), kind: i.kind, ...(specifier !== relative(root, i.path) ? { original: specifier } : {}), ...attributes }
          : { path: i.path, kind: i.kind, external: true, ...attributes };
      });
      inputs[rel] = { ...inputs[rel], imports };
    }
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
