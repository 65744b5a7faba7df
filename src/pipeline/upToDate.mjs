// The whole-build no-op: a build's output is a function of its inputs, so when every input is what
// it was at the last successful build into the same folder, and every file of that folder still
// holds what that build wrote (hashed, or known by an unchanged stat from an earlier no-op's digest
// record, as the inputs are: a hand edit or a deletion is seen), the launcher
// says "up to date" without loading the engine. Any doubt (no record, a corrupt one, another tool
// version, a file more or less on disk) means a real build. Plain JavaScript, for the launcher.
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { sourcesDigest } from "./bundleCache.mjs";
import { DigestRecord, digestRecordPath, fileDigest, filesIn } from "./digestRecord.mjs";
import { CACHE_DIR } from "../repoRoot.mjs";

export const RECORD_DIR = join(CACHE_DIR, "up-to-date");
/** Bumped whenever what a record holds, or what it is compared with, changes meaning. */
export const RECORD_FORMAT = 3;

/** Files at the root the build reads besides the source folders (tsconfig: esbuild reads it). */
const ROOT_FILES = ["package.json", "package-lock.json", "tsconfig.json", "lint-exclusions.yaml"];
/** Folders the build reads that the bundle's digest does not cover (JSON Schemas, alert runbooks). */
const EXTRA_DIRS = ["schemas", "docs/runbooks"];
/** Environment variables that change what a build reads or does (GRAFANA_AS_CODE_DEBUG only prints). */
const ENV_VARS = /^GRAFANA_(REFERENCE_SCHEMAS$|AS_CODE_(?!DEBUG$))/;

/** `npm run build`'s options (scripts/build.ts parses with these; the no-op reads the same table). */
export const BUILD_OPTIONS = {
  env: { type: "string", default: "dev" },
  out: { type: "string" },
  dashboards: { type: "string" },
  check: { type: "boolean", default: false },
  "allow-empty": { type: "boolean", default: false },
  watch: { type: "boolean", default: false },
  "reference-schemas": { type: "boolean", default: false },
  lint: { type: "boolean" },
  cache: { type: "boolean", default: true },
  debug: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
};

/**
 * The build's options when the command line is one the no-op may answer (a plain build or --check);
 * undefined for anything else (--watch, --no-cache, --help, a usage error: the real command handles it).
 */
export function noopOptions(argv, cwd = process.cwd(), root) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: BUILD_OPTIONS, allowPositionals: false, allowNegative: true, strict: true }));
  } catch {
    return undefined;
  }
  // These the real command handles: watching, building without the cache, printing the help.
  if (values.watch || !values.cache || values.help) return undefined;
  return {
    env: values.env,
    out: resolve(cwd, values.out ?? join(root, "build")),
    dashboardsDir: values.dashboards === undefined ? undefined : resolve(cwd, values.dashboards),
    check: values.check,
    allowEmpty: values["allow-empty"],
    referenceSchemas: values["reference-schemas"],
    lint: values.lint ?? null,
  };
}

// Every file below `dir` (links followed, dot-files skipped), in name order, by its digest.
function walkInto(hash, dir, digests) {
  for (const [full, st] of filesIn(dir)) {
    if (st.isDirectory()) walkInto(hash, full, digests);
    else hash.update(digests.of(full, st));
  }
}

/**
 * A digest of everything a build with these options reads: the sources the bundle is made of
 * (`bundleDigest`, see sourcesDigest), the files and folders above, the options that change the
 * output (not --check or --debug), the environment variables the engine reads, Node's version and
 * the reference schemas when they are asked for. Files by their digests from `digests`
 * (src/pipeline/digestRecord.mjs: the launcher's record, shared with the bundle's digest).
 */
