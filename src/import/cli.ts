// The `npm run import` command line (scripts/import.ts is a thin wrapper, tests call this directly).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { parseCommandLineWithOperands, usageError } from "../cli/args.js";
import {
  fetchDashboard,
  ImportError,
  importDashboard,
  parseDashboardText,
  REPO_ROOT,
  type DashboardInput,
} from "./index.js";
import { EXIT, UserError } from "../errors.js";
import type { Config } from "../model/config.js";
import { displayText } from "./escape.js";
import { checkSize, decodeUtf8 } from "./input.js";
import { semanticVerifyLines, summaryLines, verifyLines } from "./report.js";
import { dashboardsDir, repositoryDashboardUids, UID_PATTERN } from "./uid.js";
import { verifyIdiomatic, verifyImport } from "./verify.js";
import type { MetricCatalog } from "./idiomatic/metrics.js";

export const USAGE = `Usage: npm run import -- <dashboard.json> [options]
       npm run import -- --from-grafana <uid> [options]

Turns a Grafana dashboard JSON into a dashboard definition in the house style of this repository: a
folder with index.ts (the presets where a panel fits them, SDK builders where not) and queries.ts.
Accepts a UI export ("Export → JSON", with or without __inputs), the {dashboard, meta} response of
GET /api/dashboards/uid/<uid>, or a provisioning-folder JSON file.

Options:
  --out <folder>         write index.ts and queries.ts into <folder> (e.g. dashboards/foo/) instead
                         of stdout; existing files are only replaced with --force
  --exact                a faithful transcript instead: one file (--out <file>.ts), every field of the
                         JSON kept (builder methods, raw JSON where none fits)
  --from-grafana <uid>   fetch the dashboard from $GRAFANA_URL with $GRAFANA_TOKEN (Bearer)
  --timeout <seconds>    with --from-grafana: give up when Grafana has not answered in full (default 30)
  --verify               build the generated code and compare it with the input (by meaning; with
                         --exact as JSON), print every difference not in the normalisation list
                         (src/import/normalise.ts) and exit non-zero if there is one. Without --out
                         the code is not printed.
  --folder <key>         folder of config.folders to provision into (default: services)
  --uid <uid>            use this uid; without it a dashboard that has none gets a slug of its title
                         (at most 40 characters, unique among the repository's dashboards), with a warning
  --force                replace the --out file if it exists
  --verbose              list every object that keeps raw JSON, not a summary
  --debug                print the stack trace with an error
  -h, --help             this text

Exit status: 0 done; 1 invalid input (not JSON, not a dashboard, too large or too deeply nested) or
verification found differences; 2 usage (options, a file that does not exist, an unknown uid on
Grafana); 3 Grafana unreachable or misbehaving, or the --out file cannot be written.
Messages (datasource mapping, legacy panels, raw JSON kept, metrics and labels the catalog lacks
with the change to make, panels without a description or unit listed in lintWaivers) go to stderr.`;

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  fetchImpl?: typeof fetch;
  /** The metric catalog (scripts/import.ts loads it): metric aliases mapped, unknown metrics reported. */
  catalog?: MetricCatalog;
}

function defaultIo(): CliIo {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** The repository's dev configuration, when it loads (scripts/import.ts passes its loader). */
function devConfig(content: ImportContent | undefined): Config | undefined {
  try {
    return content?.loadConfig("dev");
  } catch {
    return undefined;
  }
}

/** What the import reads of the repository's content: its configuration (folders, the build's context). */
export interface ImportContent {
  loadConfig(env: string): Config;
}

/** Reads the file given on the command line, refusing what is not a dashboard export before it is parsed. */
function readInput(path: string, file: string): string {
  let bytes: Buffer;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new ImportError("is a directory; give a dashboard JSON file", file, EXIT.usage);
    checkSize(st.size, file);
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof ImportError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new ImportError("no such file", file, EXIT.usage);
    throw new ImportError(`cannot read: ${code ?? (e as Error).message}`, file, EXIT.io);
  }
  return decodeUtf8(bytes, file);
}

export async function runImportCli(argv: string[], io: CliIo = defaultIo(), content?: ImportContent): Promise<number> {
  const debug = argv.includes("--debug");
  try {
    return await importCommand(argv, io, content);
  } catch (e) {
    if (e instanceof UserError) {
      io.stderr(`import: ${displayText(e.message)}\n`);
      if (debug && e.stack) io.stderr(`${e.stack}\n`);
      return e.exitCode;
    }
    // Not the input's fault: say so in one line; the stack is for --debug.
    io.stderr(
      debug && e instanceof Error && e.stack
        ? `import: internal error: ${e.stack}\n`
        : `import: internal error: ${(e as Error)?.message ?? String(e)} (run with --debug for the stack)\n`,
    );
    return EXIT.invalid;
  }
}

