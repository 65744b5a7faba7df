#!/usr/bin/env node
// `npm run build` starts here. Loading ~150 TypeScript modules one by one through the TypeScript
// loader costs more than the build itself, so this launcher bundles the engine and this
// repository's definitions into one module with esbuild (tens of milliseconds) and runs that.
// --watch (which re-imports modules on every change) runs scripts/build.ts through the TypeScript
// loader instead, as does GRAFANA_AS_CODE_NO_BUNDLE=1.
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";
import { debugRequested, describeFailure } from "../src/cli/report.mjs";
import { bundlePath, claimBundle, pruneBundles, removeLegacyBundles, sidecarPath, sourcesDigests, writeBundle, writeSidecar } from "../src/pipeline/bundleCache.mjs";
import { runBundle } from "../src/pipeline/codeCache.mjs";
import { DigestRecord, digestRecordPath } from "../src/pipeline/digestRecord.mjs";
import { existingDelta, makeDelta, rememberBase, splitSources } from "../src/pipeline/deltaBundle.mjs";
import { bundleDefinitions } from "../src/pipeline/sources.mjs";
import { bundleRun, loadedPackages, loadVendor } from "../src/pipeline/vendor.mjs";
import { checkUpToDate, inputsDigest, noopOptions, outputDigests, recordPath } from "../src/pipeline/upToDate.mjs";
import { capYoungGeneration, steerYoungGeneration } from "../src/pipeline/youngGeneration.mjs";
import { REPO_ROOT as ROOT, ROOT_FROM_LAUNCHER } from "../src/repoRoot.mjs";

const args = process.argv.slice(2);
const viaLoader = process.env.GRAFANA_AS_CODE_NO_BUNDLE || args.includes("--watch");
// --dashboards <dir>: definitions discovered there instead (resolved as scripts/build.ts does).
const dashboardsArg = args.findIndex((a) => a === "--dashboards" || a.startsWith("--dashboards="));
const dashboardsDir =
  dashboardsArg < 0
    ? join(ROOT, "dashboards")
    : resolve(args[dashboardsArg].includes("=") ? args[dashboardsArg].split("=").slice(1).join("=") : (args[dashboardsArg + 1] ?? ""));

// Sources are checked (UTF-8, syntax, import cycles) before any is loaded, on both paths and with
// the same messages; --watch checks them again on every rebuild (src/commands/watch.ts).
const debug = debugRequested();
try {
  if (viaLoader) {
    if (!args.includes("--watch") && !(await sourcesOk())) process.exit(1);
    // Both hooks, as `node --import tsx` installs them: definition files outside this package are
    // CommonJS to Node (no "type": "module" above them).
    (await import("tsx/cjs/api")).register();
    (await import("tsx/esm/api")).register();
    await import(pathToFileURL(join(ROOT, "scripts/build.ts")).href);
  } else {
    // A one-shot build: the young generation capped (src/pipeline/youngGeneration.mjs), from the
    // start so that it grows to the cap and no further. A flag given on the command line wins.
    const given = `${process.execArgv.join(" ")} ${process.env.NODE_OPTIONS ?? ""}`;
    if (!given.includes("semi-space")) capYoungGeneration();
    // Kept under node_modules/.cache and reused until a source file changes (its name is a digest
    // of their paths and contents), so an unchanged tree does not even start esbuild. The engine
    // finds the repository by walking up to package.json, which works from there too.
    // Each file's digest is reused while its stat is unchanged (src/pipeline/digestRecord.mjs).
    const recordKey = `${ROOT}\0${dashboardsDir}`;
    const digests = new DigestRecord(digestRecordPath(recordKey), { key: recordKey });
    const files = new Map();
    const { bundle: digest, tool } = sourcesDigests(ROOT, dashboardsDir, { digests, files });
    const upToDate = noopAnswered(digest, digests);
    const lock = upToDate ? "" : digests.of(join(ROOT, "package-lock.json"));
    digests.save();
    if (upToDate) process.exit(0);
    const bundle = bundlePath(digest);
    let split;
    const splitNow = () => (split ??= splitSources(files, { root: ROOT, dashboardsDir, tool, lock }));
    // A change to a few definitions: only they are bundled again, run before the last full bundle
    // (src/pipeline/deltaBundle.mjs). Not with --no-cache (a cold build makes its full bundle) nor
    // with build workers (they load the full bundle alone).
    let delta;
    if (!claimBundle(bundle)) {
      if (!args.includes("--no-cache") && !process.env.GRAFANA_AS_CODE_WORKERS) {
        delta = existingDelta(digest, recordKey) ?? (await makeDelta({ root: ROOT, dashboardsDir, digest, key: recordKey, split: splitNow() }));
        if (delta?.problems) {
          printProblems(delta.problems);
          process.exit(1);
        }
      }
      if (!delta && !(await writeBundle(bundle, (tmp) => sourcesOk(tmp, bundle)))) process.exit(1);
      // Only a run that added a bundle can have made the folder grow: one that reused its bundle
      // does not list and stat every file in it.
      if (!delta || delta.made) pruneBundles();
    }
    if (!delta) rememberBase(bundle, recordKey, splitNow);
    if (debug) console.error(`debug: bundle: ${!delta ? "full" : delta.made ? `delta of ${delta.definitions.length} definition(s) (${delta.definitions.map((f) => relative(process.cwd(), f)).join(", ")}) over ${relative(process.cwd(), delta.base)}` : `delta made earlier, over ${relative(process.cwd(), delta.base)}`}`);
    const run = delta?.delta ?? bundle;
    removeLegacyBundles(); // one listing of src/pipeline: what an earlier launcher left there
    globalThis[ROOT_FROM_LAUNCHER] = ROOT; // the bundle's engine builds this project, wherever the bundle sits
    // The engine's digest, for the build cache's keys, from the sources this bundle was made of.
    globalThis[Symbol.for("grafana-as-code.toolDigest")] = { root: ROOT, digest: tool };
    // Every source file's digest, from the same walk: the build cache keys definitions by them (src/cache/keys.ts).
    globalThis[Symbol.for("grafana-as-code.sourceDigests")] = { root: ROOT, digests: files };
    // The bundle's import graph, which keys the build cache (the engine computes it when it is missing).
    if (existsSync(sidecarPath(run, "meta.json"))) globalThis[Symbol.for("grafana-as-code.importGraph")] = sidecarPath(run, "meta.json");
    // A one-shot build: the old generation grows by half its live size between full collections
    // instead of V8's up to fourfold (1,000 dashboards: about 175 MiB peak instead of 235, for a
    // few per cent more collector time). A flag given on the command line wins.
    if (!given.includes("heap-growing-percent")) setFlagsFromString("--heap-growing-percent=50");
    // Full collections done whole when the old generation reaches its limit, not marked step by
    // step as the build runs: a one-shot build wants throughput, not short pauses (this
    // repository's build: ~7% fewer instructions, a one-dashboard build no longer ends with a
    // collection; 200 dashboards: ~3% fewer instructions). A flag given wins.
    if (!given.includes("incremental-marking")) setFlagsFromString("--no-incremental-marking");
    steerYoungGeneration();
    await loadVendor(ROOT, delta?.base ?? bundle);
    steerYoungGeneration();
    // Packages are loaded at first use (src/pipeline/vendor.mjs): which ones this run needed.
    if (debug) process.on("exit", () => console.error(`debug: packages loaded: ${loadedPackages().join(", ") || "none"}`));
    if (delta) {
      globalThis[Symbol.for("grafana-as-code.deltaBundle")] = delta.delta; // no build workers over a delta
      await runBundle(delta.delta); // its definitions' loaders, taken before the base's (importDefinition.ts)
    }
    await runBundle(delta?.base ?? bundle); // through V8's code cache (src/pipeline/codeCache.mjs)
  }
} catch (e) {
  const { text, exitCode } = describeFailure(e, { debug });
  console.error(text);
  process.exit(exitCode);
}

