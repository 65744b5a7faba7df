// npm run lint [-- --env prod] [--dir build | FILE.json|DIR ...] [--format json|github|sarif] [--rule id] [--fix] [--rules]
import { parseCommandLineWithOperands, usageError } from "../src/cli/args.js";
import { runExternal } from "../src/lint/externalCommand.js";
import { formatSarif } from "../src/lint/sarif.js";
import { isAbsolute, join, relative, resolve } from "node:path";
import { existsSync, readFileSync, statSync } from "node:fs";
import { BuildError, UserError } from "../src/errors.js";
import { REPO_ROOT } from "../src/pipeline/collect.js";
import { PATHS } from "../src/pipeline/provisioning.js";
import { buildTree } from "../src/pipeline/index.js";
import { REPO_CONTENT } from "./content.js";
import { readTree, unparseableFiles, type UnreadableFile } from "../src/lint/context.js";
import { runCommand } from "../src/cli/report.mjs";
import { EXCLUSIONS_FILE, ExclusionsError, loadExclusions } from "../src/lint/exclusions.js";
import { FORMATS, formatReport, type Format } from "../src/lint/format.js";
import { lintTree, type LintReport } from "../src/lint/index.js";
import { RULE_IDS, rulesTable, selectRules } from "../src/lint/registry.js";
import { keepPeerFindings } from "../src/lint/peers.js";
import type { Finding } from "../src/lint/types.js";

const HELP = `Usage: npm run lint -- [options] [FILE.json|DIR ...]

Lints dashboards, alert rules, datasources and the environments' configuration: what
grafana/dashboard-linter, mixtool lint and pint's offline checks look at, plus the telemetry
contract (docs/telemetry-contract.md) and the metric catalog. Builds the definitions in memory (nothing is written)
unless --dir names a tree to read. The build runs the same lint: errors fail it, warnings print.

FILE.json|DIR lints dashboard JSON nobody here wrote: a Grafana export, a { "dashboard": … } API
response or a dashboard.grafana.app resource (a directory: every *.json below it). Every portable
rule runs; the stack-specific ones ([stack] in --rules) only when named with --rule. A
grafana/dashboard-linter .lint file beside a dashboard is honoured. --rule takes our ids or
dashboard-linter's names (target-job-rule, …).

Options:
  --env <name>          environment to build and lint (default: dev; prod URLs are checked for every run)
  --dir <path>          lint an emitted tree on disk (e.g. build) instead of building
  --format <f>          human (default, grouped by file), json, github (workflow annotations) or sarif (SARIF 2.1.0)
  --rule <id>           run only this rule, by our id or dashboard-linter's name (repeat, or separate with commas)
  --fix                 with FILE.json|DIR: rewrite the mechanical findings in place (variables, editable,
                        $__rate_interval, fixed datasource uids), print what changed, lint again
  --exclusions <file>   exclusions and settings file (default: ${EXCLUSIONS_FILE})
  --today <YYYY-MM-DD>  the date exclusion expiry is judged against (default: today)
  --rules               list the rules (id, dashboard-linter's name, severity, purpose) and exit
  --debug               print the stack trace of a failure (also GRAFANA_AS_CODE_DEBUG=1)
  -h, --help            show this help

Exit status: 0 when no error is left (warnings allowed), 1 on errors (a file of --dir that cannot be
read or parsed is one), 2 on bad usage or a FILE.json that cannot be read as a dashboard (invalid
JSON, not a dashboard, over the size, depth or panel limits), 3 when a file cannot be read or written
(the exclusions file, the build, a file --fix rewrites).`;

const usage = (message: string): number => usageError(message, HELP);
const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;

/** Problems that stopped the build, as findings, so every format can show them. */
function buildFailure(e: BuildError): LintReport {
  const findings: Finding[] = e.problems.map((p) => ({
    rule: `build/${p.code}`,
    severity: p.severity ?? "error",
    file: p.file ?? "(build)",
    dashboardUid: p.dashboardUid,
    panelTitle: p.panelTitle,
    refId: p.refId,
    alert: p.rule,
    message: p.message,
    fix: "the build stops here; fix this first, then lint runs",
  }));
  return { findings, excluded: [], rules: [], errors: findings.filter((f) => f.severity === "error").length, warnings: findings.filter((f) => f.severity === "warning").length, ms: 0 };
}

/** Files of a --dir tree that could not be read or parsed: errors, so such a tree is never "clean". */
function withUnreadable(report: LintReport, files: (UnreadableFile & { line?: number })[], treeLabel: string): LintReport {
  const findings: Finding[] = files.map((f) => ({
    rule: "tree/unreadable-file",
    severity: "error",
    file: `${treeLabel}/${f.path}`,
    line: f.line,
    message: f.message,
    fix: "make the file readable and valid (or rebuild the tree); lint cannot check what it cannot read",
  }));
  return { ...report, findings: [...findings, ...report.findings], errors: report.errors + findings.length };
}

