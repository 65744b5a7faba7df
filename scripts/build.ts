// npm run build [-- --env prod] [--out DIR] [--check]
import { parseCommandLine } from "../src/cli/args.js";
import { existsSync, readFileSync, statSync } from "node:fs";
import { relative, resolve } from "node:path";
import { BuildError, EXIT, formatProblem, UserError } from "../src/errors.js";
import { definitionFiles } from "../src/pipeline/collect.js";
import { runBuild } from "../src/commands/build.js";
import { REPO_CONTENT } from "./content.js";
import { foreignWarning, withManifest } from "../src/pipeline/write.js";
import { BUILD_OPTIONS, writeRecord } from "../src/pipeline/upToDate.mjs";
import { formatHuman } from "../src/lint/format.js";
import { isSystemError, runCommand } from "../src/cli/report.mjs";
import { REPO_ROOT } from "../src/pipeline/collect.js";
import { buildWorkerJob } from "../src/pipeline/parallelWorker.js";
import { serveBuildWorker } from "../src/commands/buildWorker.js";

const HELP = `Usage: npm run build -- [options]

Builds dashboards, datasources and Prometheus configuration into a provisioning tree.

Options:
  --env <name>   environment from config/environments.ts (default: dev)
  --out <dir>    output root (default: build/)
  --dashboards <dir>
                 where dashboard definitions are discovered (default: dashboards/)
  --check        do not write; exit 1 and list the files that differ from the built tree
  --allow-empty  allow removing every dashboard or every rule file of the tree (refused otherwise)
  --watch        rebuild on every change of a definition, the config or the catalog;
                 rewrites only changed files and keeps the last good tree on errors
  --lint / --no-lint
                 lint the tree (default: on for this repository's dashboards, off for --dashboards elsewhere)
  --no-cache     build every dashboard afresh: neither read nor write the build cache
                 (node_modules/.cache/grafana-as-code/dashboards, safe to delete)
  --reference-schemas
                 also validate dashboards against Grafana's published JSON Schemas
                 ($GRAFANA_REFERENCE_SCHEMAS or ../shared/schemas/grafana-foundation-sdk)
  --debug        print the stack trace of a failure (also GRAFANA_AS_CODE_DEBUG=1)
  -h, --help     show this help

Exit status: 0 built (or up to date with --check), 1 invalid definitions or config (or a stale tree
with --check), 2 bad usage, 3 a file or directory that cannot be read or written.`;

/** Changed files named one per line in the summary; more are only counted. */
const MAX_LISTED = 20;

/** A failed write that does not say where (ENOSPC from a write names no file): the output folder. */
function withOutputPath(e: unknown, out: string | undefined): unknown {
  if (isSystemError(e) && !e.path) e.path = `${resolve(out ?? resolve(REPO_ROOT, "build"))} (writing the tree)`;
  return e;
}