/**
 * The whole-build no-op (src/pipeline/upToDate.mjs): true when the inputs and the tree are those of
 * the last successful build into the same folder, after printing what that build printed besides
 * its summary (lint warnings) and one "up to date" line. Otherwise hands the build the inputs'
 * digest, which it records once it succeeds. A --check that would fail falls through too, so the
 * real comparison names the differences.
 */
function noopAnswered(bundleDigest, digests) {
  const started = performance.now();
  const options = noopOptions(args, process.cwd(), ROOT);
  if (!options) return false;
  const inputs = inputsDigest({ root: ROOT, options, bundleDigest, digests });
  const record = recordPath(options.out);
  globalThis[Symbol.for("grafana-as-code.upToDate")] = { inputs, record };
  const outputs = outputDigests(options.out);
  const verdict = checkUpToDate({ out: options.out, inputs, record, digests: outputs });
  if (debug) console.error(`debug: output files read and hashed by the no-op check: ${outputs.reads}`);
  if (!verdict.upToDate) {
    if (debug) console.error(`debug: whole build runs: ${verdict.reason}`);
    return false;
  }
  outputs.save();
  const { printed, files, env } = verdict.record;
  if (printed) console.log(process.stdout.isTTY ? printed.color : printed.plain);
  const where = relative(process.cwd(), options.out) || ".";
  const ms = Math.round(performance.now() - started);
  console.log(`${where}/ is up to date (${Object.keys(files).filter((p) => p !== ".manifest.json").length} files, env ${env}, ${ms} ms): inputs and files unchanged since the last build, nothing rebuilt`);
  return true;
}

/**
 * Checks the sources (and bundles them into `outfile` when given, with its import graph and source
 * map beside `bundle`, where the bundle is renamed to once this returns true); prints the problems,
 * if any.
 */
async function sourcesOk(outfile, bundle) {
  const options = { root: ROOT, dashboardsDir, outfile };
  // A run's packages in a vendor file beside the bundle (src/pipeline/vendor.mjs).
  const { problems, metafile: graph, sourceMap } = bundle ? await bundleRun(bundleDefinitions, { ...options, bundle }) : await bundleDefinitions(options);
  if (!problems.length) {
    if (bundle && graph) writeSidecar(bundle, "meta.json", JSON.stringify({ inputs: graph.inputs }));
    if (bundle && sourceMap) writeSidecar(bundle, "map", sourceMap);
    return true;
  }
  printProblems(problems);
  return false;
}

/** The sources' problems, in the format of formatProblem() in src/errors.ts, which this plain-JavaScript file cannot load. */
function printProblems(problems) {
  for (const p of problems) console.error(`error[${p.code}] ${p.file ? `${p.file}: ` : ""}${p.message}`);
  console.error(`\nbuild failed: ${problems.length} problem(s); nothing was written`);
}