async function main(): Promise<number> {
  const parsed = parseCommandLineWithOperands(
    {
      options: {
        env: { type: "string", default: "dev" },
        dir: { type: "string" },
        format: { type: "string", default: "human" },
        rule: { type: "string", multiple: true },
        exclusions: { type: "string" },
        today: { type: "string" },
        rules: { type: "boolean", default: false },
        fix: { type: "boolean", default: false },
        debug: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    },
    HELP,
  );
  if (typeof parsed === "number") return parsed;
  const { values: args, positionals } = parsed;
  if (args.rules) {
    console.log(rulesTable());
    return 0;
  }
  const format = args.format as Format | "sarif";
  if (format !== "sarif" && !FORMATS.includes(format)) return usage(`unknown --format "${args.format}" (${[...FORMATS, "sarif"].join(", ")})`);
  if (positionals.length && args.dir) return usage("give --dir or dashboard files, not both");
  if (args.fix && !positionals.length) return usage("--fix rewrites dashboard JSON files: name them (npm run lint -- --fix FILE.json|DIR)");
  const print = (r: LintReport) =>
    console.log(format === "sarif" ? formatSarif(r, { version: VERSION }) : formatReport(r, format, { color: format === "human" && process.stdout.isTTY }));
  const named = args.rule?.flatMap((r) => r.split(",")).map((r) => r.trim()).filter(Boolean);
  const selected = named ? selectRules(named) : undefined;
  if (selected?.unknown.length) return usage(`unknown rule ${selected.unknown.join(", ")} (npm run lint -- --rules lists them, with dashboard-linter's names)`);
  const only = selected?.ids;
  if (args.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(args.today)) return usage(`--today must be YYYY-MM-DD, not "${args.today}"`);
  const today = args.today ?? new Date().toISOString().slice(0, 10);

  const exclusionsPath = resolve(args.exclusions ?? join(REPO_ROOT, EXCLUSIONS_FILE));
  const exclusionsLabel = relative(REPO_ROOT, exclusionsPath) || EXCLUSIONS_FILE;
  let report: LintReport;
  if (positionals.length) {
    try {
      return runExternal({
        operands: positionals,
        cwd: process.cwd(),
        repoRoot: REPO_ROOT,
        content: REPO_CONTENT,
        env: args.env!,
        only,
        peerOnly: selected?.peerOnly ?? new Map(),
        // Our exclusions file is about our definitions: for other dashboards only when named.
        exclusions: args.exclusions ? loadExclusions(exclusionsPath, exclusionsLabel, RULE_IDS) : undefined,
        today,
        fix: args.fix!,
        print,
        machine: format !== "human",
      });
    } catch (e) {
      if (e instanceof ExclusionsError) {
        console.error(`${e.message}\n\nlint: ${e.file} is not valid; nothing was linted`);
        return 1;
      }
      throw e;
    }
  }
  try {
    const exclusions = loadExclusions(exclusionsPath, exclusionsLabel, RULE_IDS);
    if (args.dir) {
      const dir = isAbsolute(args.dir) ? args.dir : resolve(process.cwd(), args.dir);
      if (!existsSync(dir)) return usage(`--dir ${args.dir} does not exist`);
      if (!statSync(dir).isDirectory()) return usage(`--dir ${args.dir} is not a directory`);
      const treeLabel = relative(REPO_ROOT, dir) || ".";
      const unreadable: UnreadableFile[] = [];
      const files = readTree(dir, unreadable);
      report = withUnreadable(lintTree({ content: REPO_CONTENT, files, env: args.env!, repoRoot: REPO_ROOT, treeLabel, exclusions, only, today }), [...unreadable, ...unparseableFiles(files)], treeLabel);
    } else {
      const built = await buildTree({ content: REPO_CONTENT, env: args.env });
      const sources = new Map(built.dashboards.map((d) => [PATHS.dashboard(d.folderUid, d.json.uid!), d.definition.file!]));
      const previous = readTree(join(REPO_ROOT, "build"));
      report = lintTree({ content: REPO_CONTENT, files: built.files, env: built.env, repoRoot: REPO_ROOT, treeLabel: "build", sources, previous, exclusions, only, today, definitions: built.dashboards.map((d) => d.definition) });
    }
  } catch (e) {
    if (e instanceof ExclusionsError) {
      console.error(`${e.message}\n\nlint: ${e.file} is not valid; nothing was linted`);
      return 1;
    }
    if (e instanceof UserError) {
      console.error(`lint: ${e.message}`);
      return e.exitCode;
    }
    if (!(e instanceof BuildError)) throw e;
    report = buildFailure(e);
  }
  if (selected) report = keepPeerFindings(report, selected.peerOnly);
  print(report);
  return report.errors ? 1 : 0;
}

await runCommand(main);
