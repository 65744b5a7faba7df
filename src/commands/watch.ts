// `npm run build -- --watch`: rebuild on every save of a definition, the config, the catalog or the
// engine; rewrite only the files that changed; on a broken edit print the problems and keep the last
// good tree. A save of anything but definitions imports a fresh copy of the engine and content (see
// freshImportsHook.mjs), so a catalog or config change re-validates everything; a save of definitions
// keeps them loaded and imports afresh only the definitions the build cache cannot answer.
import { existsSync, realpathSync } from "node:fs";
import { createRequire, register } from "node:module";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { BuildError, formatProblem, UserError } from "../errors.js";
import { debugRequested, describeFailure, isSystemError } from "../cli/report.mjs";
import { REPO_ROOT } from "../pipeline/collect.js";
import { bundleDefinitions, disposeIncremental, type IncrementalBundle } from "../pipeline/sources.mjs";
import type { RepoContent } from "../model/content.js";
import type { BuildOptions, BuildResult } from "../pipeline/index.js";
import { foreignWarning, givenContent, writeTree } from "../pipeline/write.js";
import type { Content } from "../pipeline/content.js";
import { checkChangedSources, withImporters } from "../pipeline/changedSources.js";
import type { ImportGraph } from "../cache/keys.js";
import { createCacheMemory, forgetFiles } from "../cache/memory.js";
import { changedPaths, refresh, snapshot, watchInputs, type DigestMemo } from "./inputWatcher.js";

const ROOT_URL = pathToFileURL(REPO_ROOT + "/").href;
/** Modules whose state is worth keeping across rebuilds (compiled JSON Schemas, parsers). */
const STABLE = ["src/validate/schemas.ts", "src/query/"].map((p) => ROOT_URL + p);
const WATCHED = ["dashboards", "config", "catalog", "alerts", "datasources", "src"];
/** Definition loaders the build imports through (importDefinition.ts), set for each rebuild. */
const PRELOADED = Symbol.for("grafana-as-code.preloadedDefinitions");

let hookRegistered = false;
const requireCache = createRequire(import.meta.url).cache;

export interface WatchOptions extends Pick<BuildOptions, "env" | "out" | "dashboardsDir" | "allowEmpty"> {
  /** URL of the module exporting REPO_CONTENT (scripts/content.ts), imported afresh on every rebuild. */
  contentModule: string;
  log?: (line: string) => void;
  debounceMs?: number;
  /** How often the safety-net poll compares sizes and modification times (default 1000 ms). */
  pollMs?: number;
  /** Reuse the build cache (default true): a save rebuilds only the dashboards that import the file. */
  cache?: boolean;
}

export interface Watcher {
  close(): void;
  /** Resolves after the rebuild that is under way (if any) has finished. */
  idle(): Promise<void>;
}

