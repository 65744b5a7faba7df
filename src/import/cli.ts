// The `npm run import` command line (scripts/import.ts is a thin wrapper, tests call this directly).
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  fetchDashboard,
  ImportError,
  importDashboard,
  parseDashboardText,
  REPO_ROOT,
  type DashboardInput,
} from "./index.js";
import { summaryLines, verifyLines } from "./report.js";
import { verifyImport } from "./verify.js";

export const USAGE = `Usage: npm run import -- <dashboard.json> [options]
       npm run import -- --from-grafana <uid> [options]

Turns a Grafana dashboard JSON into a dashboard definition written with the Grafana Foundation SDK.
Accepts a UI export ("Export → JSON", with or without __inputs), the {dashboard, meta} response of
GET /api/dashboards/uid/<uid>, or a provisioning-folder JSON file.

Options:
  --out <file>           write the definition to <file> (e.g. dashboards/foo.ts) instead of stdout;
                         an existing file is only replaced with --force
  --from-grafana <uid>   fetch the dashboard from $GRAFANA_URL with $GRAFANA_TOKEN (Bearer)
  --verify               build the generated code and compare it with the input; prints every
                         difference not in the normalisation list (src/import/normalise.ts) and exits
                         non-zero if there is one. Without --out the code is not printed.
  --folder <key>         folder of config.folders to provision into (default: services)
  --uid <uid>            use this uid (required when the dashboard has none)
  --force                replace the --out file if it exists
  --verbose              list every object that keeps raw JSON, not a summary
  -h, --help             this text

Exit status: 0 done, 1 verification found differences, 2 bad input or usage.
Messages (datasource mapping, legacy panels, raw JSON kept) go to stderr.`;

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  fetchImpl?: typeof fetch;
}

function defaultIo(): CliIo {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
    cwd: process.cwd(),
  };
}

async function folderKeys(): Promise<string[] | undefined> {
  try {
    const { loadConfig } = await import("../../config/index.js");
    return Object.keys(loadConfig("dev").folders);
  } catch {
    return undefined;
  }
}

function definitionFilesUsing(uid: string, except: string): string[] {
  const dir = join(REPO_ROOT, "dashboards");
  const out: string[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith(".ts") && resolve(full) !== resolve(except)) {
        const text = readFileSync(full, "utf8");
        if (text.includes(`uid: ${JSON.stringify(uid)}`) || text.includes(`.uid(${JSON.stringify(uid)})`))
          out.push(relative(REPO_ROOT, full));
      }
    }
  };
  walk(dir);
  return out;
}

export async function runImportCli(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const err = (s: string) => io.stderr(`${s}\n`);
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: "string" },
        "from-grafana": { type: "string" },
        verify: { type: "boolean" },
        folder: { type: "string" },
        uid: { type: "string" },
        force: { type: "boolean" },
        verbose: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    err(`import: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values: o, positionals } = args;
  if (o.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const fromGrafana = o["from-grafana"];
  if (
    positionals.length > 1 ||
    (positionals.length === 1 && fromGrafana !== undefined) ||
    (!positionals.length && fromGrafana === undefined)
  ) {
    err(`import: give one dashboard JSON file or --from-grafana <uid>\n\n${USAGE}`);
    return 2;
  }
  const folder = o.folder ?? "services";
  const folders = await folderKeys();
  if (folders && !folders.includes(folder)) {
    err(`import: --folder "${folder}" is not in config.folders (${folders.join(", ")})`);
    return 2;
  }
  const outFile = o.out !== undefined ? resolve(io.cwd, o.out) : undefined;
  if (outFile && !outFile.endsWith(".ts")) {
    err(`import: --out ${o.out}: a definition file ends in .ts`);
    return 2;
  }
  if (outFile && existsSync(outFile) && !o.force) {
    err(`import: ${o.out} exists; pass --force to replace it`);
    return 2;
  }

  let input: DashboardInput;
  try {
    if (fromGrafana !== undefined) {
      const url = io.env.GRAFANA_URL;
      if (!url) {
        err("import: --from-grafana needs GRAFANA_URL (and GRAFANA_TOKEN) in the environment");
        return 2;
      }
      input = await fetchDashboard(url, fromGrafana, io.env.GRAFANA_TOKEN, {
        overrideUid: o.uid,
        fetchImpl: io.fetchImpl,
      });
    } else {
      const file = positionals[0];
      const path = resolve(io.cwd, file);
      let text: string;
      try {
        text = readFileSync(path, "utf8");
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new ImportError(
          code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (e as Error).message,
          file,
        );
      }
      input = parseDashboardText(text, file, { uid: o.uid });
    }
  } catch (e) {
    if (e instanceof ImportError) {
      err(`import: ${e.message}`);
      return 2;
    }
    throw e;
  }

  const result = await importDashboard(input, { folder, outFile });
  err(`import: ${input.file}${outFile ? ` → ${relative(io.cwd, outFile) || outFile}` : ""}`);
  for (const line of summaryLines(result, o.verbose)) err(`  ${line}`);
  const clash = definitionFilesUsing(result.uid, outFile ?? "");
  if (clash.length)
    err(`  warning: uid "${result.uid}" is already used by ${clash.join(", ")}; the build needs unique uids (--uid)`);

  if (outFile) {
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, result.code);
    err(`  wrote ${relative(io.cwd, outFile) || outFile}`);
  } else if (!o.verify) {
    io.stdout(result.code);
  }

  if (o.verify) {
    const v = await verifyImport(result);
    for (const line of verifyLines(v)) err(`  ${line}`);
    return v.unexplained.length ? 1 : 0;
  }
  return 0;
}
