// What the importer knows about the Foundation SDK, learnt from the SDK itself rather than written by
// hand, so that every panel kind and option the installed SDK has a builder method for is used:
//
// - types: the SDK's .d.ts files, read with the TypeScript checker, give each builder's methods and the
//   type of each argument (enums, interfaces, nested builders);
// - effects: calling each method once on a fresh builder with a marker argument shows where in the
//   built JSON the argument lands (`unit(x)` → fieldConfig.defaults.unit, `span(w)` → gridPos.w).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, sep } from "node:path";
import ts from "typescript";

const require = createRequire(import.meta.url);

export type Shape =
  | { kind: "any" }
  | { kind: "string" }
  | { kind: "number" }
  | { kind: "boolean" }
  | { kind: "null" }
  | { kind: "undefined" }
  | { kind: "function" }
  | { kind: "literal"; value: string | number | boolean }
  | { kind: "enum"; ns: string; name: string; members: Map<string | number, string> }
  | { kind: "array"; item: Shape }
  | { kind: "union"; members: Shape[] }
  | { kind: "builder"; target: string }
  | {
      kind: "object";
      props: Map<string, { shape: Shape; optional: boolean }>;
      index?: Shape;
    };

export type Path = (string | number)[];

export type Effect =
  /** The argument is stored at `path` (for builders and builder lists: what they build). */
  | { kind: "set"; path: Path }
  /** The argument is appended to the list at `path`. */
  | { kind: "append"; path: Path }
  /** No argument; sets constant values. */
  | { kind: "flag"; sets: [Path, unknown][] };

export interface MethodInfo {
  name: string;
  params: Shape[];
  effect?: Effect;
}

export interface BuilderInfo {
  /** SDK namespace (import path suffix), e.g. "timeseries". */
  ns: string;
  name: string;
  /** What `build()` returns, e.g. "dashboard.Panel". */
  target: string;
  ctorParams: { shape: Shape; path?: Path }[];
  methods: Map<string, MethodInfo>;
  /** Methods by the path they set, deepest information first. */
  byPath: Map<string, MethodInfo[]>;
  /** What a fresh builder builds (constructor defaults), as JSON. */
  baseline: unknown;
  cls: new (...args: unknown[]) => { build(): unknown };
}

export interface SdkModel {
  builders: Map<string, BuilderInfo>; // key "ns.Name"
  /** Builders by what they build ("common.VizLegendOptions" → [...]). */
  byTarget: Map<string, BuilderInfo[]>;
  /** Panel builders by panel plugin id ("timeseries" → timeseries.PanelBuilder). */
  panelBuilders: Map<string, BuilderInfo>;
  enums: Map<string, Extract<Shape, { kind: "enum" }>>;
  /** Runtime namespaces ("dashboard" → module exports). */
  runtime: Map<string, Record<string, unknown>>;
  sdkVersion: string;
}

export const SDK_PACKAGE = "@grafana/grafana-foundation-sdk";

// Namespaces of the classic (v1) dashboard schema and its plugins. The v2 schemas, alerting and
// resource APIs are not what exported dashboard JSON is made of.
const SKIP_NAMESPACE = /v\d|alpha|beta|^(alerting|resource|preferences|team|publicdashboard|librarypanel|units)$/;

export function pathKey(p: Path): string {
  return p.map(String).join("\u0000");
}

function sdkDist(): string {
  return dirname(dirname(require.resolve(`${SDK_PACKAGE}/cog`)));
}

function namespaceOf(file: string): string | undefined {
  const parts = file.split(/[\\/]/);
  const i = parts.lastIndexOf("dist");
  return i >= 0 ? parts[i + 1] : undefined;
}

let cached: Promise<SdkModel> | undefined;

export function loadSdkModel(): Promise<SdkModel> {
  cached ??= buildModel();
  return cached;
}

