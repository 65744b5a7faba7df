// `npm run lint -- FILE.json|DIR …`: lint dashboard JSON files nobody here wrote. Unreadable input
// is one line each on stderr (exit 2); the rest is linted and reported in the chosen format. With
// --fix the mechanical findings are rewritten first (fix.ts), what changed is listed, and the files
// are linted again as they now are.
import { writeFileAtomic } from "../pipeline/writeFile.js";
import { applyDotLint, DotLintError, loadDotLint, type DotLintFile } from "./dotLint.js";
import type { LintReport } from "./engine.js";
import type { ExclusionsFile } from "./exclusions.js";
import { inputFiles, readDashboardFile, type ExternalDashboard, type Unreadable } from "./external.js";
import { lintExternal, type ExternalLintOptions } from "./externalLint.js";
import { fixDashboard } from "./fix.js";
import { keepPeerFindings } from "./peers.js";

export interface ExternalCommandOptions {
  operands: string[];
  cwd: string;
  repoRoot: string;
  config: ExternalLintOptions["config"];
  only?: readonly string[];
  peerOnly: ReadonlyMap<string, ReadonlySet<string>>;
  exclusions?: ExclusionsFile;
  today?: string;
  fix: boolean;
  /** Prints the report; `machine` formats keep stdout for the report alone. */
  print: (report: LintReport) => void;
  machine: boolean;
}

function readAll(operands: string[], cwd: string): { dashboards: (ExternalDashboard & { path: string })[]; unreadable: Unreadable[] } {
  const { files, unreadable } = inputFiles(operands, cwd);
  const dashboards: (ExternalDashboard & { path: string })[] = [];
  for (const f of files) {
    const d = readDashboardFile(f.path, f.label);
    if (typeof d === "string") unreadable.push({ file: f.label, message: d });
    else dashboards.push({ ...d, path: f.path });
  }
  if (!files.length && !unreadable.length) unreadable.push({ file: operands.join(" "), message: "no .json file in it" });
  return { dashboards, unreadable };
}

export function runExternal(opts: ExternalCommandOptions): number {
  let { dashboards, unreadable } = readAll(opts.operands, opts.cwd);
  const dotLints = new Map<string, DotLintFile>();
  try {
    for (const d of dashboards) {
      const dot = loadDotLint(d.path, d.file);
      if (dot) dotLints.set(d.file, dot);
    }
  } catch (e) {
    if (!(e instanceof DotLintError)) throw e;
    console.error(`lint: ${e.message}`);
    return 1;
  }
  const lint = () =>
    applyDotLint(
      keepPeerFindings(lintExternal({ dashboards, repoRoot: opts.repoRoot, config: opts.config, only: opts.only, exclusions: opts.exclusions, today: opts.today }), opts.peerOnly),
      dotLints,
    );
  let report = dashboards.length ? lint() : undefined;

  if (opts.fix && report) {
    const log = opts.machine ? console.error : console.log;
    let fixed = 0;
    for (const d of dashboards) {
      const mine = report.findings.filter((f) => f.file === d.file);
      if (!mine.length) continue;
      const { text, changes } = fixDashboard(d, mine);
      if (text === d.text) continue;
      writeFileAtomic(d.path, text);
      fixed++;
      for (const c of changes) log(`fixed ${d.file}:${c.line} ${c.rule}: ${c.what}`);
    }
    log(`fix: ${fixed} file${fixed === 1 ? "" : "s"} changed`);
    // Lint what is on disk now.
    ({ dashboards, unreadable } = readAll(opts.operands, opts.cwd));
    report = dashboards.length ? lint() : undefined;
  }

  for (const u of unreadable) console.error(`lint: ${u.file}: ${u.message}`);
  if (report) opts.print(report);
  if (unreadable.length) {
    console.error(`lint: ${unreadable.length} input${unreadable.length === 1 ? "" : "s"} could not be read as a dashboard`);
    return 2;
  }
  return report?.errors ? 1 : 0;
}
