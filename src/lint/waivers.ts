// The lint waivers dashboard definitions carry (src/definitions.ts: lintWaivers) as exclusions of the
// engine, beside those of lint-exclusions.yaml: matched, counted as excluded and reported when they
// match nothing (the panel got its description: delete it from the list) the same way. They point
// at the definition file, where a reviewer sees them.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DashboardSource } from "../model/dashboard.js";
import type { Exclusion, ExclusionsFile } from "./exclusions.js";

/** 1-based line of `lintWaivers` in the definition file, 1 when it cannot be read. */
function waiverLine(repoRoot: string, file: string | undefined): number {
  const path = file && join(repoRoot, file);
  if (!path || !existsSync(path)) return 1;
  const at = readFileSync(path, "utf8").split("\n").findIndex((l) => /\blintWaivers\s*:/.test(l));
  return at < 0 ? 1 : at + 1;
}

export function waiverExclusions(definitions: readonly DashboardSource[], repoRoot: string): Exclusion[] {
  const out: Exclusion[] = [];
  for (const d of definitions) {
    if (!d.lintWaivers?.length) continue;
    const line = waiverLine(repoRoot, d.file);
    for (const w of d.lintWaivers)
      for (const panel of w.panels)
        out.push({ rule: w.rule, scope: { dashboard: d.uid, panel }, reason: w.reason, line, file: d.file ?? `dashboard ${d.uid}` });
  }
  return out;
}

/** The exclusions file's entries and the definitions' waivers, as one list for the engine. */
export function withWaivers(file: ExclusionsFile, definitions: readonly DashboardSource[] | undefined, repoRoot: string): ExclusionsFile {
  if (!definitions) return file;
  return { ...file, exclusions: [...file.exclusions, ...waiverExclusions(definitions, repoRoot)] };
}