async function buildModel(): Promise<SdkModel> {
  const dist = sdkDist();
  const namespaces = readdirSync(dist)
    .filter((d) => existsSync(join(dist, d, "index.d.ts")) && !SKIP_NAMESPACE.test(d))
    .sort();
  const sdkVersion = (JSON.parse(readFileSync(join(dist, "..", "package.json"), "utf8")) as { version: string })
    .version;

  // Type information from the SDK's declaration files.
  // A virtual file next to node_modules/, so that the SDK resolves as it does for project code.
  const rootName = join(dirname(dist), "..", "..", "..", `__import_root__${process.pid}.ts`).split(sep).join("/");
  const rootSource = namespaces.map((n) => `export * as ${n} from "${SDK_PACKAGE}/${n}";`).join("\n");
  const options: ts.CompilerOptions = {
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (f, lang, ...rest) =>
    f === rootName ? ts.createSourceFile(f, rootSource, lang) : getSourceFile(f, lang, ...rest);
  host.fileExists = (f) => f === rootName || fileExists(f);
  const program = ts.createProgram([rootName], options, host);
  const checker = program.getTypeChecker();
  const root = program.getSourceFile(rootName)!;
  const rootSymbol = checker.getSymbolAtLocation(root)!;

  const enums = new Map<string, Extract<Shape, { kind: "enum" }>>();
  const shapes = new Map<ts.Type, Shape>();

  const qualifiedName = (sym: ts.Symbol): string => {
    const decl = sym.declarations?.[0];
    const ns = decl ? namespaceOf(decl.getSourceFile().fileName) : undefined;
    return `${ns ?? "?"}.${sym.name}`;
  };

  const enumShape = (enumSym: ts.Symbol): Extract<Shape, { kind: "enum" }> => {
    const key = qualifiedName(enumSym);
    let e = enums.get(key);
    if (!e) {
      const [ns, name] = key.split(".");
      e = { kind: "enum", ns, name, members: new Map() };
      for (const decl of enumSym.declarations ?? []) {
        if (!ts.isEnumDeclaration(decl)) continue;
        for (const m of decl.members) {
          const v = checker.getConstantValue(m);
          if (v !== undefined) e.members.set(v, m.name.getText());
        }
      }
      enums.set(key, e);
    }
    return e;
  };

  const shapeOf = (type: ts.Type): Shape => {
    const known = shapes.get(type);
    if (known) return known;
    const f = type.flags;
    let shape: Shape;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) shape = { kind: "any" };
    else if (f & ts.TypeFlags.Boolean) shape = { kind: "boolean" };
    else if (f & ts.TypeFlags.String) shape = { kind: "string" };
    else if (f & ts.TypeFlags.Number) shape = { kind: "number" };
    else if (f & ts.TypeFlags.Null) shape = { kind: "null" };
    else if (f & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) shape = { kind: "undefined" };
    else if (f & ts.TypeFlags.EnumLiteral && !(f & ts.TypeFlags.Union)) {
      // One member of an enum, e.g. `type: MappingType.ValueToText`.
      const memberSym = type.symbol;
      const parent = (memberSym as ts.Symbol & { parent?: ts.Symbol }).parent;
      const all = parent ? enumShape(parent) : undefined;
      const value = (type as ts.LiteralType).value as string | number;
      shape = all
        ? {
            kind: "enum",
            ns: all.ns,
            name: all.name,
            members: new Map([[value, all.members.get(value) ?? memberSym.name]]),
          }
        : { kind: "literal", value };
    } else if (f & ts.TypeFlags.BooleanLiteral) {
      shape = { kind: "literal", value: (type as unknown as { intrinsicName: string }).intrinsicName === "true" };
    } else if (f & (ts.TypeFlags.StringLiteral | ts.TypeFlags.NumberLiteral)) {
      shape = { kind: "literal", value: (type as ts.LiteralType).value as string | number };
    } else if (f & ts.TypeFlags.Union) {
      const u = type as ts.UnionType;
      if (f & ts.TypeFlags.EnumLiteral && type.symbol && type.symbol.flags & ts.SymbolFlags.Enum) {
        shape = enumShape(type.symbol);
      } else {
        const members = u.types.map(shapeOf).filter((s) => s.kind !== "undefined");
        shape = members.length === 1 ? members[0] : { kind: "union", members };
      }
    } else if (f & ts.TypeFlags.Object || f & ts.TypeFlags.Intersection) {
      if (checker.isArrayType(type)) {
        shape = { kind: "array", item: shapeOf(checker.getTypeArguments(type as ts.TypeReference)[0]) };
      } else if (type.getCallSignatures().length > 0) {
        shape = { kind: "function" };
      } else if (type.symbol?.name === "Builder" && qualifiedName(type.symbol).startsWith("cog.")) {
        const arg = checker.getTypeArguments(type as ts.TypeReference)[0];
        shape = { kind: "builder", target: arg?.symbol ? qualifiedName(arg.symbol) : "?" };
      } else {
        const obj: Extract<Shape, { kind: "object" }> = { kind: "object", props: new Map() };
        shapes.set(type, obj); // recursive types
        for (const p of checker.getPropertiesOfType(type)) {
          const pt = checker.getTypeOfSymbol(p);
          obj.props.set(p.name, { shape: shapeOf(pt), optional: (p.flags & ts.SymbolFlags.Optional) !== 0 });
        }
        const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
        if (index) obj.index = shapeOf(index.type);
        shape = obj;
      }
    } else {
      shape = { kind: "any" };
    }
    shapes.set(type, shape);
    return shape;
  };

  // Runtime classes.
  const runtime = new Map<string, Record<string, unknown>>();
  for (const ns of namespaces) {
    const mod = (await import(`${SDK_PACKAGE}/${ns}`)) as Record<string, unknown>;
    const exportsObj = (
      mod.default && typeof mod.default === "object" ? { ...(mod.default as object), ...mod } : mod
    ) as Record<string, unknown>;
    runtime.set(ns, exportsObj);
  }

  const builders = new Map<string, BuilderInfo>();
  const byTarget = new Map<string, BuilderInfo[]>();
  const panelBuilders = new Map<string, BuilderInfo>();

  for (const nsSym of checker.getExportsOfModule(rootSymbol)) {
    const ns = nsSym.name;
    const moduleSym = checker.getAliasedSymbol(nsSym);
    for (const sym0 of checker.getExportsOfModule(moduleSym)) {
      const sym = sym0.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym0) : sym0;
      if (!(sym.flags & ts.SymbolFlags.Class) || !sym.name.endsWith("Builder")) continue;
      if (qualifiedName(sym).split(".")[0] !== ns) continue;
      const classType = checker.getDeclaredTypeOfSymbol(sym);
      const buildSym = classType.getProperty("build");
      if (!buildSym) continue;
      const buildSig = checker.getTypeOfSymbol(buildSym).getCallSignatures()[0];
      const ret = buildSig && checker.getReturnTypeOfSignature(buildSig);
      if (!ret?.symbol) continue;
      const target = qualifiedName(ret.symbol);
      if (/^dashboardv2|v\d|alpha|beta/.test(target)) continue;
      const cls = runtime.get(ns)?.[sym.name] as BuilderInfo["cls"] | undefined;
      if (typeof cls !== "function") continue;

      const staticType = checker.getTypeOfSymbol(sym);
      const ctorSig = staticType.getConstructSignatures()[0];
      const ctorParams = (ctorSig?.parameters ?? []).map((p) => ({ shape: shapeOf(checker.getTypeOfSymbol(p)) }));
      const methods = new Map<string, MethodInfo>();
      for (const prop of classType.getProperties()) {
        if (prop.name === "build" || prop.name === "internal" || !(prop.flags & ts.SymbolFlags.Method)) continue;
        const sig = checker.getTypeOfSymbol(prop).getCallSignatures()[0];
        if (!sig) continue;
        methods.set(prop.name, {
          name: prop.name,
          params: sig.parameters.map((p) => shapeOf(checker.getTypeOfSymbol(p))),
        });
      }
      const info: BuilderInfo = {
        ns,
        name: sym.name,
        target,
        ctorParams,
        methods,
        byPath: new Map(),
        baseline: undefined,
        cls,
      };
      probe(info);
      builders.set(`${ns}.${sym.name}`, info);
      const list = byTarget.get(target) ?? [];
      list.push(info);
      byTarget.set(target, list);
      if (target === "dashboard.Panel" && sym.name === "PanelBuilder" && ns !== "dashboard") {
        const type = (info.baseline as { type?: string }).type;
        if (type) panelBuilders.set(type, info);
      }
    }
  }
  return { builders, byTarget, panelBuilders, enums, runtime, sdkVersion };
}