/** The path with links resolved (itself when it is gone). */
function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export async function startWatch(opts: WatchOptions): Promise<Watcher> {
  const log = opts.log ?? ((l: string) => console.log(l));
  if (!hookRegistered) {
    register(pathToFileURL(join(import.meta.dirname, "../pipeline/freshImportsHook.mjs")), {
      parentURL: import.meta.url,
      data: { stable: STABLE, engine: [ROOT_URL + "src/"] },
    });
    hookRegistered = true;
  }
  let generation = 0;
  let definitionGeneration = 0;
  let loaded: { command: typeof import("./build.js"); content: RepoContent } | undefined;
  // Where a save changes only definitions (and the helpers beside them): the engine stays loaded.
  const definitionDirs = [join(REPO_ROOT, "dashboards"), ...(opts.dashboardsDir ? [opts.dashboardsDir] : [])];
  const definitionsOnly = (changed: string[]) => changed.every((f) => definitionDirs.some((d) => f.startsWith(d + "/")));
  // esbuild's context, kept between rebuilds: it re-reads only the files that changed.
  const incremental: IncrementalBundle = {};
  // The import graph of the last check that passed: a save of a few definitions checks only them against it.
  let checkedGraph: ImportGraph | undefined;
  const check = async (changed: string[] | undefined, before: ReadonlyMap<string, string> | undefined): Promise<ImportGraph> => {
    if (changed && before && checkedGraph && definitionsOnly(changed)) {
      const graph = await checkChangedSources({ root: REPO_ROOT, graph: checkedGraph, changed, known: new Set(before.keys()) });
      if (graph) return (checkedGraph = graph);
    }
    checkedGraph = undefined;
    kept.clear(); // another graph: what it knows is looked up again
    // The launcher's checks (UTF-8, syntax, import cycles), with its messages.
    const { problems, metafile } = await bundleDefinitions({ root: REPO_ROOT, dashboardsDir: opts.dashboardsDir ?? join(REPO_ROOT, "dashboards"), incremental });
    if (problems.length) throw new BuildError(problems);
    return (checkedGraph = metafile!);
  };
  // The build cache's entries and file digests, kept between rebuilds (src/cache/memory.ts).
  const memory = createCacheMemory();
  // Definitions outside this package load as CommonJS, and require()'s cache ignores the query: a
  // module there is forgotten (read afresh) when its file changed since it was loaded or it imports
  // one that did, or when the import graph does not know it. Files changed since the last build that
  // got as far as importing are held here (a failed check imports nothing). Paths as the loader
  // keeps them: with links resolved.
  const realDirs = [...new Set(definitionDirs.flatMap((d) => [d, real(d)]))];
  let toForget: Set<string> | "all" = "all";
  // Modules kept at the last look that the graph knew (not looked up again: a thousand definitions).
  const kept = new Set<string>();
  const forgetRequired = (graph: ImportGraph) => {
    const stale = toForget === "all" ? undefined : withImporters(graph, REPO_ROOT, toForget);
    for (const id of Object.keys(requireCache)) {
      if (stale && kept.has(id) && !stale.has(id)) continue;
      if (id.includes("/node_modules/") || !realDirs.some((d) => id.startsWith(d + "/"))) continue;
      if (stale && !stale.has(id) && graph.inputs[relative(REPO_ROOT, id)] !== undefined) kept.add(id);
      else delete requireCache[id], kept.delete(id);
    }
    toForget = new Set();
  };
  const build = async (changed?: string[], before?: ReadonlyMap<string, string>): Promise<BuildResult> => {
    definitionGeneration++;
    if (changed) forgetFiles(memory, changed);
    if (!changed || !definitionsOnly(changed)) toForget = "all";
    else if (toForget !== "all") for (const f of changed) toForget.add(real(f));
    const metafile = await check(changed, before);
    if (!loaded || !changed || !definitionsOnly(changed)) {
      // The engine and the content (config, catalog, datasources) afresh: an edit re-validates everything.
      generation++;
      memory.tool = undefined;
      loaded = {
        command: (await import(`${ROOT_URL}src/commands/build.ts?gen=${generation}`)) as typeof import("./build.js"),
        content: ((await import(`${opts.contentModule}?gen=${generation}`)) as { REPO_CONTENT: RepoContent }).REPO_CONTENT,
      };
    }
    const cache = (opts.cache ?? true) ? { graph: metafile, memory } : undefined;
    // Definitions (those the cache does not answer) are imported afresh on every rebuild, with the
    // engine's generation for what they import from src/ (see freshImportsHook.mjs).
    const fresh = `?gen=${generation}&def=${definitionGeneration}`;
    // Definitions outside this package load as CommonJS (see scripts/launch.mjs): see forgetRequired.
    forgetRequired(metafile);
    (globalThis as Record<symbol, unknown>)[PRELOADED] = { get: (file: string) => () => import(pathToFileURL(file).href + fresh) };
    try {
      return await loaded.command.runBuild({ content: loaded.content, env: opts.env, out: opts.out, dashboardsDir: opts.dashboardsDir, write: false, cache });
    } finally {
      delete (globalThis as Record<symbol, unknown>)[PRELOADED];
    }
  };

  // The same writer as a single build: only files whose content changed are replaced. A file whose
  // text is the one this watcher last wrote is not read again to be compared.
  let previous = new Map<string, Content>();
  const write = async (r: BuildResult) => {
    const w = await writeTree(r.out, r.files, { allowEmpty: opts.allowEmpty, log, previous });
    previous = new Map(r.files.map((f) => [f.path, givenContent(f)]));
    for (const p of w.foreign) log(foreignWarning(r.out, p));
    return w.changed;
  };
  const dirs = [...WATCHED.map((d) => join(REPO_ROOT, d)), ...(opts.dashboardsDir ? [opts.dashboardsDir] : [])].filter(
    (d, i, all) => existsSync(d) && all.indexOf(d) === i,
  );
  // The inputs as the last build read them (taken before it starts, so an edit during it shows).
  const digests: DigestMemo = new Map();
  let built = snapshot(dirs, digests);
  let first: BuildResult;
  try {
    first = await build();
    await write(first);
  } catch (e) {
    // esbuild's context keeps the process alive: released when there is nothing to watch.
    await disposeIncremental(incremental);
    throw e;
  }
  const out = first.out;
  log(`watching: built ${first.stats.dashboards} dashboards into ${relative(process.cwd(), out) || "."}/ in ${first.ms} ms`);

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;

  const rebuild = async (changedSources: string[], before: ReadonlyMap<string, string>) => {
    const started = performance.now();
    const what = changedSources.map((f) => relative(REPO_ROOT, f)).join(", ");
    try {
      const r = await build(changedSources, before);
      const written = await write(r);
      const ms = Math.round(performance.now() - started);
      log(`rebuilt in ${ms} ms after ${what}: ${written.length ? written.filter((p) => !p.startsWith(".")).join(", ") || "manifest" : "no output changed"}`);
    } catch (e) {
      const ms = Math.round(performance.now() - started);
      // Located problems, or one line for a failed write (ENOSPC, EACCES …); a stack only with --debug.
      if (isSystemError(e) && !e.path) e.path = `${out} (writing the tree)`; // ENOSPC from a write names no file
      const detail =
        e instanceof BuildError ? e.problems.map(formatProblem).join("\n") : e instanceof UserError ? `error: ${e.message}` : describeFailure(e, { debug: debugRequested() }).text;
      log(`${detail}\nbuild failed in ${ms} ms after ${what}; the last good build is kept`);
    }
  };

  // Where events said something may have changed since the inputs were last looked at; "all" when
  // anything may have (the poll, a lost watcher): the whole input tree is looked at again then.
  let dirty: Set<string> | "all" = "all";
  const look = () => {
    const paths = dirty;
    dirty = new Set();
    return paths === "all" ? snapshot(dirs, digests) : refresh(built, paths, digests);
  };
  // Rebuilds while the inputs differ from what the last build read: an event only says "look".
  const cycle = async () => {
    if (closed) return;
    const now = look();
    const changed = changedPaths(built, now);
    if (!changed.length) return;
    const before = built;
    built = now;
    await rebuild(changed, before);
    // A save during the rebuild has an event of its own (its path is in `dirty`, a cycle scheduled);
    // the files this rebuild was about are looked at once more, after the write, in case a save's
    // event was folded into the one that started it. Anything else an event missed, the poll finds.
    if (changedPaths(built, refresh(built, changed, digests)).length) {
      if (dirty !== "all") for (const p of changed) dirty.add(p);
      schedule();
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(cycle);
    }, opts.debounceMs ?? 20);
  };
  const inputs = watchInputs(
    dirs,
    (path) => {
      if (path === undefined) dirty = "all";
      else if (dirty !== "all") dirty.add(path);
      schedule();
    },
    { pollMs: opts.pollMs },
  );
  schedule(); // a save during the first build, before the watchers were armed
  return {
    close: () => {
      closed = true;
      clearTimeout(timer);
      inputs.close();
      void running.then(() => disposeIncremental(incremental));
    },
    idle: () => running,
  };
}
