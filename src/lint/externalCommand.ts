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
  content: ExternalLintOptions["content"];
  env: string;
  only?: readonly string[];
  peerOnly: ReadonlyMap<string, ReadonlySet<string>>;
  exclusions?: ExclusionsFile;
  today?: string;
  fix: boolean;
  /** Prints the report; `machine` formats keep stdout for the report alone. */
  print: (report: LintReport) => void;
  machine: boolean;
}

/** Files are read and linted this many at a time, so memory stays bounded however many are given. */
export const CHUNK = 50;

function readFiles(files: { path: string; label: string }[], unreadable: Unreadable[]): (ExternalDashboard & { path: string })[] {
  const dashboards: (ExternalDashboard & { path: string })[] = [];
  for (const f of files) {
    const d = readDashboardFile(f.path, f.label);
    if (typeof d === "string") unreadable.push({ file: f.label, message: d });
    else dashboards.push({ ...d, path: f.path });
  }
  return dashboards;
}

/** One report of several: the chunks' findings in file order. */
function merge(reports: LintReport[]): LintReport | undefined {
  if (!reports.length) return undefined;
  return {
    findings: reports.flatMap((r) => r.findings),
    excluded: reports.flatMap((r) => r.excluded),
    rules: [...new Set(reports.flatMap((r) => r.rules))],
    errors: reports.reduce((n, r) => n + r.errors, 0),
    warnings: reports.reduce((n, r) => n + r.warnings, 0),
    ms: reports.reduce((n, r) => n + r.ms, 0),
  };
}

export function runExternal(opts: ExternalCommandOptions): number {
  const { files, unreadable } = inputFiles(opts.operands, opts.cwd);
  if (!files.length && !unreadable.length) unreadable.push({ file: opts.operands.join(" "), message: "no .json file in it" });
  const log = opts.machine ? console.error : console.log;
  const reports: LintReport[] = [];
  let fixed = 0;
  for (let at = 0; at < files.length; at += CHUNK) {
    const chunk = files.slice(at, at + CHUNK);
    let dashboards = readFiles(chunk, unreadable);
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
        keepPeerFindings(lintExternal({ dashboards, repoRoot: opts.repoRoot, content: opts.content, env: opts.env, only: opts.only, exclusions: opts.exclusions, today: opts.today }), opts.peerOnly),
        dotLints,
      );
    if (!dashboards.length) continue;
    let report = lint();
    if (opts.fix) {
      let changed = false;
      for (const d of dashboards) {
        const mine = report.findings.filter((f) => f.file === d.file);
        if (!mine.length) continue;
        const { text, changes } = fixDashboard(d, mine);
        if (text === d.text) continue;
        writeFileAtomic(d.path, text);
        fixed++;
        changed = true;
        for (const c of changes) log(`fixed ${d.file}:${c.line} ${c.rule}: ${c.what}`);
      }
      if (changed) {
        // Lint what is on disk now.
        dashboards = readFiles(chunk, []);
        report = lint();
      }
    }
    reports.push(report);
  }
  if (opts.fix) log(`fix: ${fixed} file${fixed === 1 ? "" : "s"} changed`);
  const report = merge(reports);
  for (const u of unreadable) console.error(`lint: ${u.file}: ${u.message}`);
  if (report) opts.print(report);
  if (unreadable.length) {
    console.error(`lint: ${unreadable.length} input${unreadable.length === 1 ? "" : "s"} could not be read as a dashboard`);
    return 2;
  }
  return report?.errors ? 1 : 0;
}
