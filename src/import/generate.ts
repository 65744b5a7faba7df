// Dashboard JSON → builder code (as an Expr tree). Each object is written with the SDK builder for its
// kind, one method per field the builder has a method for (learnt in sdkModel.ts); the chain is run at
// once and whatever it does not rebuild exactly is kept as a raw-JSON patch next to it, so the code
// always rebuilds the original (up to normalise.ts).
import type { DatasourceKey } from "../datasourceUids.js";
import type { MappedRef } from "./datasources.js";
import { type Call, type Expr, evaluate, lit } from "./ir.js";
import { explainDifference, formatPath, jsonEqual, type NormaliseContext, type Path } from "./normalise.js";
import { REMOVE } from "./raw.js";
import { type BuilderInfo, getAt, type MethodInfo, pathKey, type SdkModel, type Shape } from "./sdkModel.js";

export interface ImportWarning {
  code:
    | "raw-fields"
    | "legacy-panel"
    | "plugin-panel"
    | "library-panel"
    | "raw-query"
    | "raw-variable"
    | "raw-object"
    | "schema-version"
    | "datasource"
    | "legacy-dashboard"
    | "derived-uid";
  where: string;
  message: string;
  /** Paths kept as raw JSON (relative to the object). */
  paths?: string[];
}

export interface GenerateResult {
  expr: Expr;
  warnings: ImportWarning[];
  /** Per object: SDK defaults removed again with REMOVE (not a loss, but noise in the code). */
  removedDefaults: { where: string; paths: string[] }[];
  panelKinds: Map<string, number>;
  panelCount: number;
}

/** Datasource plugin id → the SDK's query builder ("ns.Class"). */
const QUERY_BUILDERS: Record<string, string> = {
  prometheus: "prometheus.DataqueryBuilder",
  loki: "loki.DataqueryBuilder",
  tempo: "tempo.DataqueryBuilder",
  elasticsearch: "elasticsearch.DataqueryBuilder",
  testdata: "testdata.DataqueryBuilder",
  "grafana-testdata-datasource": "testdata.DataqueryBuilder",
  "grafana-pyroscope-datasource": "grafanapyroscope.DataqueryBuilder",
  parca: "parca.DataqueryBuilder",
  "grafana-athena-datasource": "athena.DataqueryBuilder",
  "grafana-bigquery-datasource": "bigquery.DataqueryBuilder",
  "grafana-azure-monitor-datasource": "azuremonitor.MonitorQueryBuilder",
  stackdriver: "googlecloudmonitoring.CloudMonitoringQueryBuilder",
};

const LEGACY_PANELS = new Set(["graph", "singlestat", "table-old", "grafana-piechart-panel", "grafana-worldmap-panel"]);
const LEGACY_REPLACEMENT: Record<string, string> = {
  graph: "timeseries",
  singlestat: "stat",
  "table-old": "table",
  "grafana-piechart-panel": "piechart",
  "grafana-worldmap-panel": "geomap",
};

const FIRST_KEYS = [
  "type",
  "id",
  "name",
  "title",
  "uid",
  "label",
  "description",
  "tags",
  "datasource",
  "gridPos",
  "refId",
  "expr",
  "query",
  "definition",
  "targets",
];
const LAST_KEYS = ["links", "annotations", "templating", "panels"];

type Handler = (value: unknown, emit: (c: Call) => boolean) => void;

interface Rendered {
  expr: Expr;
  complete: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function camel(s: string): string {
  const c = s
    .toLowerCase()
    .replace(/[^a-z0-9]+([a-z0-9])/g, (_, ch: string) => ch.toUpperCase())
    .replace(/[^a-zA-Z0-9]/g, "");
  return /^[0-9]/.test(c) ? `v${c}` : c || "v";
}

export class Generator {
  readonly warnings: ImportWarning[] = [];
  readonly removedDefaults: { where: string; paths: string[] }[] = [];
  readonly panelKinds = new Map<string, number>();
  panelCount = 0;
  private readonly consts = new Map<string, { name: string; expr: Expr }>();
  private readonly constNames = new Set<string>();
  private readonly dsTypes: (string | undefined)[] = [];
  private readonly prefixes = new WeakMap<BuilderInfo, Set<string>>();
  private readonly overrideMethods = new WeakMap<BuilderInfo, Map<string, MethodInfo>>();

