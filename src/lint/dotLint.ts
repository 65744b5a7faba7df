// grafana/dashboard-linter's `.lint` file, honoured as it honours it, so a team moves over without
// rewriting it. The file beside a dashboard (same directory) holds two maps, rule → { reason, entries }:
// `exclusions` drops the findings an entry matches, `warnings` turns them into warnings. A rule with
// no entries (or no value) matches every finding of that rule. An entry matches a finding unless one
// of its fields is set and differs: `dashboard` (the dashboard's title), `panel` (the panel's title,
// for findings about a panel) and `targetIdx` (the query's index, for findings about a query).
// Rules are named by dashboard-linter's names (or ours); a name neither knows matches nothing, as there.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import type { LintReport } from "./engine.js";
import type { Finding } from "./types.js";

export interface DotLintEntry {
  reason?: string;
  dashboard?: string;
  panel?: string;
  alert?: string;
  targetIdx?: string;
}

export interface DotLintFile {
  file: string;
  exclusions: Map<string, { reason?: string; entries: DotLintEntry[] }>;
  warnings: Map<string, { reason?: string; entries: DotLintEntry[] }>;
}

export class DotLintError extends Error {}

const MAX_BYTES = 1024 * 1024;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function ruleMap(value: unknown, file: string, key: "exclusions" | "warnings"): DotLintFile["exclusions"] {
  const out: DotLintFile["exclusions"] = new Map();
  if (value === undefined || value === null) return out;
  if (!isRecord(value)) throw new DotLintError(`${file}: ${key} must be a map of rule name → { reason, entries }`);
  for (const [rule, body] of Object.entries(value)) {
    if (body === null || body === undefined) {
      out.set(rule, { entries: [] });
      continue;
    }
    if (!isRecord(body)) throw new DotLintError(`${file}: ${key}.${rule} must be a map with reason and entries`);
    if (body.entries !== undefined && body.entries !== null && !Array.isArray(body.entries)) throw new DotLintError(`${file}: ${key}.${rule}.entries must be a list`);
    const entries = ((body.entries as unknown[] | null | undefined) ?? []).map((e, i): DotLintEntry => {
      if (!isRecord(e)) throw new DotLintError(`${file}: ${key}.${rule}.entries[${i}] must be a map (dashboard, panel, targetIdx, reason)`);
      const text = (field: string): string | undefined => {
        const v = e[field];
        if (v === undefined || v === null) return undefined;
        if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return String(v);
        throw new DotLintError(`${file}: ${key}.${rule}.entries[${i}].${field} must be a string`);
      };
      return { reason: text("reason"), dashboard: text("dashboard"), panel: text("panel"), alert: text("alert"), targetIdx: text("targetIdx") };
    });
    out.set(rule, { reason: typeof body.reason === "string" ? body.reason : undefined, entries });
  }
  return out;
}

export function parseDotLint(text: string, file: string): DotLintFile {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (e) {
    throw new DotLintError(`${file}: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  if (doc === null || doc === undefined) return { file, exclusions: new Map(), warnings: new Map() };
  if (!isRecord(doc)) throw new DotLintError(`${file}: expected a map with exclusions and warnings`);
  return { file, exclusions: ruleMap(doc.exclusions, file, "exclusions"), warnings: ruleMap(doc.warnings, file, "warnings") };
}

/** The `.lint` beside a dashboard file, or undefined when there is none. */
export function loadDotLint(dashboardPath: string, label: string): DotLintFile | undefined {
  const path = join(dirname(dashboardPath), ".lint");
  if (!existsSync(path)) return undefined;
  const shown = join(dirname(label), ".lint");
  if (statSync(path).size > MAX_BYTES) throw new DotLintError(`${shown}: over ${MAX_BYTES} bytes`);
  return parseDotLint(readFileSync(path, "utf8"), shown);
}

/** The panel title as dashboard-linter sees it (it has no name for an untitled panel). */
const panelOf = (f: Finding): string | undefined =>
  f.panelTitle === undefined || f.panelTitle.startsWith("variable $") ? undefined : f.panelTitle.startsWith("(untitled ") ? "" : f.panelTitle;

export function entryMatches(e: DotLintEntry, f: Finding): boolean {
  if (e.dashboard && f.dashboardTitle !== undefined && e.dashboard !== f.dashboardTitle) return false;
  const panel = panelOf(f);
  if (e.panel && panel !== undefined && e.panel !== panel) return false;
  if (f.targetIndex !== undefined && e.targetIdx) {
    const idx = /^[+-]?\d+$/.test(e.targetIdx.trim()) ? Number(e.targetIdx) : NaN;
    if (!Number.isNaN(idx) && idx !== f.targetIndex) return false;
  }
  return true;
}

function ruleMatches(map: DotLintFile["exclusions"], f: Finding): { reason?: string } | undefined {
  for (const name of [f.peerRule, f.rule]) {
    if (name === undefined) continue;
    const body = map.get(name);
    if (!body) continue;
    if (!body.entries.length) return { reason: body.reason };
    const hit = body.entries.find((e) => entryMatches(e, f));
    if (hit) return { reason: hit.reason ?? body.reason };
  }
  return undefined;
}

/** Applies each file's `.lint` (by the finding's file) to a report. */
export function applyDotLint(report: LintReport, byFile: ReadonlyMap<string, DotLintFile>): LintReport {
  if (!byFile.size) return report;
  const findings: Finding[] = [];
  const excluded = [...report.excluded];
  for (const f of report.findings) {
    const dot = byFile.get(f.file);
    if (!dot) {
      findings.push(f);
      continue;
    }
    // dashboard-linter applies exclusions, then warnings over them: a finding matched by both is a warning.
    if (ruleMatches(dot.warnings, f)) {
      findings.push({ ...f, severity: "warning" });
      continue;
    }
    const ex = ruleMatches(dot.exclusions, f);
    if (ex) excluded.push({ finding: f, exclusion: { rule: f.peerRule ?? f.rule, scope: { file: dot.file }, reason: ex.reason ?? `excluded by ${dot.file}`, line: 0 } });
    else findings.push(f);
  }
  return { ...report, findings, excluded, errors: findings.filter((f) => f.severity === "error").length, warnings: findings.filter((f) => f.severity === "warning").length };
}