export function inputsDigest({ root, options, bundleDigest, env = process.env, digests = new DigestRecord() }) {
  const dashboardsDir = options.dashboardsDir ?? join(root, "dashboards");
  const hash = createHash("sha256");
  hash.update(`format ${RECORD_FORMAT}\0node ${process.version}\0`);
  hash.update(bundleDigest ?? sourcesDigest(root, dashboardsDir, [], digests));
  for (const f of ROOT_FILES) hash.update(digests.of(join(root, f)));
  for (const d of EXTRA_DIRS) walkInto(hash, join(root, d), digests);
  const { check: _check, ...output } = options;
  hash.update(JSON.stringify({ ...output, dashboardsDir }));
  const vars = Object.keys(env).filter((k) => ENV_VARS.test(k)).sort();
  hash.update(JSON.stringify(vars.map((k) => [k, env[k]])));
  if (options.referenceSchemas) {
    const dir = env.GRAFANA_REFERENCE_SCHEMAS ? resolve(env.GRAFANA_REFERENCE_SCHEMAS) : resolve(root, "../shared/schemas/grafana-foundation-sdk");
    walkInto(hash, dir, digests);
  }
  return hash.digest("hex");
}

/** Where the record of the last successful build into `out` lives. */
export function recordPath(out, dir = RECORD_DIR) {
  return join(dir, `${createHash("sha256").update(resolve(out)).digest("hex").slice(0, 24)}.json`);
}

/**
 * The digests of the files in `out`, reused while a file's stat is unchanged (src/pipeline/digestRecord.mjs,
 * with its racily-clean rule): kept apart from the inputs' record, and saved only by a no-op, so a
 * build that never looked at its output does not drop them.
 */
export function outputDigests(out) {
  const key = `output\0${resolve(out)}`;
  return new DigestRecord(digestRecordPath(key), { key });
}

/** Every entry below `root` (files, links, anything but folders), relative, sorted. */
function listAll(root, dir = root, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) listAll(root, full, out);
    else out.push(full.slice(root.length + 1).split("\\").join("/"));
  }
  return out.sort();
}

/**
 * Whether the tree in `out` is what a build with inputs `inputs` produces, going by the record:
 * `{ upToDate: true, record }`, or `{ upToDate: false, reason }`.
 */
export function checkUpToDate({ out, inputs, record: file = recordPath(out), digests = new DigestRecord() }) {
  let record;
  try {
    record = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    return { upToDate: false, reason: e?.code === "ENOENT" ? "no record of an earlier build into this folder" : "the record of the last build is unreadable" };
  }
  const files = record?.files;
  if (record?.format !== RECORD_FORMAT || typeof record.inputs !== "string" || typeof files !== "object" || files === null || Array.isArray(files)) {
    return { upToDate: false, reason: "the record of the last build is not one this version writes" };
  }
  if (record.resolvedOut !== resolve(out)) return { upToDate: false, reason: "the record is of another folder" };
  if (record.inputs !== inputs) return { upToDate: false, reason: "inputs changed since the last build" };
  let onDisk;
  try {
    onDisk = listAll(resolve(out));
  } catch {
    return { upToDate: false, reason: "the output folder cannot be listed" };
  }
  const recorded = Object.keys(files).sort();
  if (onDisk.length !== recorded.length || onDisk.some((p, i) => p !== recorded[i])) {
    return { upToDate: false, reason: "the output folder holds other files than the last build wrote" };
  }
  for (const p of recorded) {
    const full = join(resolve(out), p);
    try {
      const st = lstatSync(full, { bigint: true });
      if (!st.isFile() || digests.of(full, st) !== files[p]) return { upToDate: false, reason: `${p} differs from what the last build wrote` };
    } catch {
      return { upToDate: false, reason: `${p} cannot be read` };
    }
  }
  return { upToDate: true, record };
}

/**
 * Records a successful build (or a --check that found the tree current): its inputs' digest, the
 * digest of every file it left in `out` (`files`: path and text, the manifest included) and what it
 * printed besides its summary (lint warnings, plain and coloured), for the next no-op to repeat.
 */
export function writeRecord({ out, inputs, env, files, printed = null, record: file = recordPath(out) }) {
  const value = {
    format: RECORD_FORMAT,
    resolvedOut: resolve(out),
    inputs,
    env,
    // The text hashed as it is (the hash encodes it as UTF-8): no buffer per file, tens of megabytes at 1,000 dashboards.
    files: Object.fromEntries([...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => [f.path, fileDigest(join(resolve(out), f.path), f.content)])),
    printed,
  };
  mkdirSync(join(file, ".."), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Forgets the record of `out` (a build about to write it, or one that failed). */
export function dropRecord(out, file = recordPath(out)) {
  rmSync(file, { force: true });
}
