// `npm run import -- --verify`: build the generated code and compare the result with the dashboard
// that came in. Differences the normalisation list (normalise.ts) accounts for are counted; any other
// difference is a failure.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DATASOURCE_UIDS } from "../datasourceUids.js";
import type { DashboardContext, DashboardDefinition } from "../definitions.js";
import type { Config } from "../model/config.js";
import type { ImportResult } from "./index.js";
import { REPO_ROOT } from "./index.js";
import { compareDashboards, type Difference, summariseRules, toJson } from "./normalise.js";
import { compareMeaning, type SemanticDifference } from "./semantic.js";

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

export interface SemanticVerifyResult {
  /** Differences in meaning; every one is a failure. */
  differences: SemanticDifference[];
  /** The idiomatic normalisations this import made (IDIOMATIC_RULES), with counts. */
  rules: Map<string, number>;
}

/** Idiomatic import: writes the folder to a scratch directory, builds index.ts, compares meaning. */
export async function verifyIdiomatic(result: ImportResult, config?: Config): Promise<SemanticVerifyResult> {
  const scratch = mkdtempSync(join(REPO_ROOT, "import-verify.tmp-"));
  try {
    const dir = join(scratch, result.uid.replace(/[^\w-]/g, "_"));
    mkdirSync(dir);
    for (const f of await result.renderFolder!(dir)) writeFileSync(join(dir, f.name), f.code);
    const built = await buildDefinitionModule(join(dir, "index.ts"), config);
    return semanticResult(result, built);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function semanticResult(result: ImportResult, built: unknown): SemanticVerifyResult {
  const ctx = result.semantic!;
  const rules = new Map<string, number>();
  if (ctx.renamedVariables.size) rules.set("datasource-variable", ctx.renamedVariables.size);
  if (ctx.metricAliases.size) rules.set("metric-alias", ctx.metricAliases.size);
  if (ctx.houseLinks.length) rules.set("house-frame", ctx.houseLinks.length);
  if (ctx.customUnits) rules.set("custom-unit", ctx.customUnits);
  if (ctx.datasourceUids.size) rules.set("datasource-uids", ctx.datasourceUids.size);
  return { differences: compareMeaning(result.original, built, ctx), rules };
}
