// A build killed at any point of its write leaves every file old or new and every folder in place;
// the next build cleans up after it. Two builds at once: one waits for the other, and the tree ends
// complete and equal to one of them.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDashboards } from "../../bench/generate.js";
import { LOCK, MANIFEST, TEMP_FILE } from "../../src/pipeline/treeState.js";
import { build, dirInodes, killStarted, readFiles, startBuild } from "../fixtures/outputTree.js";

const tmp = mkdtempSync(join(tmpdir(), "write-kill-"));
afterAll(() => {
  killStarted();
  rmSync(tmp, { recursive: true, force: true });
});

// Old: svc-0001..3 (dev). New: svc-0001 renamed, svc-0002 gone, svc-0003 as is, svc-0004 added (prod).
const defsA = generateDashboards(join(tmp, "defs-a"), 3);
const defsB = generateDashboards(join(tmp, "defs-b"), 4);
rmSync(join(defsB, "svc-0002.ts"));
const first = join(defsB, "svc-0001.ts");
writeFileSync(first, readFileSync(first, "utf8").replace('title: "svc-0001 overview"', 'title: "svc-0001 renamed"'));
const TO_A = (out: string) => ["--dashboards", defsA, "--out", out];
const TO_B = (out: string) => ["--dashboards", defsB, "--out", out, "--env", "prod"];

let A: Record<string, string>;
let B: Record<string, string>;
beforeAll(async () => {
  const [a, b] = await Promise.all([build(TO_A(join(tmp, "ref-a"))), build(TO_B(join(tmp, "ref-b")))]);
  expect(a.status, a.stderr).toBe(0);
  expect(b.status, b.stderr).toBe(0);
  A = readFiles(join(tmp, "ref-a"));
  B = readFiles(join(tmp, "ref-b"));
});

const isBookkeeping = (p: string) => p === LOCK || TEMP_FILE.test(p.split("/").pop()!);

/** Every file is the old or the new version; no file both trees have is missing. */
function expectOldOrNew(out: string) {
  const now = readFiles(out);
  for (const [p, content] of Object.entries(now)) {
    if (isBookkeeping(p)) continue;
    expect([A[p], B[p]], p).toContain(content);
  }
  for (const p of Object.keys(A)) if (p in B) expect(now, p).toHaveProperty([p]);
}

describe("a build killed while writing", () => {
  it("leaves every file old or new at each point, every folder in place; the next build completes and leaves no litter", async () => {
    const changed = Object.keys(B).filter((p) => A[p] !== B[p]).length; // manifest included
    const removed = Object.keys(A).filter((p) => !(p in B)).length;
    expect(changed).toBeGreaterThan(3);
    expect(removed).toBe(1);
    // Steps: one temporary file per changed file, then one rename or removal each, the manifest last.
    const total = 2 * changed + removed;
    const points = [1, changed, changed + 1, total - 1, total];
    await Promise.all(
      points.map(async (n) => {
        const out = join(tmp, `killed-${n}`);
        cpSync(join(tmp, "ref-a"), out, { recursive: true });
        const inodes = dirInodes(out);
        const b = startBuild(TO_B(out), { GRAFANA_AS_CODE_TEST_WRITE_PAUSE: String(n) });
        await b.waitFor(`write paused after ${n} steps`);
        b.child.kill("SIGKILL");
        await b.exited;

        expectOldOrNew(out);
        expect(dirInodes(out), `folders after a kill at step ${n}`).toEqual(inodes);
        const files = readFiles(out);
        const temps = Object.keys(files).filter((p) => TEMP_FILE.test(p.split("/").pop()!));
        // temporary files written and not yet renamed: the next build removes them
        const renamed = n <= changed ? 0 : Math.min(n - changed, changed - 1) + (n === total ? 1 : 0);
        expect(temps.length, `temporary files after a kill at step ${n}`).toBe(Math.min(n, changed) - renamed);
        if (n === total) expect(Object.fromEntries(Object.entries(files).filter(([p]) => !isBookkeeping(p)))).toEqual(B);
        if (n === 1) expect(files[MANIFEST]).toBe(A[MANIFEST]);

        const next = await build(TO_B(out));
        expect(next.status, next.stderr).toBe(0);
        expect(readFiles(out), `tree after the build following a kill at step ${n}`).toEqual(B);
        expect(dirInodes(out)).toEqual(inodes);
      }),
    );
  }, 300_000); // ten builds of the command line (five at a time)
});

describe("two builds at once", () => {
  it("the second waits for the first; when the first is killed it takes over and the tree is the second's, complete", async () => {
    const out = join(tmp, "waiting");
    cpSync(join(tmp, "ref-a"), out, { recursive: true });
    // holds the lock after renaming its first file (so the tree is mixed) ...
    const changed = Object.keys(B).filter((p) => A[p] !== B[p]).length;
    const holder = startBuild(TO_B(out), { GRAFANA_AS_CODE_TEST_WRITE_PAUSE: String(changed + 1) });
    await holder.waitFor(`write paused after ${changed + 1} steps`);
    // ... while another build of the old tree starts and waits
    const waiting = startBuild(TO_A(out));
    await waiting.waitFor(`waiting for another build (pid ${holder.child.pid}`);
    expect(readFiles(out)).not.toEqual(A);
    holder.child.kill("SIGKILL");
    expect(await waiting.exited, waiting.output()).toBe(0);
    expect(readFiles(out)).toEqual(A);
  });

  it("two builds started together: both succeed and the tree is exactly one of them", async () => {
    const out = join(tmp, "race");
    cpSync(join(tmp, "ref-a"), out, { recursive: true });
    const [a, b] = await Promise.all([build(TO_A(out)), build(TO_B(out))]);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    const final = readFiles(out);
    expect([A, B]).toContainEqual(final);
  });
});
