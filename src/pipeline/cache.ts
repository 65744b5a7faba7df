// The build's side of the content-addressed cache (src/cache/): which definition files can be
// taken from it (not imported, not built), which dashboards' per-dashboard verdicts (validation,
// lint findings) still hold, and, once the build has succeeded, the entries to write. Checks across
// dashboards (unique uids, links, folders, the ops index, alerts) always run over every dashboard.
import { join, relative, resolve } from "node:path";
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { CacheStore, ENTRY_FORMAT, pruneEntries, type CacheEntry, type CachedDashboard, type DefinitionMeta } from "../cache/store.js";
import { digest, FileDigests, stableValue } from "../cache/hash.js";
import { holdEntries, PRUNE_EVERY, type CacheMemory, type HeldEntry } from "../cache/memory.js";
import { closureDigests, launcherFileDigests, toolDigest, type ImportGraph } from "../cache/keys.js";
import { StageCache, StageStore } from "../cache/stages.js";
import type { Config } from "../model/config.js";
import type { DashboardDefinition } from "../definitions.js";
import type { BuiltDashboard } from "../model/dashboard.js";
import { CACHE_DIR, REPO_ROOT } from "../repoRoot.mjs";
import { PANEL_ID_LOCK_FILE } from "./panelIds.js";
import { bundleDefinitions } from "./sources.mjs";
import { dashboardSummary, heldSummary } from "./summary.js";

export const DASHBOARD_CACHE_DIR = join(CACHE_DIR, "dashboards");

/** Entries the folder may hold before the least recently written are removed (see pruneEntries). */
const MAX_ENTRIES = 5000;

export interface CacheOptions {
  /** Where entries live (default node_modules/.cache/grafana-as-code/dashboards). */
  dir?: string;
  /** The definitions' import graph (esbuild's metafile of the build's bundle); computed when absent. */
  graph?: ImportGraph;
  /** Whatever else the per-dashboard verdicts depend on, from the caller (lint on/off, lint settings). */
  verdictInputs?: unknown;
  /** Entries and digests kept in memory across the builds of one process (--watch): see src/cache/memory.ts. */
  memory?: CacheMemory;
  /**
   * A dashboard taken from the cache whose verdict holds is held as its summary alone (what the
   * checks across dashboards read, src/pipeline/summary.ts), its JSON not parsed: the build's result
   * then lists it so. For a caller that reads only the tree and the build's summary (the build
   * command); not with `memory`.
   */
  summaries?: boolean;
}

export interface CacheCounts {
  /** Dashboards taken from the cache: their definition neither imported nor built. */
  reused: number;
  /** Dashboards built by running their definition. */
  built: number;
  /** Dashboards whose per-dashboard checks and lint ran in this build (the others' verdicts held). */
  checked: number;
  /** Entries found corrupt or truncated (rebuilt). */
  corrupt: number;
  /** Uids of the dashboards built, sorted. */
  builtUids: string[];
  /** Stages run once per build whose result was taken from the cache (alerting, lint-files), sorted. */
  stages: string[];
}

interface FileState {
  file: string;
  key: string;
  entry?: CacheEntry;
  /** With an entry held in memory: its dashboards as objects (the entry's JSON is not kept). */
  objects?: Map<string, Dashboard>;
}

/** One build's view of the cache. */
export class BuildCache {
  readonly store: CacheStore;
  private readonly files: FileState[];
  private readonly byFile = new Map<string, FileState>();
  private index = "";
  private verdictKey = "";
  /** The inputs verdictKey was made from. */
  private verdictsOf: unknown;
  /** Dashboards (by uid) taken from an entry, and those whose verdict still holds. */
  private readonly reusedUids = new Set<string>();
  private readonly verdictUids = new Set<string>();
  private built: BuiltDashboard[] = [];
  private builtByUid = new Map<string, BuiltDashboard>();
  private texts = new Map<string, string>();
  /** Dashboards whose builder read the other definitions (ctx.dashboards), filled by buildDashboards. */
  readonly readDefinitions = new Set<string>();
  private readonly indexOf = new Map<string, string | null>();
  /** The JSON text of dashboards taken from an entry as their summary (written again as it was read). */
  private readonly jsonOf = new Map<string, string>();
  private readonly summaries: boolean;

  /** Recomputes a file's key from the files as they are now (see commit). */
  private readonly keysNow: (files: string[]) => Map<string, string>;

  private readonly memory?: CacheMemory;

  /** The entries of the stages run once per build (alerting, lint of the other files): src/cache/stages.ts. */
  readonly stages: StageCache;