  constructor(
    private readonly model: SdkModel,
    /** The dashboard being imported, datasource references mapped. */
    private readonly original: Record<string, unknown>,
    private readonly refs: Map<object, MappedRef>,
    private readonly norm: NormaliseContext,
  ) {}

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
        [pathKey(["fieldConfig", "overrides"]), this.overridesHandler(info, abs, where)],
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
  private datasourceType(ref: unknown): string | undefined {
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
    return { t: "raw", json: this.json(v), comment: undefined };
  }

  private count(kind: string) {
    this.panelKinds.set(kind, (this.panelKinds.get(kind) ?? 0) + 1);
  }

  private builder(key: string): BuilderInfo {
    const b = this.model.builders.get(key);
    if (!b) throw new Error(`the SDK has no ${key}`);
    return b;
  }

  // -------------------------------------------------------------------------------------------------
  // One builder chain

  private build(
    info: BuilderInfo,
    target: Record<string, unknown>,
    abs: Path,
    where: string,
    handlers?: Map<string, Handler>,
    /** Write the object as raw JSON when the builder would add more than it sets. */
    preferRaw = false,
  ): Expr {
    const args = info.ctorParams.map((p) => {
      const v = p.path ? getAt(target, p.path) : undefined;
      const r = v === undefined ? undefined : this.render(p.shape, v, [...abs, ...(p.path ?? [])]);
      return r?.expr ?? lit(p.shape.kind === "number" ? 0 : "");
    });
    const ctorPaths = new Set(info.ctorParams.filter((p) => p.path).map((p) => pathKey(p.path!)));
    type Live = Record<string, (...a: unknown[]) => unknown> & { build(): unknown };
    const fresh = () => new info.cls(...args.map((a) => evaluate(a, this.model))) as unknown as Live;
    let live = fresh();
    const calls: Call[] = [];
    const emit = (c: Call): boolean => {
      try {
        live[c.m](...c.args.map((a) => evaluate(a, this.model)));
      } catch {
        // The SDK refused the value (validation, or a shape it cannot handle); it goes to the raw patch.
        // The method may have changed the builder before it threw: start again from the calls kept.
        live = fresh();
        for (const k of calls) live[k.m](...k.args.map((a) => evaluate(a, this.model)));
        return false;
      }
      calls.push(c);
      return true;
    };
    const done = new Set<string>();
    // Queries inside take their datasource type from the nearest object that names one.
    this.dsTypes.push(this.datasourceType(target.datasource) ?? this.dsTypes[this.dsTypes.length - 1]);
    const visit = (node: Record<string, unknown>, rel: Path) => {
      for (const k of orderKeys(node, rel.length === 0)) {
        const p = [...rel, k];
        const pk = pathKey(p);
        const v = node[k];
        if (v === undefined || ctorPaths.has(pk) || done.has(pk)) continue;
        const handler = handlers?.get(pk);
        if (handler) {
          handler(v, emit);
          continue;
        }
        if (jsonEqual(getAt(info.baseline, p), v)) continue;
        if (this.tryMethods(info, p, v, abs, emit)) continue;
        if (this.tryFlags(info, p, target, abs, emit, done)) continue;
        if (isObject(v) && this.hasDeeper(info, pk)) visit(v, p);
      }
    };
    try {
      visit(target, []);
    } finally {
      this.dsTypes.pop();
    }

    const expr: Expr = { t: "new", ns: info.ns, cls: info.name, args, calls };
    const built = JSON.parse(JSON.stringify(live.build())) as unknown;
    const patch = this.patch(built, target, abs);
    if (patch === undefined) return expr;
    const kept: string[] = [];
    const removed: string[] = [];
    collectPatchPaths(patch, [], kept, removed);
    if (preferRaw && removed.length > calls.length) {
      // The builder fills in more than the original has (e.g. a panel link built with the dashboard
      // link builder): the object itself reads better.
      this.warnings.push({
        code: "raw-object",
        where,
        message: `kept as raw JSON: ${info.ns}.${info.name} would add ${removed.length} field(s) it does not have`,
      });
      return { t: "raw", json: this.json(target) };
    }
    if (kept.length)
      this.warnings.push({ code: "raw-fields", where, message: `kept as raw JSON: ${kept.join(", ")}`, paths: kept });
    if (removed.length) this.removedDefaults.push({ where, paths: removed });
    return { t: "withRaw", builder: expr, patch: this.patchExpr(patch) };
  }

