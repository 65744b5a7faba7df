// The build's checks of one dashboard on its own (structure, datasources, queries, catalog, schema,
// values), run while its objects are alive; the problems are kept by kind so that a build reports
// them in the order it always has: every dashboard's structure problems, then every dashboard's
// datasource problems, and so on.
import type { Problem } from "../errors.js";
import type { CatalogIndex } from "../model/catalog.js";
import type { BuiltDashboard } from "../model/dashboard.js";
import type { ExtraNames } from "../query/catalogCheck.js";
import { catalogProblems, checkCatalogRefs, variableCatalogIssues } from "../validate/catalogRefs.js";
import { checkDashboardQueries, queriesOf, type DashboardQuery } from "../validate/dashboardQueries.js";
import { structureProblems } from "../validate/dashboardStructure.js";
import { dashboardView, datasourceProblems } from "../validate/datasourceRefs.js";
import { checkDashboardSchemas } from "../validate/emittedFiles.js";
import { checkDashboardValues } from "../validate/dashboardValues.js";
import { stableStringifyChecked, stableStringifyJson } from "../emit/stable.js";
import { PATHS } from "./provisioning.js";

/** The kinds of problems, in the order a build reports them. */
export const PROBLEM_KINDS = ["structure", "datasources", "queries", "catalogQueries", "catalogVariables", "schemas", "values"] as const;
export type ProblemsByKind = Record<(typeof PROBLEM_KINDS)[number], Problem[]>;

export interface DashboardCheckInputs {
  provisioned: Map<string, string>;
  catalog: CatalogIndex;
  recorded: ExtraNames;
  referenceSchemas: boolean;
}

/** The problems of every dashboard checked so far, by kind, in the build's reporting order. */
export class DashboardProblems {
  readonly structure: Problem[] = [];
  readonly datasources: Problem[] = [];
  readonly queries: Problem[] = [];
  /** Catalog problems of panel queries, then those of variables (checkCatalogRefs' order). */
  readonly catalogQueries: Problem[] = [];
  readonly catalogVariables: Problem[] = [];
  readonly schemas: Problem[] = [];
  readonly values: Problem[] = [];
  /**
   * `seen`: uids seen by the structure checks (a duplicate is named at its second dashboard); a
   * part of the build checked apart (src/pipeline/slices.ts) starts with those of the dashboards before it.
   */
  constructor(
    private readonly inputs: DashboardCheckInputs,
    private readonly seen = new Map<string, string | undefined>(),
  ) {}

  /**
   * Runs every per-dashboard check on `d`; returns its queries and its structure problems but a
   * duplicate uid (what the structure check of `d` alone finds), which lint reads too.
   */
  check(d: BuiltDashboard): { queries: DashboardQuery[]; structure: Problem[] } {
    const { provisioned, catalog, recorded, referenceSchemas } = this.inputs;
    // Its panels and datasource variables, derived once for every check below.
    const view = dashboardView(d.json);
    const queries = queriesOf(d, provisioned, view);
    const structure = structureProblems(d, this.seen, view.panels);
    this.structure.push(...structure);
    datasourceProblems(d, provisioned, view, this.datasources);
    this.queries.push(...checkDashboardQueries(queries));
    this.catalogQueries.push(...checkCatalogRefs(queries, [], provisioned, catalog, recorded));
    this.catalogVariables.push(...catalogProblems(variableCatalogIssues(d, provisioned, catalog, recorded, view.datasourceVariables)));
    this.schemas.push(...checkDashboardSchemas([d], referenceSchemas));
    // Every value about to be serialised: finite numbers, valid UTF-8, bounded nesting.
    this.values.push(...checkDashboardValues([d]));
    return { queries, structure: structure.filter((p) => p.code !== "duplicate-uid") };
  }
}

/**
 * Dashboards built before they are checked, linted and emitted together (a worker's slice is one
 * batch): each stage's code stays hot across them, and few dashboards' objects are alive at once.
 */
export const BATCH = 16;

/**
 * A batch's own checks (those `check` picks; all by default) and its texts, stage by stage so each
 * stage's code stays hot across the batch. A dashboard holding a value JSON cannot hold gets no
 * text: the value check names it and fails the build, not the serialiser.
 */
export function checkBatch(
  batch: BuiltDashboard[],
  checks: DashboardProblems,
  opts: { check?: (d: BuiltDashboard) => boolean; cachedText?: (uid: string) => string | undefined } = {},
) {
  const paths = batch.map((d) => PATHS.dashboard(d.folderUid, d.json.uid!));
  const own = batch.map((d) => {
    const bad = checks.values.length;
    return { own: (opts.check?.(d) ?? true) ? checks.check(d) : undefined, serialisable: checks.values.length === bad };
  });
  const texts = batch.map((d, i) => opts.cachedText?.(d.json.uid!) ?? (!own[i].serialisable ? "" : own[i].own ? stableStringifyChecked(d.json) : stableStringifyJson(d.json)));
  return { paths, own: own.map((o) => o.own), texts };
}