  private constructor(store: CacheStore, files: FileState[], keysNow: (files: string[]) => Map<string, string>, stages: StageCache, memory: CacheMemory | undefined, summaries: boolean) {
    this.store = store;
    this.stages = stages;
    this.files = files;
    this.keysNow = keysNow;
    this.memory = memory;
    this.summaries = !memory && summaries;
    for (const f of files) this.byFile.set(f.file, f);
  }

  /**
   * Keys every definition file and reads its entry. Undefined when the definitions do not bundle
   * (the build then runs uncached and reports why).
   */
  static async open(opts: CacheOptions, files: string[], dashboardsDir: string, config: Config, env: string): Promise<BuildCache | undefined> {
    const graph = opts.graph ?? (await graphOf(dashboardsDir));
    if (!graph) return undefined;
    const memory = opts.memory;
    const configText = stableValue(config);
    let tool = "";
    // `fresh`: every file read again (what commit compares with), but the engine's digest, which
    // with a memory is the one of the engine loaded, not of src/ as it may be by now.
    const keys = (wanted: string[], fresh = false) => {
      // Without a memory, the digests the launcher made of the sources this bundle was made of.
      const digests = new FileDigests(fresh ? undefined : (memory?.digests ?? launcherFileDigests(REPO_ROOT)));
      tool = memory?.tool ?? toolDigest(REPO_ROOT, digests);
      if (memory) memory.tool = tool;
      const base = digest("build", tool, env, configText, digests.of(join(dashboardsDir, PANEL_ID_LOCK_FILE)));
      const closures = closureDigests(graph, REPO_ROOT, wanted, digests, fresh ? undefined : memory?.closures);
      const key = (file: string, ...parts: string[]) => (memory && !fresh ? memory.keys.of(file, ...parts) : digest(...parts));
      return new Map(wanted.map((file) => [file, key(file, base, relative(REPO_ROOT, file), closures.get(file)!)]));
    };
    const store = new CacheStore(opts.dir ?? DASHBOARD_CACHE_DIR);
    const now = keys(files);
    const states = files.map((file): FileState => {
      const key = now.get(file)!;
      const held = memory?.entries.get(key);
      if (held) {
        memory!.counts.fromMemory++;
        return { file, key, entry: held.entry, objects: held.objects };
      }
      const entry = store.read(key);
      if (entry && memory) memory.counts.fromDisk++;
      return { file, key, entry };
    });
    const stages = new StageCache(new StageStore(join(store.dir, "stages")), digest("stages", tool, env, configText), memory?.stages);
    return new BuildCache(store, states, (wanted) => keys(wanted, true), stages, memory, opts.summaries ?? false);
  }

  /** What each file exports, for the files with an entry (they are not imported). */
  known(): Map<string, unknown[]> {
    const cachedBuild = () => {
      throw new Error("this definition was taken from the build cache; its builder is not loaded");
    };
    return new Map(this.files.filter((f) => f.entry).map((f) => [f.file, f.entry!.definitions.map((d) => ({ ...d, build: cachedBuild }))]));
  }

  /** Records what every definition says of itself; a builder may read them all (ctx.dashboards). */
  setDefinitions(defs: DashboardDefinition[]): void {
    // A file taken from the cache exports what its entry says (known()): no need to derive it again.
    const metas = new Map<string, DefinitionMeta[]>();
    for (const f of this.files) if (f.entry) metas.set(relative(REPO_ROOT, f.file), f.entry.definitions);
    const seen = new Map<string, number>();
    const meta = (d: DashboardDefinition) => {
      const i = seen.get(d.file!) ?? 0;
      seen.set(d.file!, i + 1);
      return metas.get(d.file!)?.[i] ?? metaOf(d);
    };
    const all = defs.map((d) => ({ file: d.file!, meta: meta(d) }));
    this.index = digest("definitions", ...all.map(({ file, meta }) => `${file}\0${metaText(meta)}`));
    // An entry imported afresh (none before) records what its file exports.
    const byFile = new Map<string, DefinitionMeta[]>();
    for (const { file, meta } of all) byFile.set(file, [...(byFile.get(file) ?? []), meta]);
    for (const f of this.files) {
      if (!f.entry) f.entry = { format: ENTRY_FORMAT, key: f.key, definitions: byFile.get(relative(REPO_ROOT, f.file)) ?? [] };
    }
  }

