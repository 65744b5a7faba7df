// What the importer tells the user on stderr: datasources, legacy content, what was kept as raw JSON.
import type { ImportResult } from "./index.js";
import { IDIOMATIC_RULES, NORMALISATION_RULES, formatDifference } from "./normalise.js";
import { formatSemanticDifference } from "./semantic.js";
import type { SemanticVerifyResult, VerifyResult } from "./verify.js";

function kinds(m: Map<string, number>): string {
  return [...m]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
}

export function panelKindsText(result: ImportResult): string {
  return kinds(result.panelKinds);
}

/** One line per kind of raw field, with how many objects it concerns (or every object with `verbose`). */
export function warningLines(result: ImportResult, verbose = false): string[] {
  const lines: string[] = [];
  const rawByPath = new Map<string, string[]>();
  for (const w of result.warnings) {
    if (w.code === "raw-fields" && !verbose && (w.paths?.length ?? 0) > 3) {
      const paths = w.paths!;
      const more = paths.length > 6 ? `, … (${paths.length} fields)` : "";
      lines.push(`warning: ${w.where}: kept as raw JSON: ${paths.slice(0, 6).join(", ")}${more}`);
      continue;
    }
    if (w.code === "raw-fields" && !verbose) {
      for (const p of w.paths ?? []) {
        const key = p.replace(/\[\d+\]/g, "[*]");
        const list = rawByPath.get(key) ?? [];
        list.push(w.where);
        rawByPath.set(key, list);
      }
      continue;
    }
    lines.push(`warning: ${w.where}: ${w.message}`);
  }
  for (const [path, where] of [...rawByPath].sort((a, b) => b[1].length - a[1].length)) {
    const examples = [...new Set(where)].slice(0, 2).join("; ");
    lines.push(
      `warning: kept as raw JSON: ${path} in ${where.length} object${where.length > 1 ? "s" : ""} (${examples}${
        where.length > 2 ? "; …" : ""
      })`,
    );
  }
  return lines;
}

export function summaryLines(result: ImportResult, verbose = false): string[] {
  const lines: string[] = [];
  lines.push(
    `"${result.title}" uid ${result.uid}, version ${result.version ?? "none"}, schemaVersion ${result.schemaVersion ?? "none"}` +
      ` (${result.format}): ${result.panelCount} panels — ${kinds(result.panelKinds) || "none"}`,
  );
  for (const n of result.datasources)
    if (n.action === "mapped" || n.action === "variable") lines.push(`datasource: ${n.message} (${n.count}×)`);
  lines.push(...warningLines(result, verbose));
  const removed = result.removedDefaults.reduce((n, r) => n + r.paths.length, 0);
  if (removed)
    lines.push(
      `note: ${removed} SDK default(s) the original did not have are removed again with REMOVE in ${result.removedDefaults.length} object(s)`,
    );
  return lines;
}

export function verifyLines(v: VerifyResult): string[] {
  const lines: string[] = [];
  const applied = NORMALISATION_RULES.filter((r) => v.rules.has(r.id)).map((r) => `${r.id} ${v.rules.get(r.id)}`);
  lines.push(`verify: normalisations applied: ${applied.join(", ") || "none"}`);
  if (!v.unexplained.length) lines.push("verify: the generated code rebuilds the dashboard (no other differences)");
  else {
    lines.push(`verify: ${v.unexplained.length} difference(s) not covered by the normalisation list:`);
    for (const d of v.unexplained.slice(0, 50)) lines.push(`  ${formatDifference(d)}`);
    if (v.unexplained.length > 50) lines.push(`  … ${v.unexplained.length - 50} more`);
  }
  return lines;
}

export function semanticVerifyLines(v: SemanticVerifyResult): string[] {
  const applied = IDIOMATIC_RULES.filter((r) => v.rules.has(r.id)).map((r) => `${r.id} ${v.rules.get(r.id)}`);
  const lines = [`verify (meaning): idiomatic normalisations: ${applied.join(", ") || "none"}`];
  if (!v.differences.length) lines.push("verify: the build shows what the original shows (no difference in meaning)");
  else {
    lines.push(`verify: ${v.differences.length} difference(s) in meaning:`);
    for (const d of v.differences.slice(0, 50)) lines.push(`  ${formatSemanticDifference(d)}`);
    if (v.differences.length > 50) lines.push(`  … ${v.differences.length - 50} more`);
  }
  return lines;
}
