// npm run build [-- --env prod] [--out DIR] [--check]
import { parseCommandLine } from "../src/cli/args.js";
import { relative, resolve } from "node:path";
import { BuildError, formatProblem, UserError } from "../src/errors.js";
import { runBuild } from "../src/pipeline/index.js";
import { formatHuman } from "../src/lint/format.js";

const HELP = `Usage: npm run build -- [options]

Builds dashboards, datasources and Prometheus configuration into a provisioning tree.

Options:
  --env <name>   environment from config/environments.ts (default: dev)
  --out <dir>    output root (default: build/)
  --dashboards <dir>
                 where dashboard definitions are discovered (default: dashboards/)
  --check        do not write; exit 1 and list the files that differ from the built tree
  --watch        rebuild on every change of a definition, the config or the catalog;
                 rewrites only changed files and keeps the last good tree on errors
  --lint / --no-lint
                 lint the tree (default: on for this repository's dashboards, off for --dashboards elsewhere)
  --reference-schemas
                 also validate dashboards against Grafana's published JSON Schemas
                 ($GRAFANA_REFERENCE_SCHEMAS or ../shared/schemas/grafana-foundation-sdk)
  -h, --help     show this help`;

async function main(): Promise<number> {
  const args = parseCommandLine(
    {
      options: {
        env: { type: "string", default: "dev" },
        out: { type: "string" },
        dashboards: { type: "string" },
        check: { type: "boolean", default: false },
        watch: { type: "boolean", default: false },
        "reference-schemas": { type: "boolean", default: false },
        lint: { type: "boolean" },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: false,
      allowNegative: true,
    },
    HELP,
  );
  if (typeof args === "number") return args;
  if (args.watch) {
    const { startWatch } = await import("../src/pipeline/watch.js");
    try {
      await startWatch({ env: args.env, out: args.out, dashboardsDir: args.dashboards && resolve(args.dashboards) });
    } catch (e) {
      // --watch re-imports the engine for each build, so its error classes are other instances: match by name.
      if (e instanceof Error && e.name === "UserError") {
        console.error(`build: ${e.message}`);
        return (e as UserError).exitCode;
      }
      if (!(e instanceof BuildError)) throw e;
      console.error(e.problems.map(formatProblem).join("\n") + "\n\nbuild failed; fix the problems and start --watch again");
      return 1;
    }
    return new Promise<number>(() => {}); // runs until interrupted
  }
  try {
    const r = await runBuild({ env: args.env, out: args.out, dashboardsDir: args.dashboards && resolve(args.dashboards), check: args.check, referenceSchemas: args["reference-schemas"], lint: args.lint });
    const where = relative(process.cwd(), r.out) || ".";
    if (r.lint) console.log(formatHuman(r.lint, { color: process.stdout.isTTY }));
    if (args.check) {
      if (r.differences!.length) {
        console.error(`${where}/ is stale: ${r.differences!.length} file(s) differ from what \`npm run build -- --env ${r.env}\` produces:`);
        for (const d of r.differences!) console.error(`  ${d.kind.padEnd(8)} ${d.path}`);
        return 1;
      }
      console.log(`${where}/ is up to date (${r.stats.files} files, env ${r.env}, ${r.ms} ms)`);
      return 0;
    }
    const s = r.stats;
    console.log(
      [
        `built env ${r.env} → ${where}/ in ${r.ms} ms`,
        `  dashboards   ${s.dashboards} (${s.panels} panels, ${s.queries} queries)`,
        `  datasources  ${s.datasources}`,
        `  files        ${s.files} written, ${r.changed!.length} changed`,
        ...r.changed!.slice(0, 20).map((p) => `    ~ ${p}`),
      ].join("\n"),
    );
    return 0;
  } catch (e) {
    if (e instanceof BuildError) {
      console.error(e.problems.map(formatProblem).join("\n"));
      console.error(`\nbuild failed: ${e.problems.length} problem(s); nothing was written`);
      return 1;
    }
    if (e instanceof UserError) {
      console.error(`build: ${e.message}`);
      return e.exitCode;
    }
    throw e;
  }
}

process.exitCode = await main();