  /** The dashboard built earlier from the same inputs, if any. */
  reuse = (def: DashboardDefinition): Dashboard | undefined => {
    const state = this.stateOf(def.file!);
    const hit = state?.entry?.built?.dashboards.find((d) => d.uid === def.uid);
    if (!hit || (hit.index !== null && hit.index !== this.index)) return undefined;
    this.indexOf.set(def.uid, hit.index);
    this.reusedUids.add(def.uid);
    this.texts.set(def.uid, hit.text);
    // A verdict that holds (the test of toCheck): the dashboard is not checked again, and what the
    // build reads of it is its summary.
    if (this.summaries && hit.summary !== undefined && this.verdictKey && state!.entry!.verdict?.key === this.verdictKey && state!.entry!.verdict.lint[def.uid]) {
      this.jsonOf.set(def.uid, hit.json);
      return heldSummary(JSON.parse(hit.summary) as Dashboard);
    }
    // Held in memory: the very object an earlier build held (nothing after the build mutates a dashboard).
    return state!.objects?.get(def.uid) ?? (JSON.parse(hit.json) as Dashboard);
  };

  /** Sets what the per-dashboard verdicts depend on besides the dashboard itself (before reuse, so that it knows which verdicts hold). */
  verdicts(verdictInputs: unknown): void {
    if (this.verdictsOf === verdictInputs && this.verdictKey) return; // the same inputs again (toCheck): the same key
    this.verdictsOf = verdictInputs;
    this.verdictKey = digest("verdict", stableValue(verdictInputs));
  }

  /**
   * Sets what the per-dashboard verdicts depend on besides the dashboard itself, and returns the
   * dashboards whose checks must run (the others passed them under the same inputs).
   */
  toCheck(dashboards: BuiltDashboard[], verdictInputs: unknown): BuiltDashboard[] {
    this.built = dashboards;
    this.builtByUid = new Map(dashboards.map((d) => [d.json.uid!, d]));
    this.verdicts(verdictInputs);
    const out: BuiltDashboard[] = [];
    for (const d of dashboards) {
      const entry = this.entryOf(d);
      if (this.reusedUids.has(d.json.uid!) && entry?.verdict?.key === this.verdictKey && entry.verdict.lint[d.json.uid!]) this.verdictUids.add(d.json.uid!);
      else out.push(d);
    }
    return out;
  }

  /** Whether a dashboard's per-dashboard checks and lint passed under this build's inputs. */
  verdictHolds(uid: string): boolean {
    return this.verdictUids.has(uid);
  }

  /** The raw per-dashboard lint findings recorded with a verdict that holds. */
  cachedFindings(uid: string): unknown[] {
    const d = this.builtByUid.get(uid);
    return (d && this.entryOf(d)?.verdict?.lint[uid]) ?? [];
  }

  /** The emitted text of a dashboard taken from the cache (no need to serialise it again). */
  text(uid: string): string | undefined {
    return this.texts.get(uid);
  }

  /**
   * After a successful build: writes the entries of dashboards built or checked afresh, with the
   * emitted text and their per-dashboard lint findings (raw, before exclusions).
   */
  commit(texts: Map<string, string>, findings: Map<string, unknown[]>): void {
    const byEntry = new Map<CacheEntry, BuiltDashboard[]>();
    for (const d of this.built) {
      const entry = this.entryOf(d);
      if (entry) byEntry.set(entry, [...(byEntry.get(entry) ?? []), d]);
    }
    const fileOf = new Map(this.files.map((f) => [f.entry, f.file]));
    const toWrite = [...byEntry].filter(([, ds]) => !ds.every((d) => this.reusedUids.has(d.json.uid!) && this.verdictUids.has(d.json.uid!)));
    const rebuilt = toWrite.filter(([, ds]) => !ds.every((d) => this.reusedUids.has(d.json.uid!))).map(([e]) => fileOf.get(e)!);
    const keysNow = rebuilt.length ? this.keysNow(rebuilt) : new Map<string, string>();
    const written = new Map<CacheEntry, CacheEntry | null>();
    for (const [entry, dashboards] of toWrite) {
      // A file saved again while this build ran may have been imported in its new state: what was
      // built then belongs to neither key, so it is not recorded.
      const now = keysNow.get(fileOf.get(entry)!);
      if (now !== undefined && now !== entry.key) {
        written.set(entry, null);
        continue;
      }
      const index = (uid: string) => (this.reusedUids.has(uid) ? this.indexOf.get(uid)! : this.readDefinitions.has(uid) ? this.index : null);
      const built: CachedDashboard[] = dashboards.map((d) => ({
        uid: d.json.uid!,
        folderUid: d.folderUid,
        index: index(d.json.uid!),
        json: this.jsonOf.get(d.json.uid!) ?? JSON.stringify(d.json),
        text: texts.get(d.json.uid!)!,
        summary: JSON.stringify(dashboardSummary(d).json),
      }));
      const lint: Record<string, unknown[]> = {};
      for (const d of dashboards) lint[d.json.uid!] = this.verdictUids.has(d.json.uid!) ? this.cachedFindings(d.json.uid!) : (findings.get(d.json.uid!) ?? []);
      const next: CacheEntry = { ...entry, built: { dashboards: built }, verdict: { key: this.verdictKey, lint } };
      this.store.write(next);
      written.set(entry, next);
    }
    if (this.memory) this.hold(byEntry, written);
    const prune = !this.memory || this.memory.sincePrune % PRUNE_EVERY === 0;
    this.stages.commit(prune);
    // Builds of other folders and environments share the folder; it is kept within a bound (by a
    // process that keeps building, every PRUNE_EVERY builds).
    if (this.memory && this.memory.sincePrune++ % PRUNE_EVERY !== 0) return;
    // A build that wrote no entry has not grown the folder (~2 ms of listing a few thousand names).
    if (![...written.values()].some((e) => e !== null)) return;
    pruneEntries(this.store.dir, new Set(this.files.map((f) => f.key)), Math.max(MAX_ENTRIES, 4 * this.files.length));
  }

