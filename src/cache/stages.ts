// Entries of the stages that run once per build over the whole tree rather than per definition
// (alerting; lint over the tree's files other than dashboards), beside the dashboards' entries:
// one JSON value per stage and key, under <cache dir>/stages/, each file as store.ts keeps entries
// (digestedFile.ts: a truncated or corrupt one reads as absent and is rebuilt).
// A build records its stages' values only once it has succeeded (commit): an error is never cached.
import { join } from "node:path";
import { pruneDigested, readDigested, writeDigested } from "./digestedFile.js";
import { digest } from "./hash.js";

export const STAGE_FORMAT = 1;

/** Stage entries the folder may hold; beyond, the least recently written go (few: one or two per build). */
export const MAX_STAGE_ENTRIES = 64;

/** Stage values --watch keeps in memory (a save and a save back, for each stage). */
const HELD_IN_MEMORY = 8;

export class StageStore {
  /** Entries read, written, and found corrupt, for tests. */
  readonly counts = { read: 0, written: 0, corrupt: 0 };
  private tmp = 0;
  constructor(readonly dir: string) {}

  private path(kind: string, key: string): string {
    return join(this.dir, `${kind}-${key}.stage`);
  }

  /** The value recorded for `kind` and `key`, or undefined when there is none or it does not read back whole. */
  read(kind: string, key: string): unknown {
    const rest = readDigested(this.path(kind, key));
    if (rest === "missing") return undefined;
    try {
      if (rest === "corrupt") throw new Error("digest");
      const e = JSON.parse(rest) as { format?: unknown; kind?: unknown; key?: unknown; value?: unknown };
      if (typeof e !== "object" || e === null || e.format !== STAGE_FORMAT || e.kind !== kind || e.key !== key) throw new Error("not this entry");
      this.counts.read++;
      return e.value;
    } catch {
      this.counts.corrupt++;
      return undefined;
    }
  }

  write(kind: string, key: string, value: unknown): void {
    const path = this.path(kind, key);
    if (writeDigested(path, JSON.stringify({ format: STAGE_FORMAT, kind, key, value }), `${path}.${process.pid}-${this.tmp++}.tmp`)) this.counts.written++;
  }

  /** Keeps at most MAX_STAGE_ENTRIES entries, those of `keep` (this build's, as `<kind>-<key>`) always; stale temporaries go. */
  prune(keep: ReadonlySet<string>, now = Date.now()): void {
    pruneDigested(this.dir, ".stage", keep, MAX_STAGE_ENTRIES, now);
  }
}

/**
 * One build's view of the stage entries: keys (over the build's base: tool, environment, config),
 * values read, and the values to record once the build has succeeded. With a memory (--watch), the
 * values of the last builds are answered without reading the folder.
 */
export class StageCache {
  private readonly pending = new Map<string, { kind: string; key: string; value: unknown }>();
  /** Stages whose value this build took from the cache. */
  readonly taken = new Set<string>();
  constructor(
    readonly store: StageStore,
    /** Digest of what every stage depends on: the engine, the environment, the config. */
    private readonly base: string,
    private readonly memory?: Map<string, unknown>,
  ) {}

  /** The key of a stage's entry: the build's base and the stage's own inputs (as text or digests). */
  key(kind: string, ...parts: string[]): string {
    return digest("stage", kind, String(STAGE_FORMAT), this.base, ...parts);
  }

  /** The recorded value, or undefined (the stage then runs, and the caller checks the value's shape before using it). */
  read(kind: string, key: string): unknown {
    const held = this.memory?.get(`${kind}-${key}`);
    return held !== undefined ? held : this.store.read(kind, key);
  }

  /** Records a stage's value for `key`, written once the build has succeeded (commit). */
  record(kind: string, key: string, value: unknown): void {
    this.pending.set(kind, { kind, key, value });
  }

  /** The stage's value was taken from the cache under `key`: kept (in memory, and from pruning). */
  reused(kind: string, key: string, value: unknown): void {
    this.taken.add(kind);
    this.pending.set(kind, { kind, key, value: undefined });
    this.hold(`${kind}-${key}`, value);
  }

  /** --watch holds the values of the last few builds, the most recent last. */
  private hold(name: string, value: unknown): void {
    if (!this.memory) return;
    this.memory.delete(name);
    this.memory.set(name, value);
    if (this.memory.size > HELD_IN_MEMORY) for (const k of [...this.memory.keys()].slice(0, this.memory.size - HELD_IN_MEMORY)) this.memory.delete(k);
  }

  /** After a successful build: writes the values recorded, and bounds the folder. */
  commit(prune: boolean): void {
    if (!this.pending.size) return;
    for (const { kind, key, value } of this.pending.values()) {
      if (value === undefined) continue;
      this.store.write(kind, key, value);
      this.hold(`${kind}-${key}`, value);
    }
    if (prune) this.store.prune(new Set([...this.pending.values()].map((p) => `${p.kind}-${p.key}`)));
  }
}
