// Dashboard JSON → builder code (as an Expr tree). Each object is written with the SDK builder for its
// kind, one method per field the builder has a method for (learnt in sdkModel.ts); the chain is run at
// once and whatever it does not rebuild exactly is kept as a raw-JSON patch next to it (chain.ts), so
// the code always rebuilds the original (up to normalise.ts). This file holds the objects by kind.
import { buildChain, type Handler, overridesHandler } from "./chain.js";
import { type GenContext, isObject } from "./context.js";
import { DatasourceConsts } from "./datasourceConsts.js";
import type { MappedRef } from "./datasources.js";
import { describe } from "./describe.js";
import type { Expr } from "./ir.js";
import type { NormaliseContext, Path } from "./normalise.js";
import { LEGACY_PANELS, LEGACY_REPLACEMENT, QUERY_BUILDERS } from "./pluginKinds.js";
import { type BuilderInfo, pathKey, type SdkModel } from "./sdkModel.js";
import { json } from "./values.js";
import type { ImportWarning } from "./warnings.js";

export type { ImportWarning } from "./warnings.js";

export class Generator implements GenContext {
  readonly warnings: ImportWarning[] = [];
  readonly removedDefaults: { where: string; paths: string[] }[] = [];
  readonly panelKinds = new Map<string, number>();
  panelCount = 0;
  readonly dsTypes: (string | undefined)[] = [];
  readonly consts: DatasourceConsts;

  constructor(
    readonly model: SdkModel,
    /** The dashboard being imported, datasource references mapped. */
    readonly original: Record<string, unknown>,
    readonly refs: Map<object, MappedRef>,
    readonly norm: NormaliseContext,
  ) {
    this.consts = new DatasourceConsts(refs);
  }

  // -------------------------------------------------------------------------------------------------
  // Objects by kind

  dashboard(): Expr {
    const target = { ...this.original };
    for (const k of Object.keys(target)) if (k.startsWith("__")) delete target[k];
    delete target.id;
    delete target.version;
    delete target.schemaVersion;
    const info = this.builder("dashboard.DashboardBuilder");
    const handlers = new Map<string, Handler>([
      [
        pathKey(["panels"]),
        (panels, emit) => {
          if (!Array.isArray(panels)) return;
          panels.forEach((p, i) => {
            const abs = ["panels", i];
            if (isObject(p) && p.type === "row") emit({ m: "withRow", args: [this.row(p, abs)] });
            else emit({ m: "withPanel", args: [this.panel(p, abs)] });
          });
        },
      ],
    ]);
    return this.build(info, target, [], "dashboard", handlers);
  }

  row(row: Record<string, unknown>, abs: Path): Expr {
    const where = `row "${String(row.title ?? "")}"`;
    this.panelCount++;
    this.count("row");
    const handlers = new Map<string, Handler>([
      [
        pathKey(["panels"]),
        (panels, emit) => {
          if (!Array.isArray(panels)) return;
          panels.forEach((p, j) => emit({ m: "withPanel", args: [this.panel(p, [...abs, "panels", j])] }));
        },
      ],
    ]);
    return this.build(this.builder("dashboard.RowBuilder"), row, abs, where, handlers);
  }

