// One builder chain: the object's fields in a readable order, each written with the builder method
// whose effect (sdkProbe.ts) puts it in place; the chain runs as it is written, and what it does not
// rebuild exactly becomes the raw patch next to it (patch.ts).
import { accepted, type GenContext, isObject } from "./context.js";
import { type Call, type Expr, evaluate, lit } from "./ir.js";
import { jsonEqual, type Path } from "./normalise.js";
import { collectPatchPaths, patchExpr, rawPatch } from "./patch.js";
import { type BuilderInfo, getAt, type MethodInfo, pathKey } from "./sdkModel.js";
import { json, type Rendered, render } from "./values.js";

export type Handler = (value: unknown, emit: (c: Call) => boolean) => void;

// Per builder (the SDK model is loaded once): path prefixes with deeper methods, override methods by matcher.
const prefixes = new WeakMap<BuilderInfo, Set<string>>();
const overrideMethodCache = new WeakMap<BuilderInfo, Map<string, MethodInfo>>();

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

export function buildChain(
  g: GenContext,
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
    const r = v === undefined ? undefined : render(g, p.shape, v, [...abs, ...(p.path ?? [])]);
    return r?.expr ?? lit(p.shape.kind === "number" ? 0 : "");
  });
  const ctorPaths = new Set(info.ctorParams.filter((p) => p.path).map((p) => pathKey(p.path!)));
  type Live = Record<string, (...a: unknown[]) => unknown> & { build(): unknown };
  const fresh = () => new info.cls(...args.map((a) => evaluate(a, g.model))) as unknown as Live;
  let live = fresh();
  const calls: Call[] = [];
  const emit = (c: Call): boolean => {
    try {
      live[c.m](...c.args.map((a) => evaluate(a, g.model)));
    } catch {
      // The SDK refused the value (validation, or a shape it cannot handle); it goes to the raw patch.
      // The method may have changed the builder before it threw: start again from the calls kept.
      live = fresh();
      for (const k of calls) live[k.m](...k.args.map((a) => evaluate(a, g.model)));
      return false;
    }
    calls.push(c);
    return true;
  };
  const done = new Set<string>();
  // Queries inside take their datasource type from the nearest object that names one.
  g.dsTypes.push(g.datasourceType(target.datasource) ?? g.dsTypes[g.dsTypes.length - 1]);
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
      if (tryMethods(g, info, p, v, abs, emit)) continue;
      if (tryFlags(g, info, p, target, abs, emit, done)) continue;
      if (isObject(v) && hasDeeper(info, pk)) visit(v, p);
    }
  };
  try {
    visit(target, []);
  } finally {
    g.dsTypes.pop();
  }

  const expr: Expr = { t: "new", ns: info.ns, cls: info.name, args, calls };
  const built = JSON.parse(JSON.stringify(live.build())) as unknown;
  const patch = rawPatch(g, built, target, abs);
  if (patch === undefined) return expr;
  const kept: string[] = [];
  const removed: string[] = [];
  collectPatchPaths(patch, [], kept, removed);
  if (preferRaw && removed.length > calls.length) {
    // The builder fills in more than the original has (e.g. a panel link built with the dashboard
    // link builder): the object itself reads better.
    g.warnings.push({
      code: "raw-object",
      where,
      message: `kept as raw JSON: ${info.ns}.${info.name} would add ${removed.length} field(s) it does not have`,
    });
    return { t: "raw", json: json(g, target) };
  }
  if (kept.length)
    g.warnings.push({ code: "raw-fields", where, message: `kept as raw JSON: ${kept.join(", ")}`, paths: kept });
  if (removed.length) g.removedDefaults.push({ where, paths: removed });
  return { t: "withRaw", builder: expr, patch: patchExpr(g, patch) };
}

function hasDeeper(info: BuilderInfo, pk: string): boolean {
  let set = prefixes.get(info);
  if (!set) {
    set = new Set();
    for (const key of info.byPath.keys()) {
      const parts = key.split("\u0000");
      for (let i = 1; i < parts.length; i++) set.add(parts.slice(0, i).join("\u0000"));
    }
    for (const m of info.methods.values())
      if (m.effect?.kind === "flag")
        for (const [p] of m.effect.sets) for (let i = 1; i < p.length; i++) set.add(pathKey(p.slice(0, i)));
    prefixes.set(info, set);
  }
  return set.has(pk);
}

function tryMethods(
  g: GenContext,
  info: BuilderInfo,
  p: Path,
  v: unknown,
  abs: Path,
  emit: (c: Call) => boolean,
): boolean {
  const methods = info.byPath.get(pathKey(p)) ?? [];
  if (!methods.length) return false;
  const here = [...abs, ...p];
  // Lists of builders: one `withX(...)` per item, as people write it.
  const append = methods.find((m) => m.effect?.kind === "append" && m.params[0].kind === "builder");
  if (append && Array.isArray(v) && v.length > 0 && getAt(info.baseline, p) === undefined) {
    const items = v.map((x, i) => render(g, append.params[0], x, [...here, i]));
    if (items.every((r) => r)) {
      for (const r of items) emit({ m: append.name, args: [r!.expr] });
      return true;
    }
  }
  let partial: { m: MethodInfo; r: Rendered } | undefined;
  for (const m of methods) {
    if (m.effect?.kind !== "set") continue;
    const r = render(g, m.params[0], v, here);
    if (!r) continue;
    if (r.complete || !hasDeeper(info, pathKey(p)) || !isObject(v)) {
      if (emit({ m: m.name, args: [r.expr] })) return true;
    } else partial ??= { m, r };
  }
  if (partial && !hasDeeper(info, pathKey(p))) return emit({ m: partial.m.name, args: [partial.r.expr] });
  return false;
}

function tryFlags(
  g: GenContext,
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
      (getAt(target, q) === undefined && accepted(g, [...abs, ...q], undefined, val));
    if (!sets.every(fits)) continue;
    if (emit({ m: m.name, args: [] })) {
      for (const [q] of sets) done.add(pathKey(q));
      return true;
    }
  }
  return false;
}

export function overridesHandler(g: GenContext, info: BuilderInfo, abs: Path, where: string): Handler {
  return (overrides, emit) => {
    if (!Array.isArray(overrides)) return;
    const byMatcher = overrideMethodsOf(info);
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
        const props = m && render(g, m.params[1], o.properties, [...here, "properties"]);
        if (m && props && emit({ m: m.name, args: [lit(o.matcher.options), props.expr] })) return;
      }
      const r = withOverride && render(g, withOverride.params[0], o, here);
      if (r && withOverride) emit({ m: withOverride.name, args: [r.expr] });
      // otherwise the raw patch keeps it
    });
    void where;
  };
}

function overrideMethodsOf(info: BuilderInfo): Map<string, MethodInfo> {
  let map = overrideMethodCache.get(info);
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
    overrideMethodCache.set(info, map);
  }
  return map;
}

function orderKeys(node: Record<string, unknown>, top: boolean): string[] {
  const keys = Object.keys(node);
  if (!top) return keys;
  const first = FIRST_KEYS.filter((k) => k in node);
  const last = LAST_KEYS.filter((k) => k in node);
  return [...first, ...keys.filter((k) => !first.includes(k) && !last.includes(k)), ...last];
}