  private hasDeeper(info: BuilderInfo, pk: string): boolean {
    let set = this.prefixes.get(info);
    if (!set) {
      set = new Set();
      for (const key of info.byPath.keys()) {
        const parts = key.split("\u0000");
        for (let i = 1; i < parts.length; i++) set.add(parts.slice(0, i).join("\u0000"));
      }
      for (const m of info.methods.values())
        if (m.effect?.kind === "flag")
          for (const [p] of m.effect.sets) for (let i = 1; i < p.length; i++) set.add(pathKey(p.slice(0, i)));
      this.prefixes.set(info, set);
    }
    return set.has(pk);
  }

  private tryMethods(info: BuilderInfo, p: Path, v: unknown, abs: Path, emit: (c: Call) => boolean): boolean {
    const methods = info.byPath.get(pathKey(p)) ?? [];
    if (!methods.length) return false;
    const here = [...abs, ...p];
    // Lists of builders: one `withX(...)` per item, as people write it.
    const append = methods.find((m) => m.effect?.kind === "append" && m.params[0].kind === "builder");
    if (append && Array.isArray(v) && v.length > 0 && getAt(info.baseline, p) === undefined) {
      const items = v.map((x, i) => this.render(append.params[0], x, [...here, i]));
      if (items.every((r) => r)) {
        for (const r of items) emit({ m: append.name, args: [r!.expr] });
        return true;
      }
    }
    let partial: { m: MethodInfo; r: Rendered } | undefined;
    for (const m of methods) {
      if (m.effect?.kind !== "set") continue;
      const r = this.render(m.params[0], v, here);
      if (!r) continue;
      if (r.complete || !this.hasDeeper(info, pathKey(p)) || !isObject(v)) {
        if (emit({ m: m.name, args: [r.expr] })) return true;
      } else partial ??= { m, r };
    }
    if (partial && !this.hasDeeper(info, pathKey(p))) return emit({ m: partial.m.name, args: [partial.r.expr] });
    return false;
  }

  private tryFlags(
    info: BuilderInfo,
    p: Path,
    target: unknown,
    abs: Path,
    emit: (c: Call) => boolean,
    done: Set<string>,
  ): boolean {
    for (const m of info.methods.values()) {
      if (m.effect?.kind !== "flag") continue;
      const sets = m.effect.sets;
      if (!sets.some(([q, val]) => pathKey(q) === pathKey(p) && jsonEqual(getAt(target, q), val))) continue;
      const fits = ([q, val]: [Path, unknown]) =>
        jsonEqual(getAt(target, q), val) ||
        (getAt(target, q) === undefined && this.accepted([...abs, ...q], undefined, val));
      if (!sets.every(fits)) continue;
      if (emit({ m: m.name, args: [] })) {
        for (const [q] of sets) done.add(pathKey(q));
        return true;
      }
    }
    return false;
  }