async function importCommand(argv: string[], io: CliIo, content: ImportContent | undefined): Promise<number> {
  const err = (s: string) => io.stderr(`${s}\n`);
  const report = (s: string) => err(displayText(s));
  const out = { log: (s: string) => io.stdout(`${s}\n`), error: (s: string) => err(`import: ${s}`) };
  const parsed = parseCommandLineWithOperands(
    {
      args: argv,
      options: {
        out: { type: "string" },
        "from-grafana": { type: "string" },
        timeout: { type: "string" },
        verify: { type: "boolean" },
        exact: { type: "boolean" },
        folder: { type: "string" },
        uid: { type: "string" },
        force: { type: "boolean" },
        verbose: { type: "boolean" },
        debug: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    },
    USAGE,
    out,
  );
  if (typeof parsed === "number") return parsed;
  const { values: o, positionals } = parsed;
  const fromGrafana = o["from-grafana"];
  if (
    positionals.length > 1 ||
    (positionals.length === 1 && fromGrafana !== undefined) ||
    (!positionals.length && fromGrafana === undefined)
  ) {
    return usageError("give one dashboard JSON file or --from-grafana <uid>", USAGE, out);
  }
  if (o.uid !== undefined && !UID_PATTERN.test(o.uid))
    throw new ImportError(`--uid ${JSON.stringify(o.uid)}: a uid is 1-40 characters of [a-zA-Z0-9_-]`, undefined, EXIT.usage);
  const folder = o.folder ?? "services";
  const config = devConfig(content);
  const folders = config && Object.keys(config.folders);
  if (folders && !folders.includes(folder))
    throw new ImportError(`--folder "${folder}" is not in config.folders (${folders.join(", ")})`, undefined, EXIT.usage);
  const exact = o.exact === true;
  const outFile = o.out !== undefined ? resolve(io.cwd, o.out) : undefined;
  if (outFile && exact && !outFile.endsWith(".ts"))
    throw new ImportError(`--out ${o.out}: with --exact, the definition file's name ends in .ts`, undefined, EXIT.usage);
  if (outFile && !exact && outFile.endsWith(".ts"))
    throw new ImportError(
      `--out ${o.out}: the import writes a folder (index.ts and queries.ts); give a folder, or --exact for one file`,
      undefined,
      EXIT.usage,
    );
  if (outFile && exact && existsSync(outFile) && statSync(outFile).isDirectory())
    throw new ImportError(`--out ${o.out} is a folder; give the definition file's name`, undefined, EXIT.usage);
  if (outFile && !exact && existsSync(outFile) && !statSync(outFile).isDirectory())
    throw new ImportError(`--out ${o.out} is a file; give a folder`, undefined, EXIT.usage);
  const outFiles = outFile ? (exact ? [outFile] : [resolve(outFile, "index.ts"), resolve(outFile, "queries.ts")]) : [];
  const existing = outFiles.find((f) => existsSync(f));
  if (existing && !o.force)
    throw new ImportError(`${relative(io.cwd, existing) || existing} exists; pass --force to replace it`, undefined, EXIT.usage);
  if (outFile) {
    // Checked before importing: a path through a file cannot be written, and the user should not wait for it.
    let up = dirname(outFile);
    while (!existsSync(up) && dirname(up) !== up) up = dirname(up);
    if (!statSync(up).isDirectory())
      throw new ImportError(`--out ${o.out}: ${relative(io.cwd, up) || up} is a file, not a folder`, undefined, EXIT.usage);
  }

  let input: DashboardInput;
  if (fromGrafana !== undefined) {
    const url = io.env.GRAFANA_URL;
    if (!url)
      throw new ImportError("--from-grafana needs GRAFANA_URL (and GRAFANA_TOKEN) in the environment", undefined, EXIT.usage);
    const seconds = o.timeout === undefined ? 30 : Number(o.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400)
      throw new ImportError(`--timeout ${o.timeout}: a number of seconds between 0 and 86400`, undefined, EXIT.usage);
    input = await fetchDashboard(url, fromGrafana, io.env.GRAFANA_TOKEN, {
      overrideUid: o.uid,
      fetchImpl: io.fetchImpl,
      timeoutMs: seconds * 1000,
    });
  } else {
    const file = positionals[0];
    input = parseDashboardText(readInput(resolve(io.cwd, file), file), file, { uid: o.uid });
  }

  const taken = await repositoryDashboardUids(dashboardsDir(REPO_ROOT), REPO_ROOT, outFiles[0]);
  const result = await importDashboard(input, {
    folder,
    outFile,
    takenUids: taken,
    style: exact ? "exact" : "idiomatic",
    catalog: io.catalog,
  });
  report(`import: ${input.file}${outFile ? ` → ${relative(io.cwd, outFile) || outFile}` : ""}`);
  for (const line of summaryLines(result, o.verbose)) report(`  ${line}`);
  const clash = taken.get(result.uid);
  if (clash)
    err(`  warning: uid "${result.uid}" is already used by ${clash}; the build needs unique uids (--uid)`);

  const files = exact
    ? [{ path: outFile, code: result.code }]
    : (await result.renderFolder!(outFile ?? resolve(REPO_ROOT, "dashboards", result.uid))).map((f) => ({
        path: outFile && resolve(outFile, f.name),
        code: f.code,
        name: f.name,
      }));
  if (outFile) {
    try {
      // Every file is formatted before the first is written: a failure leaves nothing half-written.
      for (const f of files) {
        mkdirSync(dirname(f.path!), { recursive: true });
        writeFileSync(f.path!, f.code);
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ImportError(`cannot write: ${code ?? (e as Error).message}`, o.out, EXIT.io);
    }
    for (const f of files) err(`  wrote ${relative(io.cwd, f.path!) || f.path}`);
  } else if (!o.verify) {
    io.stdout(
      exact ? result.code : files.map((f) => `// ---- ${"name" in f ? f.name : ""} ----\n${f.code}`).join("\n"),
    );
  }

  if (o.verify && !exact) {
    const v = await verifyIdiomatic(result, config);
    for (const line of semanticVerifyLines(v)) report(`  ${line}`);
    return v.differences.length ? EXIT.invalid : 0;
  }
  if (o.verify) {
    const v = await verifyImport(result, config);
    for (const line of verifyLines(v)) report(`  ${line}`);
    return v.unexplained.length ? EXIT.invalid : 0;
  }
  return 0;
}