// ---------------------------------------------------------------------------------------------------
// Probing: where does each method put its argument?

const MARK = "__import_probe__";

function toJson(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

function find(value: unknown, pred: (v: unknown) => boolean, path: Path = [], out: Path[] = []): Path[] {
  if (pred(value)) {
    out.push(path);
    return out;
  }
  if (Array.isArray(value)) value.forEach((v, i) => find(v, pred, [...path, i], out));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) find(v, pred, [...path, k], out);
  return out;
}

function getAt(value: unknown, path: Path): unknown {
  let v = value as Record<string | number, unknown> | undefined;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = v[k] as Record<string | number, unknown> | undefined;
  }
  return v;
}

function candidates(shape: Shape, id: number): unknown[] {
  const s = `${MARK}${id}`;
  switch (shape.kind) {
    case "number":
      return [104729 + id, 7.25, 1, 0.5];
    case "boolean":
      return [];
    case "builder":
      return [{ build: () => ({ [MARK]: id }) }];
    case "array":
      if (shape.item.kind === "builder") return [[{ build: () => ({ [MARK]: id }) }]];
      return [[{ [MARK]: id }]];
    case "object":
    case "any":
    case "union":
      return [{ [MARK]: id }, s];
    default:
      return [s];
  }
}

function isMark(id: number): (v: unknown) => boolean {
  const s = `${MARK}${id}`;
  return (v) =>
    v === s ||
    v === 104729 + id ||
    (typeof v === "object" && v !== null && !Array.isArray(v) && (v as Record<string, unknown>)[MARK] === id);
}

