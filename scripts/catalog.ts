// npm run catalog -- --verify <file|url> [--job <job>] [--env dev]
import { loadConfig } from "../config/index.js";
import { CATALOG, SCRAPED_JOBS } from "../catalog/index.js";
import { REPO_CONTENT } from "./content.js";
import { parseCommandLine, usageError } from "../src/cli/args.js";
import { BuildError, EXIT, UserError } from "../src/errors.js";
import { compareWithCatalog, formatReport, inferJobs } from "../src/catalog-verify/compare.js";
import { ExpositionError, parseExposition } from "../src/catalog-verify/exposition.js";
import { readSource } from "../src/catalog-verify/read.js";
import { seriesUsedByDashboards } from "../src/catalog-verify/usage.js";

const HELP = `Usage: npm run catalog -- --verify <file|url> [options]

Reads a real /metrics exposition (Prometheus text format or OpenMetrics) and lists what the metric
catalog expects of that service that it does not export, and what it exports that no dashboard
uses. A URL is fetched only when one is given.

Options:
  --verify <file|url>  the exposition to check
  --job <job>          compare with the catalog's metrics of this job (default: the jobs whose own
                       metrics appear in the exposition)
  --env <name>         configuration to read (default: dev)
  --debug              show stack traces
  -h, --help           show this help

Exit status: 0 with the report, 1 for a malformed exposition (the message names the line),
2 on bad usage, 3 when the file or URL cannot be read.`;

async function main(): Promise<number> {
  const args = parseCommandLine(
    { options: { verify: { type: "string" }, job: { type: "string", multiple: true }, env: { type: "string", default: "dev" }, debug: { type: "boolean" }, help: { type: "boolean", short: "h" } } },
    HELP,
  );
  if (typeof args === "number") return args;
  if (!args.verify) return usageError("catalog: --verify <file|url> is required", HELP);
  const unknownJob = (args.job ?? []).find((j) => !(SCRAPED_JOBS as readonly string[]).includes(j));
  if (unknownJob) return usageError(`catalog: unknown job "${unknownJob}"; known: ${SCRAPED_JOBS.join(", ")}`, HELP);
  try {
    const config = loadConfig(args.env);
    const text = await readSource(args.verify);
    let exposition;
    try {
      exposition = parseExposition(text);
    } catch (e) {
      if (e instanceof ExpositionError) throw new UserError(`${args.verify}: ${e.message}`, EXIT.invalid, args.verify);
      throw e;
    }
    if (exposition.samples.length === 0) throw new UserError(`${args.verify}: no samples; not a /metrics exposition`, EXIT.invalid, args.verify);
    const jobs = args.job?.length ? args.job : inferJobs(exposition, CATALOG);
    if (jobs.length === 0) throw new UserError(`${args.verify}: none of the catalog's metrics appear in it; name the service with --job`, EXIT.invalid, args.verify);
    const report = compareWithCatalog(exposition, CATALOG, jobs, await seriesUsedByDashboards(REPO_CONTENT, config), config.signals.collectorMetricSuffixes);
    process.stdout.write(formatReport(args.verify, report));
    return 0;
  } catch (e) {
    if (args.debug) throw e;
    if (e instanceof UserError) {
      console.error(`catalog: ${e.message}`);
      return e.exitCode;
    }
    if (e instanceof BuildError) {
      console.error(e.message);
      return EXIT.invalid;
    }
    throw e;
  }
}

process.exitCode = await main();
