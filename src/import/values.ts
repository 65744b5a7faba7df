// Values as code: a JSON value written as the argument type a builder method declares (literals, enum
// members, objects, nested builders), and any JSON with datasource references written as references.
import { accepted, type GenContext, isObject } from "./context.js";
import { describe } from "./describe.js";
import { type Expr, lit } from "./ir.js";
import type { Path } from "./normalise.js";
import type { Shape } from "./sdkModel.js";

export interface Rendered {
  expr: Expr;
  /** False when part of the value did not fit the type (it goes to the raw patch). */
  complete: boolean;
}

/** The value `v` as an argument of type `shape`; undefined when it does not fit. */
export function render(g: GenContext, shape: Shape, v: unknown, abs: Path): Rendered | undefined {
  if (v === undefined) return undefined;
  if (isObject(v) && g.refs.has(v) && (shape.kind === "object" || shape.kind === "any")) {
    if (shape.kind === "any" || shape.index || Object.keys(v).every((k) => shape.props.has(k)))
      return { expr: g.consts.expr(v), complete: true };
    // Keys the type does not know (e.g. "default": false) go to the raw patch.
    return { expr: g.consts.expr(v, (k) => shape.props.has(k)), complete: false };
  }
  switch (shape.kind) {
    case "any":
      return { expr: json(g, v), complete: true };
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
        const r = render(g, s, v, abs);
        if (r?.complete) return r;
        partial ??= r;
      }
      return partial;
    }
    case "array": {
      if (!Array.isArray(v)) return undefined;
      const items = v.map((x, i) => render(g, shape.item, x, [...abs, i]));
      if (!items.every((r) => r)) return undefined;
      return { expr: { t: "arr", items: items.map((r) => r!.expr) }, complete: items.every((r) => r!.complete) };
    }
    case "builder": {
      if (!isObject(v)) return undefined;
      const expr = forTarget(g, shape.target, v, abs);
      return expr ? { expr, complete: expr.t === "new" } : undefined;
    }
    case "object": {
      if (!isObject(v)) return undefined;
      const props: [string, Expr][] = [];
      let complete = true;
      for (const [k, x] of Object.entries(v)) {
        const prop = shape.props.get(k);
        const s = prop?.shape ?? shape.index;
        const r = s && x !== undefined ? render(g, s, x, [...abs, k]) : undefined;
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
        if (!(k in v) && accepted(g, [...abs, k], undefined, null) && render(g, prop.shape, null, [...abs, k]))
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

/** A nested object built with the builder for `target` (a panel, a query, a legend, …). */
function forTarget(g: GenContext, target: string, v: Record<string, unknown>, abs: Path): Expr | undefined {
  switch (target) {
    case "dashboard.Panel":
      return g.panel(v, abs);
    case "dashboard.RowPanel":
      return g.row(v, abs);
    case "cog.Dataquery":
      return g.query(v, abs);
    case "dashboard.VariableModel":
      return g.variable(v, abs);
  }
  const list = g.model.byTarget.get(target) ?? [];
  const name = target.split(".")[1];
  const info = list.find((b) => b.name === `${name}Builder`) ?? list[0];
  if (!info) return undefined;
  return g.build(info, v, abs, describe(abs, g.original), undefined, true);
}

/** Any JSON value, with datasource references written as references. */
export function json(g: GenContext, v: unknown): Expr {
  if (isObject(v)) {
    if (g.refs.has(v)) return g.consts.expr(v);
    const props = Object.entries(v).map(([k, x]) => [k, json(g, x)] as [string, Expr]);
    return props.every(([, e]) => e.t === "lit") ? lit(v) : { t: "obj", props };
  }
  if (Array.isArray(v)) {
    const items = v.map((x) => json(g, x));
    return items.every((e) => e.t === "lit") ? lit(v) : { t: "arr", items };
  }
  return lit(v);
}