async function main(): Promise<number> {
  const args = parseCommandLine(
    {
      options: BUILD_OPTIONS,
      allowPositionals: false,
      allowNegative: true,
    },
    HELP,
  );
  if (typeof args === "number") return args;
  const dashboardsDir = args.dashboards === undefined ? undefined : resolve(args.dashboards);
  if (dashboardsDir !== undefined) {
    // A mistyped path must not build (and write) a tree without dashboards.
    const kind = !existsSync(dashboardsDir)
      ? "does not exist"
      : !statSync(dashboardsDir).isDirectory()
        ? "is not a directory"
        : definitionFiles(dashboardsDir).length === 0
          ? "holds no dashboard definitions (<name>.ts or <name>/index.ts)"
          : undefined;
    if (kind) return writeFailure(new UserError(`--dashboards ${args.dashboards}: ${kind}`, EXIT.usage, dashboardsDir));
  }
  if (args.watch) {
    const { startWatch } = await import("../src/commands/watch.js");
    try {
      await startWatch({ contentModule: new URL("./content.ts", import.meta.url).href, env: args.env, out: args.out, dashboardsDir, allowEmpty: args["allow-empty"], cache: args.cache });
    } catch (e) {
      // --watch re-imports the engine for each build, so its error classes are other instances: match by name.
      if (e instanceof Error && e.name === "UserError") return writeFailure(e as UserError);
      if (!(e instanceof BuildError)) throw withOutputPath(e, args.out);
      console.error(e.problems.map(formatProblem).join("\n") + "\n\nbuild failed; fix the problems and start --watch again");
      return 1;
    }
    return new Promise<number>(() => {}); // runs until interrupted
  }
  try {
    // The command reads the tree and the build's summary of the result: dashboards whose verdicts hold stay summaries.
    const cache = args.cache ? { graph: launcherGraph(), summaries: true } : undefined;
    const r = await runBuild({ content: REPO_CONTENT, env: args.env, out: args.out, dashboardsDir, check: args.check, referenceSchemas: args["reference-schemas"], lint: args.lint, allowEmpty: args["allow-empty"], cache, workers: true });
    const where = relative(process.cwd(), r.out) || ".";
    if (r.lint) console.log(formatHuman(r.lint, { color: process.stdout.isTTY }));
    const record = () => recordBuild(r, args.cache);
    if (args.check) {
      if (!r.differences!.length) record();
      if (r.differences!.length) {
        console.error(`${where}/ is stale: ${r.differences!.length} file(s) differ from what \`npm run build -- --env ${r.env}\` produces:`);
        for (const d of r.differences!) console.error(`  ${d.kind.padEnd(8)} ${d.path}`);
        return 1;
      }
      console.log(`${where}/ is up to date (${r.stats.files} files, env ${r.env}, ${r.ms} ms)`);
      return 0;
    }
    for (const p of r.foreign ?? []) console.error(foreignWarning(r.out, p));
    if (!r.foreign?.length) record();
    const s = r.stats;
    console.log(
      [
        `built env ${r.env} → ${where}/ in ${r.ms} ms`,
        `  dashboards   ${s.dashboards} (${s.panels} panels, ${s.queries} queries)`,
        `  datasources  ${s.datasources}`,
        `  files        ${s.files} written, ${r.changed!.length} changed`,
        ...(r.cache ? [`  cache        ${r.cache.reused} dashboards reused, ${r.cache.built} built, ${r.cache.checked} checked${r.cache.corrupt ? `, ${r.cache.corrupt} corrupt entries rebuilt` : ""}`] : []),
        ...(r.cache && args.debug ? [`  built        ${r.cache.builtUids.join(", ") || "none"}`, `  reused       ${r.cache.stages.join(", ") || "no stage"}`] : []),
        // A few changes are listed; a first build (or a sweeping change) is a count, not a line per file.
        ...(r.changed!.length <= MAX_LISTED ? r.changed!.map((p) => `    ~ ${p}`) : []),
      ].join("\n"),
    );
    return 0;
  } catch (e) {
    if (e instanceof BuildError) {
      console.error(e.problems.map(formatProblem).join("\n"));
      console.error(`\nbuild failed: ${e.problems.length} problem(s); nothing was written`);
      return 1;
    }
    if (e instanceof UserError) return writeFailure(e);
    throw withOutputPath(e, args.out);
  }
}

/**
 * Records a successful build for the launcher's whole-build no-op (src/pipeline/upToDate.mjs), with
 * the inputs' digest the launcher took before anything was read. Not with --no-cache, nor when lint
 * found a uid change (that warning compares with the tree being replaced, so a rebuild would not
 * repeat it).
 */
function recordBuild(r: Awaited<ReturnType<typeof runBuild>>, cache: boolean): void {
  const launcher = (globalThis as Record<symbol, unknown>)[Symbol.for("grafana-as-code.upToDate")] as { inputs: string; record: string } | undefined;
  if (!launcher || !cache) return;
  if (r.lint?.findings.some((f) => f.rule === "dashboard-uid-stable")) return;
  const printed = r.lint ? { plain: formatHuman(r.lint, { color: false }), color: formatHuman(r.lint, { color: true }) } : null;
  const files = withManifest(r.files).map((f) => ({ path: f.path, content: String(f.content) }));
  writeRecord({ out: r.out, inputs: launcher.inputs, env: r.env, files, printed, record: launcher.record });
}

/** The import graph the launcher kept beside its bundle (undefined: the engine computes it). */
function launcherGraph(): { inputs: Record<string, { imports: { path: string; external?: boolean }[] }> } | undefined {
  const path = (globalThis as Record<symbol, unknown>)[Symbol.for("grafana-as-code.importGraph")];
  if (typeof path !== "string") return undefined;
  try {
    const graph = JSON.parse(readFileSync(path, "utf8")) as { inputs?: unknown };
    return typeof graph?.inputs === "object" && graph.inputs !== null ? (graph as ReturnType<typeof launcherGraph>) : undefined;
  } catch {
    return undefined;
  }
}

/** A usage or I/O failure of the build: one message, its exit code, no stack. */
function writeFailure(e: UserError): number {
  console.error(`error: ${e.message}\n\nbuild failed`);
  return e.exitCode;
}

// Started as a build worker (src/pipeline/parallel.ts), this bundle serves slices of the main thread's build instead.
const workerJob = buildWorkerJob();
if (workerJob) await serveBuildWorker(workerJob, REPO_CONTENT);
else await runCommand(main);
