// The build cache held in memory between the builds of one process (--watch, src/cache/memory.ts):
// a tree built from held entries is the tree built without any cache, byte for byte; a held
// dashboard goes through every check and lint without being changed (it is the same object in the
// next build); a file saved back to what it was is answered from memory; only the files the caller
// names as changed are read again.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runBuild, type BuildCommandOptions } from "../../src/commands/build.js";
import { createCacheMemory, forgetFiles, type CacheMemory } from "../../src/cache/memory.js";
import { REPO_CONTENT } from "../../scripts/content.js";
import { generateDashboards } from "../../bench/generate.js";
import { readFiles } from "../fixtures/outputTree.js";

const tmp = mkdtempSync(join(tmpdir(), "build-memory-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = (name: string) => join(tmp, `${name}-${n++}`);

async function build(dir: string, opts: Partial<BuildCommandOptions> & { cacheDir?: string; memory?: CacheMemory } = {}) {
  const out = fresh("out");
  generation++;
  const { cacheDir, memory, ...rest } = opts;
  const r = await runBuild({ content: REPO_CONTENT, out, dashboardsDir: dir, ...rest, cache: cacheDir ? { dir: cacheDir, memory } : undefined });
  return { tree: readFiles(out), counts: r.cache, lint: r.lint && { findings: r.lint.findings, rules: r.lint.rules } };
}

/** Definitions imported afresh for each build, as --watch imports them (importDefinition.ts). */
let generation = 0;
const PRELOADED = Symbol.for("grafana-as-code.preloadedDefinitions");
(globalThis as Record<symbol, unknown>)[PRELOADED] = { get: (file: string) => () => import(`${pathToFileURL(file).href}?gen=${generation}`) };
afterAll(() => delete (globalThis as Record<symbol, unknown>)[PRELOADED]);

function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== "object" || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const x of Object.values(v)) deepFreeze(x);
}

describe("the build cache in memory", () => {
  it("builds the tree an uncached build does, from held entries, without reading any entry back", async () => {
    const dir = generateDashboards(fresh("defs"), 4);
    const plain = await build(dir, { lint: true });
    const memory = createCacheMemory();
    const opts = { cacheDir: fresh("cache"), memory, lint: true };
    const first = await build(dir, opts);
    expect(memory.counts).toEqual({ fromDisk: 0, fromMemory: 0 });
    const held = await build(dir, opts);
    expect(held.counts).toMatchObject({ reused: 4, built: 0, checked: 0 });
    expect(memory.counts).toEqual({ fromDisk: 0, fromMemory: 4 });
    for (const r of [first, held]) {
      expect(r.tree).toEqual(plain.tree);
      expect(r.lint).toEqual(plain.lint);
    }
  });

  it("takes entries from disk into memory once, then holds them", async () => {
    const dir = generateDashboards(fresh("defs"), 3);
    const cacheDir = fresh("cache");
    await build(dir, { cacheDir });
    const memory = createCacheMemory();
    await build(dir, { cacheDir, memory });
    expect(memory.counts).toEqual({ fromDisk: 3, fromMemory: 0 });
    const again = await build(dir, { cacheDir, memory });
    expect(memory.counts).toEqual({ fromDisk: 3, fromMemory: 3 });
    expect(again.tree).toEqual((await build(dir)).tree);
  });

  it("a held dashboard passes every check and lint unchanged: frozen, re-checked, the same tree", async () => {
    const dir = generateDashboards(fresh("defs"), 3);
    const memory = createCacheMemory();
    const cacheDir = fresh("cache");
    await build(dir, { cacheDir, memory, lint: false });
    for (const h of memory.entries.values()) for (const d of h.objects.values()) deepFreeze(d);
    // Lint turned on: every dashboard is re-checked and linted, each the held (frozen) object.
    const linted = await build(dir, { cacheDir, memory, lint: true });
    expect(linted.counts).toMatchObject({ reused: 3, built: 0, checked: 3 });
    expect(linted.tree).toEqual((await build(dir, { lint: true })).tree);
    expect(linted.lint).toEqual((await build(dir, { lint: true })).lint);
  });

  it("a file saved back to what it was is answered from memory; only the files named changed are read again", async () => {
    const dir = generateDashboards(fresh("defs"), 3);
    const memory = createCacheMemory();
    const opts = { cacheDir: fresh("cache"), memory };
    const before = await build(dir, opts);
    const file = join(dir, "svc-0002.ts");
    const original = readFileSync(file, "utf8");
    writeFileSync(file, original.replace('"svc-0002 overview"', '"svc-0002 overview, edited"'));
    // Not named as changed: its digest is the one held, so nothing is rebuilt.
    expect((await build(dir, opts)).counts).toMatchObject({ reused: 3, built: 0 });
    forgetFiles(memory, [file]);
    const edited = await build(dir, opts);
    expect(edited.counts).toMatchObject({ reused: 2, built: 1, builtUids: ["svc-0002-overview"] });
    expect(edited.tree["grafana/provisioning/dashboards/services/svc-0002-overview.json"]).toContain("svc-0002 overview, edited");
    expect(edited.tree).toEqual((await build(dir)).tree);

    writeFileSync(file, original);
    forgetFiles(memory, [file]);
    const fromMemory = memory.counts.fromMemory;
    const restored = await build(dir, opts);
    expect(restored.counts).toMatchObject({ reused: 3, built: 0 });
    expect(memory.counts.fromMemory - fromMemory).toBe(3);
    expect(restored.tree).toEqual(before.tree);
  });
});
