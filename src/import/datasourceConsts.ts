// Datasource references in the generated code: `ctx.datasources.<key>` for a provisioned datasource,
// and a `{type, uid}` reference used by many panels hoisted into one named constant (`prometheusDs`).
import type { MappedRef } from "./datasources.js";
import { type Expr, lit } from "./ir.js";

function camel(s: string): string {
  const c = s
    .toLowerCase()
    .replace(/[^a-z0-9]+([a-z0-9])/g, (_, ch: string) => ch.toUpperCase())
    .replace(/[^a-zA-Z0-9]/g, "");
  return /^[0-9]/.test(c) ? `v${c}` : c || "v";
}

export class DatasourceConsts {
  private readonly consts = new Map<string, { name: string; expr: Expr }>();
  private readonly names = new Set<string>();

  constructor(private readonly refs: Map<object, MappedRef>) {}

  /** The reference `v` (a key of refs) as code; `keep` filters its keys (those the type knows). */
  expr(v: Record<string, unknown>, keep: (key: string) => boolean = () => true): Expr {
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
      if (this.names.has(name)) name = `${base}${camel(String(v.type)).replace(/^./, (ch) => ch.toUpperCase())}`;
      for (let n = 2; this.names.has(name); n++) name = `${base}${n}`;
      this.names.add(name);
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
}