  panel(p: unknown, abs: Path): Expr {
    if (!isObject(p)) return this.rawObject(p, abs, "panel", "raw-object", "not an object");
    this.panelCount++;
    const type = typeof p.type === "string" ? p.type : "";
    const kind = type || (isObject(p.libraryPanel) ? "library panel" : "no type");
    this.count(kind);
    const where = `panel "${String(p.title ?? "")}" (${kind}${typeof p.id === "number" ? `, id ${p.id}` : ""})`;
    try {
      const typed = this.model.panelBuilders.get(type);
      const info = typed ?? this.builder("dashboard.PanelBuilder");
      if (!typed && isObject(p.libraryPanel)) {
        this.warnings.push({
          code: "library-panel",
          where,
          message:
            `reference to library panel "${String(p.libraryPanel.name ?? p.libraryPanel.uid ?? "")}" kept; ` +
            "the library panel itself (in __elements of a UI export, or in Grafana) is not imported",
        });
      } else if (!typed) {
        const legacy = LEGACY_PANELS.has(type);
        this.warnings.push({
          code: legacy ? "legacy-panel" : "plugin-panel",
          where,
          message: legacy
            ? `legacy "${type}" panel: the SDK has no builder for it; kept with the generic dashboard.PanelBuilder, its fields as raw JSON` +
              (LEGACY_REPLACEMENT[type]
                ? ` (converting it to "${LEGACY_REPLACEMENT[type]}" in Grafana and importing again gives typed code)`
                : "")
            : `panel type "${type}" has no builder in the SDK ${this.model.sdkVersion}; kept with the generic dashboard.PanelBuilder and its options as raw JSON`,
        });
      }
      const handlers = new Map<string, Handler>([
        [pathKey(["fieldConfig", "overrides"]), overridesHandler(this, info, abs, where)],
      ]);
      return this.build(info, p, abs, where, handlers);
    } catch (e) {
      return this.rawObject(
        p,
        abs,
        where,
        "raw-object",
        `could not be written with a builder (${(e as Error).message})`,
      );
    }
  }

  query(q: Record<string, unknown>, abs: Path): Expr {
    const where = describe(abs, this.original);
    const type = this.datasourceType(q.datasource) ?? this.dsTypes[this.dsTypes.length - 1];
    const key = type ? QUERY_BUILDERS[type] : undefined;
    const info = key ? this.model.builders.get(key) : undefined;
    if (!info) {
      return this.rawObject(
        q,
        abs,
        where,
        "raw-query",
        type === "datasource" || type === "grafana"
          ? "Grafana's built-in annotation query has no builder in the SDK; kept as raw JSON"
          : type
            ? `the SDK has no query builder for datasource type "${type}"; kept as raw JSON`
            : "the query names no datasource type (nor does its panel); kept as raw JSON",
      );
    }
    return this.build(info, q, abs, where);
  }

  variable(v: Record<string, unknown>, abs: Path): Expr {
    const where = `variable "${String(v.name ?? "")}"`;
    const type = typeof v.type === "string" ? v.type : "query";
    const info = (this.model.byTarget.get("dashboard.VariableModel") ?? []).find(
      (b) => (b.baseline as { type?: string }).type === type,
    );
    if (!info)
      return this.rawObject(
        v,
        abs,
        where,
        "raw-variable",
        `variable type "${type}" has no builder in the SDK; kept as raw JSON`,
      );
    return this.build(info, v, abs, where);
  }

  /**
   * The plugin type a datasource reference points at: its own `type`, the provisioned datasource it was
   * mapped to, or the plugin of the datasource variable it names (`${DS_PROMETHEUS}` → "prometheus").
   */
  datasourceType(ref: unknown): string | undefined {
    if (!isObject(ref)) return undefined;
    if (typeof ref.type === "string") return ref.type;
    const mapped = this.refs.get(ref);
    if (mapped?.key) return mapped.key;
    if (mapped?.variable) {
      const templating = this.original.templating;
      const list = isObject(templating) && Array.isArray(templating.list) ? templating.list : [];
      const v = list.find((x) => isObject(x) && x.name === mapped.variable && x.type === "datasource");
      if (isObject(v) && typeof v.query === "string" && v.query) return v.query;
    }
    return undefined;
  }

  private rawObject(v: unknown, abs: Path, where: string, code: ImportWarning["code"], message: string): Expr {
    this.warnings.push({ code, where, message });
    return { t: "raw", json: json(this, v), comment: undefined };
  }

  private count(kind: string) {
    this.panelKinds.set(kind, (this.panelKinds.get(kind) ?? 0) + 1);
  }

  builder(key: string): BuilderInfo {
    const b = this.model.builders.get(key);
    if (!b) throw new Error(`the SDK has no ${key}`);
    return b;
  }

  build(
    info: BuilderInfo,
    target: Record<string, unknown>,
    abs: Path,
    where: string,
    handlers?: Map<string, Handler>,
    preferRaw = false,
  ): Expr {
    return buildChain(this, info, target, abs, where, handlers, preferRaw);
  }
}
