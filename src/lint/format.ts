// Output formats: human (grouped by file), json, and GitHub workflow annotations.
import type { LintReport } from "./engine.js";
import type { Finding, Location } from "./types.js";
import { compareText } from "../emit/textOrder.js";

export const FORMATS = ["human", "json", "github"] as const;
export type Format = (typeof FORMATS)[number];

/** dashboard "x" › panel "y" › query A — the place inside the file. */
export function where(f: Location): string {
  return [
    f.dashboardUid !== undefined && `dashboard "${f.dashboardUid}"`,
    f.group !== undefined && `group "${f.group}"`,
    f.panelTitle !== undefined && (f.panelTitle.startsWith("variable $") ? f.panelTitle : `panel "${f.panelTitle}"`),
    f.alert !== undefined && `alert "${f.alert}"`,
    f.refId !== undefined && f.refId !== "" && `query ${f.refId}`,
    f.metric !== undefined && f.dashboardUid === undefined && f.alert === undefined && `metric ${f.metric}`,
  ]
    .filter(Boolean)
    .join(" › ");
}

function summary(r: LintReport): string {
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  const excluded = r.excluded.length ? `, ${r.excluded.length} excluded${waivedSummary(r)}` : "";
  return `${n(r.errors, "error")}, ${n(r.warnings, "warning")}${excluded} (${r.rules.length} rules, ${r.ms} ms)`;
}

/** Findings waived by dashboard definitions, per rule. */
export function waivedByRule(r: LintReport): Record<string, number> {
  const byRule: Record<string, number> = {};
  for (const e of r.excluded) if (e.exclusion.file !== undefined) byRule[e.finding.rule] = (byRule[e.finding.rule] ?? 0) + 1;
  return byRule;
}

/** `waived` of the JSON summary, only when definitions waived something. */
function waivedField(r: LintReport): { waived?: Record<string, number> } {
  const waived = waivedByRule(r);
  return Object.keys(waived).length ? { waived } : {};
}

/** " (N waived by dashboard definitions: rule n, …)", the rules by count, most first. */
export function waivedSummary(r: LintReport): string {
  const byRule = new Map(Object.entries(waivedByRule(r)));
  if (!byRule.size) return "";
  const total = [...byRule.values()].reduce((a, b) => a + b, 0);
  const rules = [...byRule].sort(([a, m], [b, n]) => n - m || compareText(a, b)).map(([rule, n]) => `${rule} ${n}`);
  return ` (${total} waived by dashboard definitions: ${rules.join(", ")})`;
}

function indent(text: string, pad: string): string {
  return text.replace(/\n/g, `\n${pad}`);
}

export function formatHuman(r: LintReport, opts: { color?: boolean } = {}): string {
  const paint = (code: string, s: string) => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const byFile = new Map<string, Finding[]>();
  for (const f of r.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  const out: string[] = [];
  for (const [file, findings] of byFile) {
    out.push(paint("4", file));
    for (const f of findings) {
      const sev = f.severity === "error" ? paint("31", "error  ") : paint("33", "warning");
      const at = [f.line !== undefined && `line ${f.line}`, where(f)].filter(Boolean).join(" › ");
      const peer = f.peerRule ? paint("2", ` (dashboard-linter: ${f.peerRule})`) : "";
      out.push(`  ${sev} ${paint("1", f.rule)}${peer}${at ? `  ${at}` : ""}`);
      out.push(`          ${indent(f.message, "          ")}`);
      out.push(`          ${paint("2", `fix: ${f.fix}`)}`);
    }
    out.push("");
  }
  out.push(r.findings.length ? `lint: ${summary(r)}` : `lint: clean, ${summary(r)}`);
  return out.join("\n");
}

export function formatJson(r: LintReport): string {
  return JSON.stringify(
    {
      summary: { errors: r.errors, warnings: r.warnings, excluded: r.excluded.length, ...waivedField(r), rules: r.rules.length, ms: r.ms },
      findings: r.findings,
      excluded: r.excluded.map(({ finding, exclusion }) => ({ ...finding, exclusion: { ...(exclusion.file ? { file: exclusion.file } : {}), line: exclusion.line, reason: exclusion.reason, expires: exclusion.expires } })),
    },
    null,
    2,
  );
}

// https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions
const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

export function formatGithub(r: LintReport): string {
  const lines = r.findings.map((f) => {
    const title = f.peerRule ? `${f.rule} (${f.peerRule})` : f.rule;
    const props = [`file=${escapeProperty(f.file)}`, f.line !== undefined && `line=${f.line}`, `title=${escapeProperty(title)}`].filter(Boolean).join(",");
    const at = where(f);
    return `::${f.severity} ${props}::${escapeData(`${at ? `${at}: ` : ""}${f.message}\nfix: ${f.fix}`)}`;
  });
  lines.push(`lint: ${summary(r)}`);
  return lines.join("\n");
}

export function formatReport(r: LintReport, format: Format, opts: { color?: boolean } = {}): string {
  return format === "json" ? formatJson(r) : format === "github" ? formatGithub(r) : formatHuman(r, opts);
}
