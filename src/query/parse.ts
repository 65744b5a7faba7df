// Syntax and semantic checks for every PromQL, LogQL and TraceQL expression the build emits, using the
// same lezer grammars as Grafana's query editors. Grafana macros and variables are replaced with
// same-length placeholders first, so every column reported points into the expression as written.
import type { SyntaxNode, Tree } from "@lezer/common";
import type { LRParser } from "@lezer/lr";
import { parser as promqlParser } from "@prometheus-io/lezer-promql";
import { parser as logqlParser } from "@grafana/lezer-logql";
import { parser as traceqlParser } from "@grafana/lezer-traceql";
import { expandGrafanaVariables, type QueryLanguage } from "./expand.js";

export { expandGrafanaVariables, type QueryLanguage };

export interface QueryIssue {
  message: string;
  /** 1-based, in the original expression. */
  column: number;
}

const LANGUAGE_NAME: Record<QueryLanguage, string> = { promql: "PromQL", logql: "LogQL", traceql: "TraceQL" };
// Read at first parse, not when this module loads: a build whose dashboards and rules all come from
// the build cache parses nothing, and then never loads the parsers (src/pipeline/vendor.mjs).
const parserOf = (lang: QueryLanguage): LRParser => (lang === "promql" ? promqlParser : lang === "logql" ? logqlParser : traceqlParser);

// Dashboards repeat the same expressions (per job, per panel through variables), and the build, the
// catalog check and lint all walk the same trees: parse each distinct expression once. Trees are
// immutable, so sharing them is safe.
// One map per language, keyed by the expression itself: a key built per call (language + expression)
// was a new string to hash on every lookup, and lint looks each query up once per rule.
const trees: Record<QueryLanguage, Map<string, Tree>> = { promql: new Map(), logql: new Map(), traceql: new Map() };

/**
 * The same for the analyses built on the trees: a thousand dashboards ask the same few questions
 * about the same few expressions. Each caller gets its own copy of the (shallow) result list.
 */
export function memoByExpression<A extends unknown[], T>(fn: (...args: A) => T[]): (...args: A) => T[] {
  const cache = new Map<string, T[]>();
  return (...args: A) => {
    // One string argument (most analyses) is its own key: no key string to build and hash per call.
    const key = args.length === 1 && typeof args[0] === "string" ? args[0] : args.join("\u0000");
    let hit = cache.get(key);
    if (!hit) {
      hit = fn(...args);
      cache.set(key, hit);
    }
    return [...hit];
  };
}

/** The lezer tree of an expression, with Grafana variables expanded in place. */
export function parse(lang: QueryLanguage, expr: string): Tree {
  const byExpr = trees[lang];
  let tree = byExpr.get(expr);
  if (!tree) {
    tree = parserOf(lang).parse(expandGrafanaVariables(expr, lang));
    byExpr.set(expr, tree);
  }
  return tree;
}

/** Syntax + semantic checks; [] when fine. */
function checkQueryUncached(lang: QueryLanguage, expr: string): QueryIssue[] {
  if (expr.trim() === "") return [{ message: `empty ${LANGUAGE_NAME[lang]} expression`, column: 1 }];
  const tree = parse(lang, expr);
  const semantic = lang === "promql" ? promqlRangeIssues(tree, expr) : lang === "logql" ? logqlRangeIssues(tree, expr) : [];
  const issues: QueryIssue[] = semantic.map((s) => s.issue);
  // A missing LogQL range is also a syntax error inside the same call; the semantic message says more.
  const syntax = firstSyntaxError(tree, expr.length);
  if (syntax !== null && !semantic.some((s) => s.from <= syntax && syntax <= s.to)) {
    issues.push({ message: syntaxMessage(lang, expr, syntax), column: syntax + 1 });
  }
  return issues.sort((a, b) => a.column - b.column);
}

/** Offset of the first error node, or of where the parser gave up; null when the parse is clean. */
function firstSyntaxError(tree: Tree, length: number): number | null {
  let first: number | null = tree.length < length ? tree.length : null;
  tree.iterate({
    enter(node) {
      if (node.type.isError && (first === null || node.from < first)) first = node.from;
    },
  });
  return first;
}

function syntaxMessage(lang: QueryLanguage, expr: string, at: number): string {
  const rest = expr.slice(at).trimStart();
  const token = /^(\w[\w.]*|\S)/.exec(rest)?.[1];
  if (token === undefined) return `syntax error at column ${at + 1}: unexpected end of expression`;
  // Tempo only knows intrinsics (status, duration, name, ...) unscoped; attributes need a scope.
  if (lang === "traceql" && /^[a-z_]\w*$/i.test(token) && /^\s*(=|!=|=~|!~|>|<)/.test(rest.slice(token.length))) {
    return `syntax error at column ${at + 1}: unknown field "${token}"; attributes need a scope: .${token}, span.${token} or resource.${token}`;
  }
  return `syntax error at column ${at + 1}: unexpected "${token}"`;
}

