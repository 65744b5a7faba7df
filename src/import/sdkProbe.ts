// Where does each builder method put its argument? Calling it once on a fresh builder with a marker
// argument shows it (`unit(x)` → fieldConfig.defaults.unit, `span(w)` → gridPos.w); methods without
// arguments are compared with the baseline (flags such as `readonly()`).
import { type BuilderInfo, getAt, type Path, pathKey, type Shape } from "./sdkTypes.js";

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

export function probe(info: BuilderInfo): void {
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