  /** Keeps this build's entries in memory, each dashboard as the object this build held. */
  private hold(byEntry: Map<CacheEntry, BuiltDashboard[]>, written: Map<CacheEntry, CacheEntry | null>): void {
    const held: HeldEntry[] = [];
    const drop: string[] = [];
    for (const f of this.files) {
      if (!f.entry) continue;
      const next = written.has(f.entry) ? written.get(f.entry) : f.entry;
      if (!next?.built) {
        drop.push(f.key);
        continue;
      }
      if (f.objects && next === f.entry) {
        held.push({ entry: f.entry, objects: f.objects });
        continue;
      }
      const dashboards = byEntry.get(f.entry) ?? [];
      // Texts read from an entry are slices of its whole text, which they would keep alive: copied.
      const own = (text: string) => (next === f.entry ? Buffer.from(text, "utf8").toString("utf8") : text);
      const built = { dashboards: next.built.dashboards.map((d) => ({ ...d, json: "", text: own(d.text) })) };
      held.push({ entry: { ...next, built }, objects: new Map(dashboards.map((d) => [d.json.uid!, d.json])) });
    }
    holdEntries(this.memory!, held, drop);
  }

  counts(): CacheCounts {
    return {
      reused: this.reusedUids.size,
      built: this.built.length - this.reusedUids.size,
      checked: this.built.length - this.verdictUids.size,
      corrupt: this.store.counts.corrupt,
      builtUids: this.built.map((d) => d.json.uid!).filter((uid) => !this.reusedUids.has(uid)).sort(),
      stages: [...this.stages.taken].sort(),
    };
  }

  private entryOf(d: BuiltDashboard): CacheEntry | undefined {
    return this.stateOf(d.definition.file!)?.entry;
  }

  /** A definition's file state by its path relative to the root (resolved once per path: asked several times per dashboard). */
  private readonly absolute = new Map<string, string>();
  private stateOf(file: string): FileState | undefined {
    let abs = this.absolute.get(file);
    if (abs === undefined) this.absolute.set(file, (abs = resolve(REPO_ROOT, file)));
    return this.byFile.get(abs);
  }
}

// An entry's definitions are the same objects from one --watch build to the next: serialised once.
const metaTexts = new WeakMap<DefinitionMeta, string>();
function metaText(meta: DefinitionMeta): string {
  let t = metaTexts.get(meta);
  if (t === undefined) metaTexts.set(meta, (t = stableValue(meta)));
  return t;
}

/** What a definition says of itself, without its builder (functions dropped, as JSON drops them). */
function metaOf(d: DashboardDefinition): DefinitionMeta {
  const { file: _file, ...rest } = d;
  return JSON.parse(JSON.stringify(rest)) as DefinitionMeta;
}

async function graphOf(dashboardsDir: string): Promise<ImportGraph | undefined> {
  const r = (await bundleDefinitions({ root: REPO_ROOT, dashboardsDir })) as { problems: unknown[]; metafile?: ImportGraph };
  return r.problems.length ? undefined : r.metafile;
}
