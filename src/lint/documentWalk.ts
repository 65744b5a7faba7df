// One walk of a document for the two checks that read all of it: the literal strings
// datasource-literal-secret reports (literalSecrets.ts), and, for a dashboard, whether every field
// dashboard-shape checks has its kind (shape.ts). Each walked the whole dashboard on its own, and
// the two walks were half of lint's time per dashboard in a large build.
import { flagged, isSecureField, judge, keyedItem, keyedMember, pathOf, type Literal } from "./literalSecrets.js";
import { fits, type Compiled } from "./shape.js";

export interface WalkedDocument {
  /** The document walked (what its findings are about). */
  doc: object;
  /** datasource-literal-secret's findings, in the document's order. */
  literals: Literal[];
  /**
   * With a shape: true when every field it names has its kind and none is null, i.e. when
   * lintableDashboard would hand back the document itself and report nothing. False says only that
   * lintableDashboard has something to do.
   */
  shapeClean: boolean;
}

/** Walks `doc` once; `shape`: the spec of the document's fields (shape.ts COMPILED_DASHBOARD), if it is a dashboard. */
export function walkDocument(doc: object, shape?: Compiled): WalkedDocument {
  const literals: Literal[] = [];
  let shapeClean = shape !== undefined && fits(shape, doc);
  // The path is kept as a stack of its pieces (keys, and indexes of list items) and written out
  // only for a finding: building it at every node cost more than the rest of the rule on a large
  // tree. A string is put on the path only when judge has something to say of it.
  const parts: (string | number)[] = [];
  const literal = (v: string, keyed: boolean, secure: boolean, at: string | number) => {
    parts.push(at);
    for (const l of judge(v, keyed, secure, pathOf(parts))) literals.push(l);
    parts.pop();
  };
  // `key`: the member's key (a list's items are judged by the list's name); `spec`: what the
  // shape says of `v` (a list or object spec), undefined outside the fields it names.
  const walk = (v: object, key: string, secure: boolean, spec: Compiled | undefined) => {
    if (Array.isArray(v)) {
      const item = spec?.item;
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (item !== undefined && !fits(item, x)) shapeClean = false;
        if (typeof x === "string") {
          const keyed = secure || keyedItem(key);
          if (flagged(x, keyed)) literal(x, keyed, secure, i);
        } else if (x !== null && typeof x === "object") {
          parts.push(i);
          walk(x, Array.isArray(x) ? key : "", secure, item !== undefined && item.kind !== "value" ? item : undefined);
          parts.pop();
        }
      }
      return;
    }
    const fields = spec?.fields;
    for (const k in v) {
      if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
      const x: unknown = (v as Record<string, unknown>)[k];
      const field = fields?.get(k);
      // A null fits no kind: Grafana reads it as "not set", and lintableDashboard leaves it out of its copy.
      if (field !== undefined && x !== undefined && !fits(field, x)) shapeClean = false;
      if (typeof x === "string") {
        const inner = secure || isSecureField(k);
        const keyed = inner || keyedMember(k);
        if (flagged(x, keyed)) literal(x, keyed, inner, k);
      } else if (x !== null && typeof x === "object") {
        parts.push(k);
        walk(x, k, secure || isSecureField(k), field !== undefined && field.kind !== "value" ? field : undefined);
        parts.pop();
      }
    }
  };
  walk(doc, "", false, shape);
  return { doc, literals, shapeClean };
}