// Functions whose argument must be a range vector, with an example call for the message.
const PROM_RANGE_EXAMPLE: Record<string, string> = {
  rate: "x[$__rate_interval]", irate: "x[$__rate_interval]", increase: "x[$__range]",
  delta: "x[10m]", idelta: "x[5m]", deriv: "x[10m]", changes: "x[1h]", resets: "x[1h]",
  predict_linear: "x[1h], 3600", holt_winters: "x[1h], 0.5, 0.5", double_exponential_smoothing: "x[1h], 0.5, 0.5",
  quantile_over_time: "0.95, x[$__interval]",
};
/** Which argument must be a range vector, or -1 when none. */
function promRangeArgIndex(fn: string): number {
  if (fn === "quantile_over_time") return 1;
  return fn in PROM_RANGE_EXAMPLE || fn.endsWith("_over_time") ? 0 : -1;
}

interface SemanticIssue { issue: QueryIssue; from: number; to: number }

function promqlRangeIssues(tree: Tree, expr: string): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  for (const call of nodes(tree, "FunctionCall")) {
    const fn = text(expr, call.getChild("FunctionIdentifier"));
    const index = promRangeArgIndex(fn);
    const body = call.getChild("FunctionCallBody");
    if (index < 0 || !body) continue;
    const arg = args(body)[index];
    if (arg && isRangeVector(arg)) continue;
    const at = arg ? arg.from : body.to - 1;
    const example = `${fn}(${PROM_RANGE_EXAMPLE[fn] ?? "x[$__interval]"})`;
    const message = `${fn}() needs a range vector such as ${example}; got ${arg ? describeArg(arg) : "no argument"} at column ${at + 1}`;
    issues.push({ issue: { message, column: at + 1 }, from: call.from, to: call.to });
  }
  return issues;
}

function logqlRangeIssues(tree: Tree, expr: string): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  for (const agg of nodes(tree, "RangeAggregationExpr")) {
    const logs = agg.getChild("LogRangeExpr");
    if (!logs || logs.getChild("Range")) continue;
    const fn = text(expr, agg.getChild("RangeOp"));
    const message = `${fn}() needs a log range such as ${fn}({job="app"} [$__auto]); got a log stream without [range] at column ${logs.from + 1}`;
    issues.push({ issue: { message, column: logs.from + 1 }, from: agg.from, to: agg.to });
  }
  return issues;
}

/** Matrix selectors and subqueries, also inside parentheses or with offset / @ modifiers. */
function isRangeVector(node: SyntaxNode): boolean {
  if (node.name === "MatrixSelector" || node.name === "SubqueryExpr") return true;
  if (node.name === "ParenExpr" || node.name === "OffsetExpr" || node.name === "StepInvariantExpr") {
    const inner = node.firstChild;
    return inner !== null && isRangeVector(inner);
  }
  return false;
}

function describeArg(node: SyntaxNode): string {
  if (node.name === "NumberDurationLiteral") return "a number";
  if (node.name === "StringLiteral") return "a string";
  return "an instant vector";
}

/** Formats an issue as a one/three-line message pointing at the column: message, the expression, a caret line. */
export function describeIssue(expr: string, issue: QueryIssue): string {
  if (expr.trim() === "") return issue.message;
  // Multi-line expressions: show only the line holding the column.
  const offset = Math.min(Math.max(issue.column - 1, 0), expr.length);
  const lineStart = expr.lastIndexOf("\n", offset - 1) + 1;
  const lineEnd = expr.indexOf("\n", offset);
  const line = expr.slice(lineStart, lineEnd < 0 ? expr.length : lineEnd);
  const pad = expr.slice(lineStart, offset).replace(/[^\t]/g, " "); // keep tabs so the caret lines up
  return `${issue.message}\n  ${line}\n  ${pad}^`;
}

/** PromQL structure for catalog and lint checks (after variable expansion, positions in original expr). */
export interface PromSelector {
  metric: string | null;
  matchers: { label: string; op: "=" | "!=" | "=~" | "!~"; value: string }[];
  column: number;
  hasRange: boolean;
}

