// The generated code as data: builder chains, literals, enum members and datasource references. The
// same tree is both run (to check it rebuilds the original) and printed as TypeScript.
import { DATASOURCE_UIDS, type DatasourceKey } from "../datasourceUids.js";
import { blockCommentText, jsString, jsText } from "./escape.js";
import { REMOVE, raw, withRaw } from "./raw.js";
import type { SdkModel } from "./sdkModel.js";

export type Expr =
  | { t: "lit"; v: unknown }
  | { t: "obj"; props: [string, Expr][] }
  | { t: "arr"; items: Expr[] }
  | { t: "enum"; ns: string; name: string; member: string; value: string | number }
  | { t: "new"; ns: string; cls: string; args: Expr[]; calls: Call[] }
  | { t: "withRaw"; builder: Expr; patch: Expr }
  | { t: "raw"; json: Expr; comment?: string }
  | { t: "remove" }
  /** A hoisted constant, e.g. a datasource reference used by many panels. */
  | { t: "const"; name: string; value: Expr }
  | { t: "ctxds"; key: DatasourceKey }
  /** Code written as is (the idiomatic import's preset calls and query references); never run here. */
  | { t: "code"; text: string };

export interface Call {
  m: string;
  args: Expr[];
}

export const lit = (v: unknown): Expr => ({ t: "lit", v });

// ---------------------------------------------------------------------------------------------------
// Running

export function evaluate(e: Expr, model: SdkModel): unknown {
  switch (e.t) {
    case "lit":
      return structuredClone(e.v);
    case "obj":
      return Object.fromEntries(e.props.map(([k, v]) => [k, evaluate(v, model)]));
    case "arr":
      return e.items.map((x) => evaluate(x, model));
    case "enum":
      return e.value;
    case "new": {
      const cls = model.runtime.get(e.ns)?.[e.cls] as new (
        ...a: unknown[]
      ) => Record<string, (...a: unknown[]) => unknown>;
      const b = new cls(...e.args.map((a) => evaluate(a, model)));
      for (const c of e.calls) b[c.m](...c.args.map((a) => evaluate(a, model)));
      return b;
    }
    case "withRaw":
      return withRaw(
        evaluate(e.builder, model) as { build(): unknown },
        evaluate(e.patch, model) as Record<string, unknown>,
      );
    case "raw":
      return raw(evaluate(e.json, model) as Record<string, unknown>);
    case "remove":
      return REMOVE;
    case "const":
      return evaluate(e.value, model);
    case "ctxds":
      return DATASOURCE_UIDS[e.key];
    case "code":
      throw new Error("code written as text is not run by the importer");
  }
}

// ---------------------------------------------------------------------------------------------------
// Printing (before prettier)

export interface PrintState {
  namespaces: Set<string>;
  helpers: Set<"withRaw" | "raw" | "REMOVE">;
  consts: Map<string, Expr>;
  usesCtx: boolean;
  /** Statements before the `return`, in order: builders with long chains, split up (see CHAIN_LIMIT). */
  statements: string[];
  /** Names taken by those statements' builders. */
  names: Set<string>;
}

export function newPrintState(): PrintState {
  return { namespaces: new Set(), helpers: new Set(), consts: new Map(), usesCtx: false, statements: [], names: new Set() };
}

/**
 * Most calls printed as one chain. A builder with more (a dashboard of 2,000 panels) is given a name and
 * its calls are written as statements of at most this many: one chain of thousands of calls nests as
 * deep as it is long, and parsers and formatters recurse on it until the stack runs out.
 */
export const CHAIN_LIMIT = 25;

function builderName(cls: string, s: PrintState): string {
  const base = cls.charAt(0).toLowerCase() + cls.slice(1);
  let name = base;
  for (let n = 2; s.names.has(name) || s.consts.has(name); n++) name = `${base}${n}`;
  s.names.add(name);
  return name;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

export function printKey(k: string): string {
  if (k === "__proto__") return `["__proto__"]`;
  return IDENT.test(k) ? k : jsString(k);
}

export function print(e: Expr, s: PrintState): string {
  switch (e.t) {
    case "lit":
      return printJson(e.v);
    case "obj":
      return `{${e.props.map(([k, v]) => `${printKey(k)}: ${print(v, s)}`).join(", ")}}`;
    case "arr":
      return `[${e.items.map((x) => print(x, s)).join(", ")}]`;
    case "enum":
      s.namespaces.add(e.ns);
      return `${e.ns}.${e.name}.${e.member}`;
    case "new": {
      s.namespaces.add(e.ns);
      const head = `new ${e.ns}.${e.cls}(${e.args.map((a) => print(a, s)).join(", ")})`;
      const chain = (calls: Call[]) =>
        calls.map((c) => `\n.${c.m}(${c.args.map((a) => print(a, s)).join(", ")})`).join("");
      if (e.calls.length <= CHAIN_LIMIT) return head + chain(e.calls);
      // Builders change themselves and return `this`, so `b.withPanel(p);` as a statement is the same call.
      const name = builderName(e.cls, s);
      for (let i = 0; i < e.calls.length; i += CHAIN_LIMIT) {
        // Print first: builders inside the arguments push their own statements, which must come before.
        const text = chain(e.calls.slice(i, i + CHAIN_LIMIT));
        s.statements.push(i === 0 ? `const ${name} = ${head}${text};` : `${name}${text};`);
      }
      return name;
    }
    case "withRaw":
      s.helpers.add("withRaw");
      return `withRaw(${print(e.builder, s)}, ${print(e.patch, s)})`;
    case "raw":
      s.helpers.add("raw");
      return `raw(${e.comment ? `/* ${blockCommentText(e.comment)} */ ` : ""}${print(e.json, s)})`;
    case "remove":
      s.helpers.add("REMOVE");
      return "REMOVE";
    case "const":
      if (!s.consts.has(e.name)) {
        s.consts.set(e.name, e.value);
        print(e.value, s); // records what the value uses
      }
      return e.name;
    case "ctxds":
      s.usesCtx = true;
      return `ctx.datasources.${e.key}`;
    case "code":
      return e.text;
  }
}

function printJson(v: unknown): string {
  if (v === undefined) return "undefined";
  if (Array.isArray(v)) return `[${v.map(printJson).join(", ")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.entries(v)
      .map(([k, x]) => `${printKey(k)}: ${printJson(x)}`)
      .join(", ")}}`;
  if (typeof v === "number" && !Number.isFinite(v)) return v > 0 ? "Infinity" : v < 0 ? "-Infinity" : "NaN";
  if (typeof v === "string") return jsText(v);
  return JSON.stringify(v);
}
