// Structure the lint rules read from queries, on top of src/query/parse.ts (which parses, finds
// selectors and grouping labels): what surrounds each selector, the ranges of rate()-like calls,
// the argument of histogram_quantile(), and the grouping labels of LogQL and TraceQL.
import type { SyntaxNode, Tree } from "@lezer/common";
import type { CatalogIndex, MetricDef } from "../model/catalog.js";
import { checkExpressionAgainstCatalog, type CatalogIssue } from "./catalogCheck.js";
import { memoByExpression, parse, promqlSelectors, type PromSelector } from "./parse.js";

/** The (shared, cached) tree of an expression with Grafana variables expanded in place. */
export const tree = parse;

/** Rules ask the same questions of the same expressions: answer each once. */
function memo<T>(fn: (expr: string) => T): (expr: string) => T {
  const cache = new Map<string, T>();
  return (expr) => {
    let v = cache.get(expr);
    if (v === undefined) cache.set(expr, (v = fn(expr)));
    return v;
  };
}

// Per catalog, per extra names (by their content: equal records made apart share answers), per
// expression. The content's key is made once per record object, not per call: lint asks once per
// query and rule, and a key made of the record and the expression was a new long string each time.
const catalogMemo = new WeakMap<CatalogIndex, Map<string, Map<string, CatalogIssue[]>>>();
const namesKeys = new WeakMap<object, string>();
const NO_NAMES: Readonly<Record<string, string[]>> = {};

/** The catalog check of the build on one PromQL expression, once per catalog, expression and extra names. */
export function catalogIssues(expr: string, catalog: CatalogIndex, extraNames: Readonly<Record<string, string[]>> = NO_NAMES): CatalogIssue[] {
  let byNames = catalogMemo.get(catalog);
  if (!byNames) catalogMemo.set(catalog, (byNames = new Map()));
  let namesKey = namesKeys.get(extraNames);
  if (namesKey === undefined) namesKeys.set(extraNames, (namesKey = JSON.stringify(extraNames)));
  let memo = byNames.get(namesKey);
  if (!memo) byNames.set(namesKey, (memo = new Map()));
  let v = memo.get(expr);
  if (!v) memo.set(expr, (v = checkExpressionAgainstCatalog(expr, catalog, extraNames)));
  return v;
}

export function nodesNamed(t: Tree, name: string): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  t.iterate({ enter: (n) => void (n.name === name && found.push(n.node)) });
  return found;
}

export const textOf = (expr: string, n: SyntaxNode | null | undefined) => (n ? expr.slice(n.from, n.to) : "");

/** Nodes that only wrap an expression without changing what the value is. */
const TRANSPARENT = new Set(["ParenExpr", "MatrixSelector", "OffsetExpr", "StepInvariantExpr", "SubqueryExpr", "FunctionCallBody", "AnchoredExpr", "SmoothedExpr"]);

export interface Enclosing {
  kind: "call" | "aggregation" | "binary" | "unary";
  name: string;
}

export interface SelectorUse extends PromSelector {
  /** The call or aggregation the selector is (directly) an argument of, through parentheses, ranges and offsets. */
  parent?: Enclosing;
  /** The catalog entry of its metric, and which series of it. */
  catalog?: { metric: MetricDef; suffix: string };
}

function enclosingOf(expr: string, node: SyntaxNode): Enclosing | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (TRANSPARENT.has(p.name)) continue;
    if (p.name === "FunctionCall") return { kind: "call", name: textOf(expr, p.getChild("FunctionIdentifier")) };
    if (p.name === "AggregateExpr") return { kind: "aggregation", name: textOf(expr, p.getChild("AggregateOp")) };
    if (p.name === "BinaryExpr") return { kind: "binary", name: "" };
    if (p.name === "UnaryExpr") return { kind: "unary", name: "-" };
    return undefined;
  }
  return undefined;
}

/** Every selector of a PromQL expression with what it is an argument of. */
export function selectorUses(expr: string, catalog: CatalogIndex): SelectorUse[] {
  let forCatalog = selectorMemo.get(catalog);
  if (!forCatalog) {
    forCatalog = memo((e: string): SelectorUse[] => {
      const nodes = nodesNamed(tree("promql", e), "VectorSelector");
      return promqlSelectors(e).map((s, i) => {
        const found = s.metric ? catalog.lookupSeries(s.metric) : undefined;
        return { ...s, parent: nodes[i] ? enclosingOf(e, nodes[i]) : undefined, catalog: found };
      });
    });
    selectorMemo.set(catalog, forCatalog);
  }
  return forCatalog(expr);
}
const selectorMemo = new WeakMap<CatalogIndex, (expr: string) => SelectorUse[]>();

export interface RangeCall {
  fn: string;
  /** The range as written, e.g. "$__rate_interval" or "5m"; undefined when the argument has no range. */
  range?: string;
  column: number;
}

/** Calls of the given functions with the range of their range-vector argument. */
export function rangeCalls(expr: string, fns: ReadonlySet<string>): RangeCall[] {
  // Dashboards repeat their expressions (a variable per job, not a literal): each answered once per set of functions.
  let forFns = rangeMemo.get(fns);
  if (!forFns) rangeMemo.set(fns, (forFns = memo((e: string) => rangeCallsUncached(e, fns))));
  return [...forFns(expr)];
}
const rangeMemo = new WeakMap<ReadonlySet<string>, (expr: string) => RangeCall[]>();