function promqlSelectorsUncached(expr: string): PromSelector[] {
  return nodes(parse("promql", expr), "VectorSelector").map((sel) => {
    let metric: string | null = sel.getChild("Identifier") ? text(expr, sel.getChild("Identifier")) : null;
    const matchers: PromSelector["matchers"] = [];
    for (let m = sel.getChild("LabelMatchers")?.firstChild ?? null; m; m = m.nextSibling) {
      if (m.name === "UnquotedLabelMatcher") matchers.push(matcher(expr, m, text(expr, m.getChild("LabelName"))));
      if (m.name === "QuotedLabelMatcher") matchers.push(matcher(expr, m, unquote(text(expr, m.getChild("QuotedLabelName")))));
      // Prometheus 3 also names the metric as a bare quoted string: {"http.server.duration"}.
      if (m.name === "QuotedLabelName") metric = unquote(text(expr, m));
    }
    metric ??= matchers.find((m) => m.label === "__name__" && m.op === "=")?.value ?? null;
    return { metric, matchers, column: sel.from + 1, hasRange: sel.parent?.name === "MatrixSelector" };
  });
}

function matcher(expr: string, node: SyntaxNode, label: string): PromSelector["matchers"][number] {
  const op = text(expr, node.getChild("MatchOp")) as PromSelector["matchers"][number]["op"];
  return { label, op, value: unquote(text(expr, node.getChild("StringLiteral"))) };
}

export interface PromCall {
  fn: string;
  column: number;
  /** Whether the argument that takes a range vector (the first, or quantile_over_time's second) is one. */
  argIsRange: boolean;
}

function promqlCallsUncached(expr: string): PromCall[] {
  return nodes(parse("promql", expr), "FunctionCall").map((call) => {
    const fn = text(expr, call.getChild("FunctionIdentifier"));
    const body = call.getChild("FunctionCallBody");
    const arg = body ? args(body)[Math.max(promRangeArgIndex(fn), 0)] : undefined;
    return { fn, column: call.from + 1, argIsRange: arg !== undefined && isRangeVector(arg) };
  });
}

const CLAUSE = { By: "by", Without: "without", On: "on", Ignoring: "ignoring", GroupLeft: "group", GroupRight: "group" } as const;

/** Labels named in by(...)/without(...) of aggregations and in on()/ignoring()/group_left()/group_right(). */
function promqlGroupingLabelsUncached(expr: string): GroupingLabel[] {
  const labels: ReturnType<typeof promqlGroupingLabels> = [];
  for (const list of nodes(parse("promql", expr), "GroupingLabels")) {
    const keyword = list.prevSibling?.name as keyof typeof CLAUSE | undefined;
    if (!keyword || !(keyword in CLAUSE)) continue;
    for (let n = list.firstChild; n; n = n.nextSibling) {
      if (n.name === "LabelName") labels.push({ label: text(expr, n), clause: CLAUSE[keyword], column: n.from + 1 });
      if (n.name === "QuotedLabelName") labels.push({ label: unquote(text(expr, n)), clause: CLAUSE[keyword], column: n.from + 1 });
    }
  }
  return labels;
}

// --- tree helpers ---

function nodes(tree: Tree, name: string): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  tree.iterate({ enter: (n) => void (n.name === name && found.push(n.node)) });
  return found;
}

/** Call arguments: the body's children minus comments and error nodes. */
function args(body: SyntaxNode): SyntaxNode[] {
  const list: SyntaxNode[] = [];
  for (let n = body.firstChild; n; n = n.nextSibling) if (!n.type.isError && n.name !== "LineComment") list.push(n);
  return list;
}

/** Original text of a node: placeholders are the same length, so this gives back "$job", not "xxxx". */
function text(expr: string, node: SyntaxNode | null): string {
  return node ? expr.slice(node.from, node.to) : "";
}

/** PromQL string literal to its value: drop the quotes, undo Go escapes (raw `...` strings have none). */
function unquote(literal: string): string {
  const body = literal.slice(1, -1);
  if (literal.startsWith("`")) return body;
  const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r" };
  return body.replace(/\\(.)/g, (_, c: string) => escapes[c] ?? c);
}

export type GroupingLabel = { label: string; clause: "by" | "without" | "on" | "ignoring" | "group"; column: number };

/** Syntax + semantic checks; [] when fine. */
export const checkQuery = memoByExpression(checkQueryUncached);
export const promqlSelectors = memoByExpression(promqlSelectorsUncached);
export const promqlCalls = memoByExpression(promqlCallsUncached);
/** Labels named in by(...)/without(...) of aggregations and in on()/ignoring()/group_left()/group_right(). */
export const promqlGroupingLabels = memoByExpression(promqlGroupingLabelsUncached);
