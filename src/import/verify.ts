// `npm run import -- --verify`: build the generated code and compare the result with the dashboard
// that came in. Differences the normalisation list (normalise.ts) accounts for are counted; any other
// difference is a failure.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DATASOURCE_UIDS } from "../datasourceUids.js";
import type { DashboardContext, DashboardDefinition } from "../definitions.js";
import type { Config } from "../model/config.js";
import type { ImportResult } from "./index.js";
import { REPO_ROOT } from "./index.js";
import { compareDashboards, type Difference, summariseRules, toJson } from "./normalise.js";

export interface VerifyResult {
  differences: Difference[];
  /** Differences no normalisation rule explains. */
  unexplained: Difference[];
  /** Rule id → number of differences it explains. */
  rules: Map<string, number>;
}

export async function dashboardContext(config?: Config): Promise<DashboardContext> {
  // Generated code does not read the configuration; a missing or broken one must not hide import problems.
  return { config: config ?? (undefined as unknown as Config), datasources: DATASOURCE_UIDS, dashboardPath: (uid) => `/d/${uid}` };
}

/** Builds what a definition module exports, as the build does, and returns the dashboard JSON. */
export async function buildDefinitionModule(file: string, config?: Config): Promise<unknown> {
  const mod = (await import(pathToFileURL(file).href)) as { default: DashboardDefinition };
  return toJson(mod.default.build(await dashboardContext(config)).build());
}

export function verifyBuilt(result: ImportResult, built: unknown): VerifyResult {
  const differences = compareDashboards(result.original, built, result.normalise);
  return { differences, unexplained: differences.filter((d) => !d.rule), rules: summariseRules(differences) };
}

/** Writes the code to a scratch directory in the repository (so imports resolve), builds it, compares. */
export async function verifyImport(result: ImportResult, config?: Config): Promise<VerifyResult> {
  const dir = mkdtempSync(join(REPO_ROOT, "import-verify.tmp-"));
  try {
    const file = join(dir, `${result.uid.replace(/[^\w-]/g, "_")}.ts`);
    writeFileSync(file, await result.render(file));
    return verifyBuilt(result, await buildDefinitionModule(file, config));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