function rangeCallsUncached(expr: string, fns: ReadonlySet<string>): RangeCall[] {
  const out: RangeCall[] = [];
  for (const call of nodesNamed(tree("promql", expr), "FunctionCall")) {
    const fn = textOf(expr, call.getChild("FunctionIdentifier"));
    if (!fns.has(fn)) continue;
    let arg = call.getChild("FunctionCallBody")?.firstChild ?? null;
    while (arg && (arg.name === "ParenExpr" || arg.name === "OffsetExpr" || arg.name === "StepInvariantExpr")) arg = arg.firstChild;
    let range: string | undefined;
    if (arg?.name === "MatrixSelector") {
      const sel = arg.getChild("VectorSelector");
      range = expr.slice((sel?.to ?? arg.from) + 1, arg.to - 1).trim();
    } else if (arg?.name === "SubqueryExpr") {
      const m = /\[\s*([^:\]]*?)\s*:/.exec(expr.slice(arg.firstChild?.to ?? arg.from, arg.to));
      range = m?.[1];
    }
    out.push({ fn, range, column: call.from + 1 });
  }
  return out;
}

export interface QuantileCall {
  column: number;
  /** Metrics of the classic-histogram (_bucket) selectors inside. */
  buckets: string[];
  /** The aggregation directly under histogram_quantile(), if any. */
  aggregation?: { op: string; clause?: "by" | "without"; labels: string[] };
}

export const quantileCalls = memo((expr: string): QuantileCall[] => {
  const out: QuantileCall[] = [];
  for (const call of nodesNamed(tree("promql", expr), "FunctionCall")) {
    if (textOf(expr, call.getChild("FunctionIdentifier")) !== "histogram_quantile") continue;
    const body = call.getChild("FunctionCallBody");
    const args: SyntaxNode[] = [];
    for (let n = body?.firstChild ?? null; n; n = n.nextSibling) if (!n.type.isError && n.name !== "LineComment") args.push(n);
    let arg: SyntaxNode | null = args[1] ?? null;
    if (!arg) continue;
    const buckets = nodesIn(arg, "VectorSelector")
      .map((s) => textOf(expr, s.getChild("Identifier")))
      .filter((m) => m.endsWith("_bucket"));
    while (arg && arg.name === "ParenExpr") arg = arg.firstChild;
    let aggregation: QuantileCall["aggregation"];
    if (arg?.name === "AggregateExpr") {
      const modifier = arg.getChild("AggregateModifier");
      const clause = modifier ? (modifier.firstChild?.name === "Without" ? "without" : "by") : undefined;
      const labels: string[] = [];
      for (let n = modifier?.getChild("GroupingLabels")?.firstChild ?? null; n; n = n.nextSibling) {
        if (n.name === "LabelName" || n.name === "QuotedLabelName") labels.push(textOf(expr, n).replace(/^["'`]|["'`]$/g, ""));
      }
      aggregation = { op: textOf(expr, arg.getChild("AggregateOp")), clause, labels };
    }
    out.push({ column: call.from + 1, buckets, aggregation });
  }
  return out;
});

function nodesIn(node: SyntaxNode, name: string): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const walk = (n: SyntaxNode) => {
    if (n.name === name) found.push(n);
    for (let c = n.firstChild; c; c = c.nextSibling) walk(c);
  };
  walk(node);
  return found;
}

/** Labels of by (...) / without (...) in a LogQL metric query. */
export const logqlGroupingLabels = memoByExpression((expr: string): { label: string; column: number }[] =>
  nodesNamed(tree("logql", expr), "Grouping").flatMap((g) => nodesIn(g, "Identifier").map((n) => ({ label: textOf(expr, n), column: n.from + 1 }))),
);

/** Attributes of by (...) in a TraceQL metrics query, without their scope (span.user_id → user_id). */
export const traceqlGroupingLabels = memoByExpression((expr: string): { label: string; column: number }[] =>
  nodesNamed(tree("traceql", expr), "GroupOperation").flatMap((g) =>
    nodesIn(g, "AttributeField").map((n) => ({ label: textOf(expr, n.getChild("Identifier") ?? n).replace(/^\./, ""), column: n.from + 1 })),
  ),
);

/** The range of each LogQL range aggregation (`[5m]`, `[$__auto]`) as written, with its offset. */
export const logqlRanges = memoByExpression((expr: string): { text: string; from: number }[] =>
  nodesNamed(tree("logql", expr), "Range").map((n) => ({ text: textOf(expr, n), from: n.from })),
);

const variablePatterns = new Map<string, RegExp>();

/** Grafana template variable references in a string: $x, ${x}, ${x:fmt}, [[x]]. */
export function referencesVariable(value: string, name: string): boolean {
  let pattern = variablePatterns.get(name);
  if (!pattern) {
    pattern = new RegExp(`\\$${name}\\b|\\$\\{${name}(?:[:.][^}]*)?\\}|\\[\\[${name}(?::\\w+)?\\]\\]`);
    // Variable names repeat across a tree (job, instance): each pattern is compiled once.
    if (variablePatterns.size < 1_000) variablePatterns.set(name, pattern);
  }
  return pattern.test(value);
}
