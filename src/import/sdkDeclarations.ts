// The builders of the Foundation SDK as its `.d.ts` files declare them, read with the TypeScript
// checker: each builder's constructor parameters, methods and the type of each argument (enums,
// interfaces, nested builders). No SDK code runs here; sdkProbe.ts learns what the methods do.
import { dirname, join, sep } from "node:path";
import ts from "typescript";
import { type MethodInfo, SDK_PACKAGE, type Shape } from "./sdkTypes.js";

export interface DeclaredBuilder {
  ns: string;
  name: string;
  /** What `build()` returns, e.g. "dashboard.Panel". */
  target: string;
  ctorParams: { shape: Shape }[];
  methods: Map<string, MethodInfo>;
}

export interface Declarations {
  builders: DeclaredBuilder[];
  enums: Map<string, Extract<Shape, { kind: "enum" }>>;
}

function namespaceOf(file: string): string | undefined {
  const parts = file.split(/[\\/]/);
  const i = parts.lastIndexOf("dist");
  return i >= 0 ? parts[i + 1] : undefined;
}

/**
 * Reads the builder classes of `namespaces` (folders of the SDK's `dist`). `usable(ns, name)` says
 * whether the class exists at run time; others are skipped before their types are read.
 */
export function readDeclarations(
  dist: string,
  namespaces: string[],
  usable: (ns: string, name: string) => boolean,
): Declarations {
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

  const builders: DeclaredBuilder[] = [];
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
      if (!usable(ns, sym.name)) continue;

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
      builders.push({ ns, name: sym.name, target, ctorParams, methods });
    }
  }
  return { builders, enums };
}
