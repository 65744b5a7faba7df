// The lint waivers dashboard definitions carry (src/definitions.ts: lintWaivers) as exclusions of the
// engine, beside those of lint-exclusions.yaml: matched, counted as excluded and reported when they
// match nothing (the panel got its description: delete it from the list) the same way. A waiver
// without panels covers the dashboard. Titles match exactly (a "*" in a title is no pattern). They
// point at the definition file, where a reviewer sees them.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DashboardSource } from "../model/dashboard.js";
import type { Exclusion, ExclusionsFile } from "./exclusions.js";

/** 1-based line of each rule's waiver in the definition file (else of `lintWaivers`, else 1). */
function waiverLines(repoRoot: string, file: string | undefined): (rule: string) => number {
  const path = file && join(repoRoot, file);
  if (!path || !existsSync(path)) return () => 1;
  const lines = readFileSync(path, "utf8").split("\n");
  const start = lines.findIndex((l) => /\blintWaivers\s*:/.test(l));
  if (start < 0) return () => 1;
  return (rule) => {
    const at = lines.findIndex((l, i) => i >= start && (l.includes(`"${rule}"`) || l.includes(`'${rule}'`)));
    return (at < 0 ? start : at) + 1;
  };
}

export function waiverExclusions(definitions: readonly DashboardSource[], repoRoot: string): Exclusion[] {
  const out: Exclusion[] = [];
  for (const d of definitions) {
    if (!d.lintWaivers?.length) continue;
    const lineOf = waiverLines(repoRoot, d.file);
    for (const w of d.lintWaivers) {
      const at = { rule: w.rule, reason: w.reason, line: lineOf(w.rule), file: d.file ?? `dashboard ${d.uid}`, exact: true };
      if (!w.panels) out.push({ ...at, scope: { dashboard: d.uid } });
      else for (const panel of w.panels) out.push({ ...at, scope: { dashboard: d.uid, panel } });
    }
  }
  return out;
}

/** The exclusions file's entries and the definitions' waivers, as one list for the engine. */
export function withWaivers(file: ExclusionsFile, definitions: readonly DashboardSource[] | undefined, repoRoot: string): ExclusionsFile {
  if (!definitions) return file;
  return { ...file, exclusions: [...file.exclusions, ...waiverExclusions(definitions, repoRoot)] };
}