  private overridesHandler(info: BuilderInfo, abs: Path, where: string): Handler {
    return (overrides, emit) => {
      if (!Array.isArray(overrides)) return;
      const byMatcher = this.overrideMethodsOf(info);
      const withOverride = info.methods.get("withOverride");
      overrides.forEach((o, i) => {
        const here = [...abs, "fieldConfig", "overrides", i];
        if (
          isObject(o) &&
          Object.keys(o).every((k) => k === "matcher" || k === "properties") &&
          isObject(o.matcher) &&
          Object.keys(o.matcher).every((k) => k === "id" || k === "options") &&
          typeof o.matcher.options === "string" &&
          Array.isArray(o.properties)
        ) {
          const m = byMatcher.get(String(o.matcher.id));
          const props = m && this.render(m.params[1], o.properties, [...here, "properties"]);
          if (m && props && emit({ m: m.name, args: [lit(o.matcher.options), props.expr] })) return;
        }
        const r = withOverride && this.render(withOverride.params[0], o, here);
        if (r && withOverride) emit({ m: withOverride.name, args: [r.expr] });
        // otherwise the raw patch keeps it
      });
      void where;
    };
  }

  private overrideMethodsOf(info: BuilderInfo): Map<string, MethodInfo> {
    let map = this.overrideMethods.get(info);
    if (!map) {
      map = new Map();
      for (const m of info.methods.values()) {
        if (!m.name.startsWith("override") || m.params.length !== 2) continue;
        try {
          const b = new info.cls(...info.ctorParams.map(() => "")) as unknown as Record<
            string,
            (...a: unknown[]) => unknown
          > & {
            build(): unknown;
          };
          b[m.name]("x", []);
          const id = getAt(b.build(), ["fieldConfig", "overrides", 0, "matcher", "id"]);
          if (typeof id === "string") map.set(id, m);
        } catch {
          /* not usable */
        }
      }
      this.overrideMethods.set(info, map);
    }
    return map;
  }

  // -------------------------------------------------------------------------------------------------
  // Values

  private render(shape: Shape, v: unknown, abs: Path): Rendered | undefined {
    if (v === undefined) return undefined;
    if (isObject(v) && this.refs.has(v) && (shape.kind === "object" || shape.kind === "any")) {
      if (shape.kind === "any" || shape.index || Object.keys(v).every((k) => shape.props.has(k)))
        return { expr: this.refExpr(v), complete: true };
      // Keys the type does not know (e.g. "default": false) go to the raw patch.
      return { expr: this.refExpr(v, (k) => shape.props.has(k)), complete: false };
    }
    switch (shape.kind) {
      case "any":
        return { expr: this.json(v), complete: true };
      case "string":
        return typeof v === "string" ? { expr: lit(v), complete: true } : undefined;
      case "number":
        return typeof v === "number" ? { expr: lit(v), complete: true } : undefined;
      case "boolean":
        return typeof v === "boolean" ? { expr: lit(v), complete: true } : undefined;
      case "null":
        return v === null ? { expr: lit(null), complete: true } : undefined;
      case "literal":
        return v === shape.value ? { expr: lit(v), complete: true } : undefined;
      case "enum": {
        const member = shape.members.get(v as string | number);
        return member === undefined
          ? undefined
          : {
              expr: { t: "enum", ns: shape.ns, name: shape.name, member, value: v as string | number },
              complete: true,
            };
      }
      case "union": {
        let partial: Rendered | undefined;
        const members = [...shape.members].sort((a, b) => Number(a.kind === "any") - Number(b.kind === "any"));
        for (const s of members) {
          const r = this.render(s, v, abs);
          if (r?.complete) return r;
          partial ??= r;
        }
        return partial;
      }
      case "array": {
        if (!Array.isArray(v)) return undefined;
        const items = v.map((x, i) => this.render(shape.item, x, [...abs, i]));
        if (!items.every((r) => r)) return undefined;
        return { expr: { t: "arr", items: items.map((r) => r!.expr) }, complete: items.every((r) => r!.complete) };
      }
      case "builder": {
        if (!isObject(v)) return undefined;
        const expr = this.forTarget(shape.target, v, abs);
        return expr ? { expr, complete: expr.t === "new" } : undefined;
      }
      case "object": {
        if (!isObject(v)) return undefined;
        const props: [string, Expr][] = [];
        let complete = true;
        for (const [k, x] of Object.entries(v)) {
          const prop = shape.props.get(k);
          const s = prop?.shape ?? shape.index;
          const r = s && x !== undefined ? this.render(s, x, [...abs, k]) : undefined;
          if (!r) {
            complete = false;
            continue;
          }
          complete &&= r.complete;
          props.push([k, r.expr]);
        }
        for (const [k, prop] of shape.props) {
          if (prop.optional || props.some(([pk]) => pk === k)) continue;
          // A required key the original leaves out, where Grafana reads absent and null alike.
          if (!(k in v) && this.accepted([...abs, k], undefined, null) && this.render(prop.shape, null, [...abs, k]))
            props.push([k, lit(null)]);
          else return undefined;
        }
        if (!props.length && Object.keys(v).length) return undefined;
        return { expr: { t: "obj", props }, complete };
      }
      default:
        return undefined;
    }
  }

