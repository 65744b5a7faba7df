#!/usr/bin/env node
// Starts the benchmark's floor (bench/floor.ts) exactly as scripts/launch.mjs starts a build: the
// sources digested (through the same record of file digests), a bundle of the floor with the
// definitions of DIR reused from node_modules/.cache when one exists (made with the same esbuild
// call otherwise), then run, it and its vendor file of packages through the same V8 code cache
// (src/pipeline/codeCache.mjs).
// Usage: node bench/floor-launch.mjs DIR OUT
import { join, resolve } from "node:path";
import { bundlePath, claimBundle, pruneBundles, sourcesDigest, writeBundle } from "../src/pipeline/bundleCache.mjs";
import { runBundle } from "../src/pipeline/codeCache.mjs";
import { DigestRecord, digestRecordPath } from "../src/pipeline/digestRecord.mjs";
import { bundleDefinitions } from "../src/pipeline/sources.mjs";
import { bundleRun, loadVendor } from "../src/pipeline/vendor.mjs";
import { CACHE_DIR, REPO_ROOT as ROOT } from "../src/repoRoot.mjs";

const dashboardsDir = resolve(process.argv[2] ?? "");
const entry = join(ROOT, "bench/floor.ts");
const recordKey = `floor\0${ROOT}\0${dashboardsDir}`;
const digests = new DigestRecord(digestRecordPath(recordKey), { key: recordKey });
const bundle = bundlePath(sourcesDigest(ROOT, dashboardsDir, [entry], digests), join(CACHE_DIR, "bench-floor"));
digests.save();
if (!claimBundle(bundle)) {
  if (!(await writeBundle(bundle, async (outfile) => !(await bundleRun(bundleDefinitions, { root: ROOT, dashboardsDir, outfile, entry, bundle })).problems.length))) {
    console.error(`floor: the definitions in ${dashboardsDir} do not bundle`);
    process.exit(1);
  }
  pruneBundles(join(CACHE_DIR, "bench-floor")); // as the launcher: only after adding one
}
await loadVendor(ROOT, bundle);
await runBundle(bundle);