function probe(info: BuilderInfo): void {
  const ctorArgs = info.ctorParams.map((p, i) => (p.shape.kind === "number" ? 104729 + 900 + i : `${MARK}ctor${i}`));
  const fresh = () => new info.cls(...ctorArgs);
  let baselineRaw: unknown;
  try {
    baselineRaw = toJson(fresh().build());
  } catch {
    return;
  }
  info.ctorParams.forEach((p, i) => {
    const paths = find(baselineRaw, (v) => v === ctorArgs[i]);
    if (paths.length === 1) p.path = paths[0];
  });
  // The baseline as a user would see it: constructor arguments are left out.
  const baseline = structuredClone(baselineRaw) as Record<string, unknown>;
  for (const p of info.ctorParams) if (p.path) deleteAt(baseline, p.path);
  info.baseline = baseline;

  let id = 0;
  for (const m of info.methods.values()) {
    id++;
    const call = (args: unknown[]): unknown => {
      const b = fresh() as unknown as Record<string, (...a: unknown[]) => unknown> & { build(): unknown };
      b[m.name](...args);
      return toJson(b.build());
    };
    if (m.params.length === 0) {
      // Flags: compare with the baseline, and with the baseline after each other flag (editable() vs readonly()).
      try {
        const after = call([]);
        const sets = new Map<string, [Path, unknown]>();
        for (const [p, v] of changedLeaves(baselineRaw, after)) sets.set(pathKey(p), [p, v]);
        for (const other of info.methods.values()) {
          if (other === m || other.params.length !== 0) continue;
          const b = fresh() as unknown as Record<string, () => unknown> & { build(): unknown };
          b[other.name]();
          const before = toJson(b.build());
          b[m.name]();
          for (const [p, v] of changedLeaves(before, toJson(b.build()))) sets.set(pathKey(p), [p, v]);
        }
        if (sets.size) m.effect = { kind: "flag", sets: [...sets.values()] };
      } catch {
        /* not usable */
      }
      continue;
    }
    if (m.params.length !== 1) continue;
    const shape = m.params[0];
    if (shape.kind === "boolean") {
      try {
        const a = call([true]);
        const b = call([false]);
        const diff = changedLeaves(a, b).map(([p]) => p);
        if (diff.length === 1) m.effect = { kind: "set", path: diff[0] };
      } catch {
        /* not usable */
      }
    } else {
      for (const arg of candidates(shape, id)) {
        let built: unknown;
        try {
          built = call([arg]);
        } catch {
          continue;
        }
        let paths = find(built, isMark(id));
        if (typeof arg === "number" && !paths.length)
          paths = find(built, (v) => v === arg).filter((p) => getAt(baselineRaw, p) !== arg);
        if (paths.length !== 1) continue;
        const p = paths[0];
        const last = p[p.length - 1];
        if (shape.kind === "array") {
          // `targets([b])` → the list itself is at p minus the index.
          if (typeof last === "number") m.effect = { kind: "set", path: p.slice(0, -1) };
          else m.effect = { kind: "set", path: p };
        } else if (typeof last === "number" && Array.isArray(getAt(built, p.slice(0, -1)))) {
          m.effect = { kind: "append", path: p.slice(0, -1) };
        } else {
          m.effect = { kind: "set", path: p };
        }
        break;
      }
    }
    if (m.effect && m.effect.kind !== "flag") {
      const key = pathKey(m.effect.path);
      const list = info.byPath.get(key) ?? [];
      list.push(m);
      info.byPath.set(key, list);
    }
  }
}

function deleteAt(obj: Record<string, unknown>, path: Path): void {
  const parent = getAt(obj, path.slice(0, -1)) as Record<string | number, unknown> | undefined;
  if (parent && typeof parent === "object") delete parent[path[path.length - 1]];
}

/** Leaves whose value differs between a and b, with b's value (undefined: removed). */
export function changedLeaves(a: unknown, b: unknown, path: Path = [], out: [Path, unknown][] = []): [Path, unknown][] {
  if (a === b) return out;
  const isObj = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) changedLeaves(ao[k], bo[k], [...path, k], out);
    return out;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push([path, b]);
  return out;
}

export { getAt };
