// TSDB blocks kept between previews. The generated series are deterministic (seed, catalog, window),
// so the blocks promtool makes from them are too: the first preview writes them under
// node_modules/.cache/grafana-as-code/preview/tsdb/<key>/, later ones link them into a fresh data
// directory and skip generating OpenMetrics and running promtool. An entry holds a manifest
// (size and SHA-256 of every file), written last; an entry that does not match it is rebuilt.
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";

export interface BlockCache {
  /** Folder of the entries, e.g. node_modules/.cache/grafana-as-code/preview/tsdb. */
  dir: string;
  /** Digest of everything the blocks depend on (blockCacheKey). */
  key: string;
}

const MANIFEST = "manifest.json";
/** Entries kept, most recently used first (one per seed, catalog, window in use). */
const KEEP = 4;

/**
 * The key of the blocks made from `inputs` (plain data: metrics, targets, window, seed): it also
 * covers the generator's code (this folder's sources) and the promtool binary that writes the blocks.
 */
export function blockCacheKey(inputs: unknown, promtool: string): string {
  const h = createHash("sha256").update(JSON.stringify(inputs));
  for (const f of readdirSync(import.meta.dirname)
    .filter((n) => /\.(ts|mjs|js)$/.test(n))
    .sort()) {
    h.update(`\0${f}\0`).update(readFileSync(join(import.meta.dirname, f)));
  }
  const real = realpathSync(promtool);
  const st = statSync(real);
  h.update(`\0${real}\0${st.size}\0${st.mtimeMs}`);
  return h.digest("hex").slice(0, 32);
}

/** Path of a verified entry for `cache.key`, made with `create(dir)` (which fills dir with blocks) when absent or corrupt. */
export async function cachedBlocks(cache: BlockCache, create: (dir: string) => Promise<void>): Promise<string> {
  const entry = join(cache.dir, cache.key);
  if (verify(entry)) {
    const now = new Date();
    utimesSync(join(entry, MANIFEST), now, now);
    return entry;
  }
  rmSync(entry, { recursive: true, force: true });
  mkdirSync(cache.dir, { recursive: true });
  const tmp = `${entry}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    await create(tmp);
    writeFileSync(join(tmp, MANIFEST), JSON.stringify(manifestOf(tmp), null, 1));
    try {
      renameSync(tmp, entry);
    } catch (e) {
      // Another preview made the same entry meanwhile: theirs is as good as ours.
      if (!verify(entry)) throw e;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  prune(cache.dir);
  return entry;
}

/**
 * Fills `to` with the entry's blocks as hard links (Prometheus never rewrites a block's files, it
 * writes new blocks and removes old folders), copies where links are refused (another filesystem).
 */
export function linkBlocks(entry: string, to: string): void {
  for (const rel of files(entry)) {
    if (rel === MANIFEST) continue;
    const target = join(to, rel);
    mkdirSync(join(target, ".."), { recursive: true });
    try {
      linkSync(join(entry, rel), target);
    } catch {
      copyFileSync(join(entry, rel), target);
    }
  }
}

type Manifest = Record<string, { size: number; sha256: string }>;

function manifestOf(dir: string): Manifest {
  const out: Manifest = {};
  for (const rel of files(dir)) {
    if (rel === MANIFEST) continue;
    const bytes = readFileSync(join(dir, rel));
    out[rel] = { size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
  }
  return out;
}

/** True when the entry exists, holds at least one block and every file matches its manifest. */
function verify(entry: string): boolean {
  try {
    const want = JSON.parse(readFileSync(join(entry, MANIFEST), "utf8")) as Manifest;
    const have = manifestOf(entry);
    const names = Object.keys(want).sort();
    if (!names.some((n) => n.endsWith("/meta.json"))) return false;
    if (names.join("\0") !== Object.keys(have).sort().join("\0")) return false;
    return names.every((n) => have[n].size === want[n]?.size && have[n].sha256 === want[n]?.sha256);
  } catch {
    return false;
  }
}

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)));
    }
  };
  walk(dir);
  return out.sort();
}

/** Keeps the KEEP most recently used entries; removes leftovers of makers that died (older than an hour). */
function prune(dir: string): void {
  const entries = readdirSync(dir).map((name) => {
    const manifest = join(dir, name, MANIFEST);
    const at = existsSync(manifest) ? statSync(manifest).mtimeMs : statSync(join(dir, name)).mtimeMs;
    return { name, at, done: existsSync(manifest) && !name.includes(".tmp-") };
  });
  const done = entries.filter((e) => e.done).sort((a, b) => b.at - a.at || a.name.localeCompare(b.name));
  const stale = entries.filter((e) => !e.done && Date.now() - e.at > 3600_000);
  for (const e of [...done.slice(KEEP), ...stale]) rmSync(join(dir, e.name), { recursive: true, force: true });
}
