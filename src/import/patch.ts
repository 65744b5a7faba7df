// The raw patch: what to merge into the object a builder chain builds to get the original back.
// Differences the normalisation list allows are not patched; SDK defaults the original lacks are
// removed again with REMOVE.
import { accepted, type GenContext, isObject } from "./context.js";
import { type Expr, lit } from "./ir.js";
import { formatPath, jsonEqual, type Path } from "./normalise.js";
import { REMOVE } from "./raw.js";
import { json } from "./values.js";

/** What to merge into `built` to get `target`; undefined when nothing (beyond normalisation). */
export function rawPatch(g: GenContext, built: unknown, target: unknown, abs: Path): unknown {
  if (jsonEqual(built, target)) return undefined;
  if (isObject(built) && isObject(target)) {
    const out: Record<string, unknown> = {};
    for (const [k, t] of Object.entries(target)) {
      if (t === undefined) continue;
      if (!(k in built) || built[k] === undefined) {
        if (!accepted(g, [...abs, k], t, undefined)) out[k] = t;
        continue;
      }
      const sub = rawPatch(g, built[k], t, [...abs, k]);
      if (sub !== undefined) out[k] = sub;
    }
    for (const [k, b] of Object.entries(built))
      if (b !== undefined && !(k in target) && !accepted(g, [...abs, k], undefined, b)) out[k] = REMOVE;
    return Object.keys(out).length ? out : undefined;
  }
  if (Array.isArray(built) && Array.isArray(target) && built.length === target.length) {
    const out: Record<string, unknown> = {};
    target.forEach((t, i) => {
      const sub = rawPatch(g, built[i], t, [...abs, i]);
      if (sub !== undefined) out[String(i)] = sub;
    });
    return Object.keys(out).length ? out : undefined;
  }
  if (accepted(g, abs, target, built)) return undefined;
  return target;
}

export function patchExpr(g: GenContext, p: unknown): Expr {
  if (p === REMOVE) return { t: "remove" };
  if (isObject(p) && !g.refs.has(p)) {
    const props = Object.entries(p).map(([k, x]) => [k, patchExpr(g, x)] as [string, Expr]);
    return props.every(([, e]) => e.t === "lit") ? lit(p) : { t: "obj", props };
  }
  return json(g, p);
}

function hasRemove(p: unknown): boolean {
  return p === REMOVE || (isObject(p) && Object.values(p).some(hasRemove));
}

/** Paths a patch sets (descending into single-key objects) and removes. */
export function collectPatchPaths(p: unknown, path: Path, kept: string[], removed: string[]): void {
  if (p === REMOVE) removed.push(formatPath(path));
  else if (isObject(p) && Object.keys(p).length && (path.length === 0 || Object.keys(p).length === 1 || hasRemove(p)))
    for (const [k, x] of Object.entries(p))
      collectPatchPaths(x, [...path, /^\d+$/.test(k) ? Number(k) : k], kept, removed);
  else kept.push(formatPath(path) || "(all)");
}