  private forTarget(target: string, v: Record<string, unknown>, abs: Path): Expr | undefined {
    switch (target) {
      case "dashboard.Panel":
        return this.panel(v, abs);
      case "dashboard.RowPanel":
        return this.row(v, abs);
      case "cog.Dataquery":
        return this.query(v, abs);
      case "dashboard.VariableModel":
        return this.variable(v, abs);
    }
    const list = this.model.byTarget.get(target) ?? [];
    const name = target.split(".")[1];
    const info = list.find((b) => b.name === `${name}Builder`) ?? list[0];
    if (!info) return undefined;
    return this.build(info, v, abs, describe(abs, this.original), undefined, true);
  }

  /** Any JSON value, with datasource references written as references. */
  json(v: unknown): Expr {
    if (isObject(v)) {
      if (this.refs.has(v)) return this.refExpr(v);
      const props = Object.entries(v).map(([k, x]) => [k, this.json(x)] as [string, Expr]);
      return props.every(([, e]) => e.t === "lit") ? lit(v) : { t: "obj", props };
    }
    if (Array.isArray(v)) {
      const items = v.map((x) => this.json(x));
      return items.every((e) => e.t === "lit") ? lit(v) : { t: "arr", items };
    }
    return lit(v);
  }

  private refExpr(v: Record<string, unknown>, keep: (key: string) => boolean = () => true): Expr {
    const ref = this.refs.get(v)!;
    const keys = Object.keys(v).filter(keep);
    const valueOf = (k: string, x: unknown): Expr => (k === "uid" && ref.key ? { t: "ctxds", key: ref.key } : lit(x));
    const inline: Expr = { t: "obj", props: keys.map((k) => [k, valueOf(k, v[k])]) };
    const simple =
      keys.length === 2 &&
      keys.includes("type") &&
      keys.includes("uid") &&
      typeof v.type === "string" &&
      typeof v.uid === "string";
    if (!simple) return inline;
    const sig = `${String(v.type)}\u0000${String(v.uid)}`;
    let c = this.consts.get(sig);
    if (!c) {
      const base = ref.key ? `${camel(ref.key)}Ds` : `${camel(ref.variable ?? "datasource")}Var`;
      let name = base;
      if (this.constNames.has(name)) name = `${base}${camel(String(v.type)).replace(/^./, (ch) => ch.toUpperCase())}`;
      for (let n = 2; this.constNames.has(name); n++) name = `${base}${n}`;
      this.constNames.add(name);
      c = {
        name,
        expr: {
          t: "const",
          name,
          value: {
            t: "obj",
            props: [
              ["type", lit(v.type)],
              ["uid", valueOf("uid", v.uid)],
            ],
          },
        },
      };
      this.consts.set(sig, c);
    }
    return c.expr;
  }

  // -------------------------------------------------------------------------------------------------
  // Raw patches

  private accepted(abs: Path, target: unknown, built: unknown): boolean {
    return explainDifference(abs, target, built, this.original, this.norm) !== undefined;
  }

