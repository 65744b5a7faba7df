// What the parts of the code generator share: the SDK model, the dashboard being imported, and the
// generator's objects-by-kind entry points (a builder argument can be a panel, a query, a variable).
import type { MappedRef } from "./datasources.js";
import type { DatasourceConsts } from "./datasourceConsts.js";
import type { Expr } from "./ir.js";
import { explainDifference, type NormaliseContext, type Path } from "./normalise.js";
import type { BuilderInfo, SdkModel } from "./sdkModel.js";
import type { ImportWarning } from "./warnings.js";

export interface GenContext {
  readonly model: SdkModel;
  /** The dashboard being imported, datasource references mapped. */
  readonly original: Record<string, unknown>;
  readonly refs: Map<object, MappedRef>;
  readonly norm: NormaliseContext;
  readonly warnings: ImportWarning[];
  /** Per object: SDK defaults removed again with REMOVE (not a loss, but noise in the code). */
  readonly removedDefaults: { where: string; paths: string[] }[];
  /** Datasource plugin of the enclosing objects, innermost last (a query takes its panel's). */
  readonly dsTypes: (string | undefined)[];
  readonly consts: DatasourceConsts;
  datasourceType(ref: unknown): string | undefined;
  panel(p: unknown, abs: Path): Expr;
  row(row: Record<string, unknown>, abs: Path): Expr;
  query(q: Record<string, unknown>, abs: Path): Expr;
  variable(v: Record<string, unknown>, abs: Path): Expr;
  /** One builder chain for `target` (chain.ts); `preferRaw`: raw JSON when the builder adds more than it sets. */
  build(
    info: BuilderInfo,
    target: Record<string, unknown>,
    abs: Path,
    where: string,
    handlers?: undefined,
    preferRaw?: boolean,
  ): Expr;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const SDK_NOT_GRAFANA = new Set(["legend", "showLegend", "placement", "timezone"]);

/** Whether the normalisation list allows `built` where the original has `target`. */
export function accepted(g: GenContext, abs: Path, target: unknown, built: unknown): boolean {
  // SDK defaults Grafana reads otherwise when absent (a legend's showLegend: false, the placement of
  // links and annotations, timezone) are removed again; the others may stay.
  if (g.norm.keepSdkDefaults && target === undefined && !SDK_NOT_GRAFANA.has(String(abs[abs.length - 1]))) return true;
  return explainDifference(abs, target, built, g.original, g.norm) !== undefined;
}