  /** What to merge into `built` to get `target`; undefined when nothing (beyond normalisation). */
  private patch(built: unknown, target: unknown, abs: Path): unknown {
    if (jsonEqual(built, target)) return undefined;
    if (isObject(built) && isObject(target)) {
      const out: Record<string, unknown> = {};
      for (const [k, t] of Object.entries(target)) {
        if (t === undefined) continue;
        if (!(k in built) || built[k] === undefined) {
          if (!this.accepted([...abs, k], t, undefined)) out[k] = t;
          continue;
        }
        const sub = this.patch(built[k], t, [...abs, k]);
        if (sub !== undefined) out[k] = sub;
      }
      for (const [k, b] of Object.entries(built))
        if (b !== undefined && !(k in target) && !this.accepted([...abs, k], undefined, b)) out[k] = REMOVE;
      return Object.keys(out).length ? out : undefined;
    }
    if (Array.isArray(built) && Array.isArray(target) && built.length === target.length) {
      const out: Record<string, unknown> = {};
      target.forEach((t, i) => {
        const sub = this.patch(built[i], t, [...abs, i]);
        if (sub !== undefined) out[String(i)] = sub;
      });
      return Object.keys(out).length ? out : undefined;
    }
    if (this.accepted(abs, target, built)) return undefined;
    return target;
  }

  private patchExpr(p: unknown): Expr {
    if (p === REMOVE) return { t: "remove" };
    if (isObject(p) && !this.refs.has(p)) {
      const props = Object.entries(p).map(([k, x]) => [k, this.patchExpr(x)] as [string, Expr]);
      return props.every(([, e]) => e.t === "lit") ? lit(p) : { t: "obj", props };
    }
    return this.json(p);
  }
}

function hasRemove(p: unknown): boolean {
  return p === REMOVE || (isObject(p) && Object.values(p).some(hasRemove));
}

/** Paths a patch sets (descending into single-key objects) and removes. */
function collectPatchPaths(p: unknown, path: Path, kept: string[], removed: string[]): void {
  if (p === REMOVE) removed.push(formatPath(path));
  else if (isObject(p) && Object.keys(p).length && (path.length === 0 || Object.keys(p).length === 1 || hasRemove(p)))
    for (const [k, x] of Object.entries(p))
      collectPatchPaths(x, [...path, /^\d+$/.test(k) ? Number(k) : k], kept, removed);
  else kept.push(formatPath(path) || "(all)");
}

/** A readable name for the object at `abs`: `panel "CPU" query A`, `annotation "Deploys"`. */
export function describe(abs: Path, root: unknown): string {
  const parts: string[] = [];
  let node = root as Record<string | number, unknown> | undefined;
  for (let i = 0; i < abs.length; i++) {
    const k = abs[i];
    node = node && typeof node === "object" ? (node[k] as Record<string | number, unknown>) : undefined;
    if (typeof k !== "number" || !node || typeof node !== "object") continue;
    const parent = abs[i - 1];
    if (parent === "panels") {
      parts.length = 0;
      parts.push(`${node.type === "row" ? "row" : "panel"} "${String(node.title ?? "")}"`);
    } else if (parent === "targets") parts.push(`query ${String(node.refId ?? k)}`);
    else if (parent === "list" && abs[i - 2] === "annotations") parts.push(`annotation "${String(node.name ?? "")}"`);
    else if (parent === "list" && abs[i - 2] === "templating") parts.push(`variable "${String(node.name ?? "")}"`);
    else if (parent === "links") parts.push(`link "${String(node.title ?? "")}"`);
    else if (parent === "overrides") parts.push(`override ${k}`);
  }
  let lastIndex = -1;
  abs.forEach((k, i) => {
    if (typeof k === "number") lastIndex = i;
  });
  const rest = abs.slice(lastIndex + 1);
  if (rest.length) parts.push(formatPath(rest));
  return parts.join(" ") || formatPath(abs) || "dashboard";
}

function orderKeys(node: Record<string, unknown>, top: boolean): string[] {
  const keys = Object.keys(node);
  if (!top) return keys;
  const first = FIRST_KEYS.filter((k) => k in node);
  const last = LAST_KEYS.filter((k) => k in node);
  return [...first, ...keys.filter((k) => !first.includes(k) && !last.includes(k)), ...last];
}

export type { DatasourceKey };
