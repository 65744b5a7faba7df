// Every metric and label a query names must exist in the metric catalog (catalog/), for the series
// it names: a typo in a metric or label name otherwise shows "No data" in Grafana and never fires
// an alert, without any error anywhere.
//
// The check infers, bottom-up through the PromQL tree, which labels each sub-expression can carry:
// a selector carries its metric's catalog labels, `sum by (a)` carries a, `without (a)` drops it,
// label_replace adds its target, histogram_quantile drops le, group_left(x) adds x. A label is then
// checked where it is used — in a matcher, in by/without, on/ignoring, group_left/right, or as
// label_values' label — against the labels of the series it applies to. Counters (and histogram
// series) must be read through rate()/increase() & co: their raw value depends on when the process
// last restarted.
import type { SyntaxNode } from "@lezer/common";
import type { CatalogIndex } from "../model/catalog.js";
import { memoByExpression, parse } from "./parse.js";
import { suggest } from "./suggest.js";

export interface CatalogIssue {
  message: string;
  /** 1-based column in the expression as written. */
  column: number;
  code: "unknown-metric" | "unknown-label" | "counter-without-rate";
  metric?: string;
  label?: string;
}

/**
 * Series a query may use besides the catalog's, e.g. recording-rule outputs ("job:llm_calls:rate5m").
 * A list of names (their labels are not checked) or name → labels the series carries.
 */
export type ExtraNames = Iterable<string> | Readonly<Record<string, readonly string[] | undefined>>;

type Labels = Set<string> | null; // null: not known, any label may be there
interface Value {
  kind: "vector" | "scalar" | "string";
  labels: Labels;
  /** Series names read below this point, for messages. */
  metrics: string[];
}

const SCALAR: Value = { kind: "scalar", labels: new Set(), metrics: [] };

/** Functions whose (first vector) argument may be a counter: they look at increments or presence, not the value. */
const COUNTER_FUNCTIONS = new Set([
  "rate", "irate", "increase", "resets", "changes", "absent", "absent_over_time", "present_over_time", "count_over_time", "timestamp",
]);
/** Aggregations that count series rather than add their values. */
const COUNTING_AGGREGATIONS = new Set(["count", "group"]);
/** Aggregations whose result keeps the input's labels. */
const SELECTING_AGGREGATIONS = new Set(["topk", "bottomk", "limitk", "limit_ratio"]);
/** Functions returning a vector without labels. */
const LABELLESS_FUNCTIONS = new Set(["vector", "time", "pi", "scalar"]);
const SCALAR_FUNCTIONS = new Set(["time", "pi", "scalar"]);

export class Checker {
  readonly issues: CatalogIssue[] = [];
  constructor(
    private readonly expr: string,
    private readonly catalog: CatalogIndex,
    private readonly extra: Map<string, readonly string[] | undefined>,
  ) {}

  private text(node: SyntaxNode | null): string {
    return node ? this.expr.slice(node.from, node.to) : "";
  }

  private issue(i: CatalogIssue): void {
    if (!this.issues.some((x) => x.column === i.column && x.message === i.message)) this.issues.push(i);
  }

  private isVariable(s: string): boolean {
    return s.includes("$") || s.includes("[[");
  }

  /** Labels a series of this name carries; undefined when it is not known at all. */
  private seriesLabels(name: string): Labels | undefined {
    const known = this.catalog.labelsOf(name);
    if (known) return new Set(known);
    if (this.extra.has(name)) {
      const l = this.extra.get(name);
      return l ? new Set(["job", "instance", ...l]) : null;
    }
    return undefined;
  }

  infer(node: SyntaxNode, counterOk = false): Value {
    switch (node.name) {
      case "PromQL": {
        const inner = exprChildren(node)[0];
        return inner ? this.infer(inner, counterOk) : SCALAR;
      }
      case "VectorSelector":
        return this.selector(node, counterOk);
      case "MatrixSelector":
      case "ParenExpr":
      case "OffsetExpr":
      case "StepInvariantExpr":
      case "AnchoredExpr":
      case "SmoothedExpr":
      case "SubqueryExpr": {
        const inner = exprChildren(node)[0] ?? node.getChild("VectorSelector");
        return inner ? this.infer(inner, counterOk) : SCALAR;
      }
      case "UnaryExpr": {
        const inner = exprChildren(node)[0];
        return inner ? this.infer(inner) : SCALAR;
      }
      case "NumberDurationLiteral":
        return SCALAR;
      case "StringLiteral":
        return { kind: "string", labels: new Set(), metrics: [] };
      case "FunctionCall":
        return this.call(node);
      case "AggregateExpr":
        return this.aggregate(node);
      case "BinaryExpr":
        return this.binary(node);
      default:
        // Error nodes and anything new in the grammar: check what is inside, claim nothing.
        for (const c of exprChildren(node)) this.infer(c);
        return { kind: "vector", labels: null, metrics: [] };
    }
  }

  private selector(node: SyntaxNode, counterOk: boolean): Value {
    const matchers: { label: string; node: SyntaxNode; value: string }[] = [];
    let metric: string | null = node.getChild("Identifier") ? this.text(node.getChild("Identifier")) : null;
    let metricNode: SyntaxNode | null = node.getChild("Identifier");
    for (let m = node.getChild("LabelMatchers")?.firstChild ?? null; m; m = m.nextSibling) {
      if (m.name === "UnquotedLabelMatcher") {
        const name = m.getChild("LabelName");
        matchers.push({ label: this.text(name), node: name ?? m, value: unquote(this.text(m.getChild("StringLiteral"))) });
      } else if (m.name === "QuotedLabelMatcher") {
        const name = m.getChild("QuotedLabelName");
        matchers.push({ label: unquote(this.text(name)), node: name ?? m, value: unquote(this.text(m.getChild("StringLiteral"))) });
      } else if (m.name === "QuotedLabelName") {
        metric = unquote(this.text(m));
        metricNode = m;
      }
    }
    if (metric === null) {
      const byName = matchers.find((m) => m.label === "__name__" && /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(m.value));
      const op = byName && this.text(byName.node.parent?.getChild("MatchOp") ?? null);
      if (byName && (op === "=" || op === "")) {
        metric = byName.value;
        metricNode = byName.node;
      }
    }
    if (metric === null || this.isVariable(metric)) return { kind: "vector", labels: null, metrics: [] };

    const labels = this.seriesLabels(metric);
    const column = (metricNode ?? node).from + 1;
    if (labels === undefined) {
      this.issue({
        code: "unknown-metric",
        column,
        metric,
        message: `metric "${metric}" is not in the metric catalog (catalog/)${suggest(metric, this.catalog.seriesNames())}`,
      });
      return { kind: "vector", labels: null, metrics: [metric] };
    }
    for (const m of matchers) {
      if (m.label === "__name__" || this.isVariable(m.label)) continue;
      if (labels && !labels.has(m.label)) {
        this.issue({
          code: "unknown-label",
          column: m.node.from + 1,
          metric,
          label: m.label,
          message: `label "${m.label}" is not a label of ${metric} (it has ${[...labels].join(", ")})${suggest(m.label, [...labels])}`,
        });
      }
    }
    const found = this.catalog.lookupSeries(metric);
    const isCounter = found && (found.metric.type === "counter" || (found.metric.type === "histogram" && found.suffix !== ""));
    if (isCounter && !counterOk) {
      const kind = found.metric.type === "counter" ? "counter" : "histogram series";
      this.issue({
        code: "counter-without-rate",
        column,
        metric,
        message: `${metric} is a ${kind}: its raw value only says how long the process has been up; read it through rate(), irate() or increase()`,
      });
    }
    return { kind: "vector", labels, metrics: [metric] };
  }

  private call(node: SyntaxNode): Value {
    const fn = this.text(node.getChild("FunctionIdentifier"));
    const body = node.getChild("FunctionCallBody");
    const argNodes = body ? exprChildren(body) : [];
    const counterOk = COUNTER_FUNCTIONS.has(fn);
    const args = argNodes.map((a) => this.infer(a, counterOk));
    const metrics = args.flatMap((a) => a.metrics);
    const vectorIndex = args.findIndex((a) => a.kind === "vector");
    const vector = vectorIndex >= 0 ? args[vectorIndex] : undefined;
    const stringArg = (i: number) => (argNodes[i]?.name === "StringLiteral" ? unquote(this.text(argNodes[i])) : undefined);

    if (SCALAR_FUNCTIONS.has(fn)) return { ...SCALAR, metrics };
    if (LABELLESS_FUNCTIONS.has(fn)) return { kind: "vector", labels: new Set(), metrics };
    if (!vector) return { kind: "vector", labels: new Set(), metrics }; // hour(), month(), ... of now
    let labels = vector.labels;

    if (fn === "label_replace" || fn === "label_join") {
      // label_replace(v, dst, replacement, src, regex); label_join(v, dst, separator, src...)
      const sources = fn === "label_replace" ? [3] : argNodes.map((_, i) => i).filter((i) => i >= 3);
      for (const i of sources) {
        const src = stringArg(i);
        if (src && !this.isVariable(src)) this.requireLabel(src, vector, argNodes[i], `${fn}() source`);
      }
      const dst = stringArg(1);
      if (labels && dst !== undefined) labels = new Set([...labels, dst]);
      else if (dst !== undefined && this.isVariable(dst)) labels = null;
    } else if (fn === "histogram_quantile" || fn === "histogram_fraction") {
      // Classic histograms need le to survive every aggregation on the way (sum by (le, ...)).
      if (labels && vector.metrics.some((m) => m.endsWith("_bucket")) && !labels.has("le")) {
        this.issue({
          code: "unknown-label",
          column: argNodes[vectorIndex].from + 1,
          label: "le",
          metric: vector.metrics[0],
          message: `${fn}() needs the le label of ${vector.metrics[0]}, but it was aggregated away; aggregate with sum by (le, ...)`,
        });
      }
      if (labels) labels = new Set([...labels].filter((l) => l !== "le"));
    } else if (fn === "absent" || fn === "absent_over_time") {
      labels = null; // labels of the equality matchers; never used for grouping here
    } else if (fn === "info") {
      labels = null;
    }
    return { kind: "vector", labels, metrics };
  }

  private aggregate(node: SyntaxNode): Value {
    const op = this.text(node.getChild("AggregateOp"));
    const body = node.getChild("FunctionCallBody");
    const argNodes = body ? exprChildren(body) : [];
    const counterOk = COUNTING_AGGREGATIONS.has(op);
    const args = argNodes.map((a) => this.infer(a, counterOk));
    const vectorIndex = args.map((a) => a.kind).lastIndexOf("vector");
    const inner = vectorIndex >= 0 ? args[vectorIndex] : { kind: "vector" as const, labels: null, metrics: [] };
    const metrics = args.flatMap((a) => a.metrics);

    const modifier = node.getChild("AggregateModifier");
    const clause = modifier?.firstChild?.name === "Without" ? "without" : modifier ? "by" : undefined;
    const grouping = modifier ? this.groupingLabels(modifier.getChild("GroupingLabels")) : [];
    for (const g of grouping) this.requireLabel(g.label, inner, g.node, `${op} ${clause} (...)`);

    let labels: Labels;
    if (SELECTING_AGGREGATIONS.has(op)) labels = inner.labels;
    else if (clause === "by") labels = new Set(grouping.map((g) => g.label));
    else if (clause === "without") labels = inner.labels && new Set([...inner.labels].filter((l) => !grouping.some((g) => g.label === l)));
    else labels = new Set();
    if (op === "count_values" && labels) {
      const target = argNodes[0]?.name === "StringLiteral" ? unquote(this.text(argNodes[0])) : undefined;
      labels = target === undefined || this.isVariable(target) ? null : new Set([...labels, target]);
    }
    if (grouping.some((g) => this.isVariable(g.label))) labels = null;
    return { kind: "vector", labels, metrics };
  }

  private binary(node: SyntaxNode): Value {
    const [leftNode, rightNode] = exprChildren(node);
    const left = leftNode ? this.infer(leftNode) : SCALAR;
    const right = rightNode ? this.infer(rightNode) : SCALAR;
    const metrics = [...left.metrics, ...right.metrics];
    if (left.kind !== "vector" && right.kind !== "vector") return { ...SCALAR, metrics };
    if (left.kind !== "vector") return { ...right, metrics };
    if (right.kind !== "vector") return { ...left, metrics };

    const opNode = leftNode.nextSibling;
    const op = opNode ? this.text(opNode).toLowerCase() : "";
    const clause = node.getChild("MatchingModifierClause");
    let labels: Labels = op === "or" ? union(left.labels, right.labels) : left.labels;
    if (clause) {
      const lists = clause.getChildren("GroupingLabels");
      const kind = clause.firstChild?.name === "Ignoring" ? "ignoring" : "on";
      for (const g of this.groupingLabels(lists[0] ?? null)) {
        if (kind === "on") {
          // A join label missing on one side matches only series where it is empty: never what is meant.
          this.requireLabel(g.label, left, g.node, "on (...), left side");
          this.requireLabel(g.label, right, g.node, "on (...), right side");
        } else {
          this.requireLabel(g.label, { kind: "vector", labels: union(left.labels, right.labels), metrics }, g.node, "ignoring (...)");
        }
      }
      const group = clause.getChild("GroupLeft") ? "group_left" : clause.getChild("GroupRight") ? "group_right" : undefined;
      if (group) {
        const one = group === "group_left" ? right : left;
        const many = group === "group_left" ? left : right;
        const extra = this.groupingLabels(lists[1] ?? null);
        for (const g of extra) this.requireLabel(g.label, one, g.node, `${group} (...)`);
        labels = many.labels && new Set([...many.labels, ...extra.map((g) => g.label)]);
        if (extra.some((g) => this.isVariable(g.label))) labels = null;
      }
    }
    return { kind: "vector", labels, metrics };
  }

  private groupingLabels(list: SyntaxNode | null): { label: string; node: SyntaxNode }[] {
    const out: { label: string; node: SyntaxNode }[] = [];
    for (let n = list?.firstChild ?? null; n; n = n.nextSibling) {
      if (n.name === "LabelName") out.push({ label: this.text(n), node: n });
      if (n.name === "QuotedLabelName") out.push({ label: unquote(this.text(n)), node: n });
    }
    return out;
  }

  /** Reports `label` when `value` is known not to carry it. */
  requireLabel(label: string, value: Value, at: SyntaxNode | null, where: string): void {
    if (this.isVariable(label) || value.labels === null || value.labels.has(label)) return;
    const of = value.metrics.length ? ` over ${[...new Set(value.metrics)].join(", ")}` : "";
    const available = value.labels.size ? [...value.labels].join(", ") : "none";
    this.issue({
      code: "unknown-label",
      column: (at?.from ?? 0) + 1,
      label,
      metric: value.metrics[0],
      message: `label "${label}" in ${where} is not on the series it applies to${of} (their labels: ${available})${suggest(label, [...value.labels])}`,
    });
  }

  /** label_values(<selector>, <label>): the label must be one of the selected series'. */
  checkLabelOf(label: string, selector: Value, column: number): void {
    if (this.isVariable(label) || selector.labels === null || selector.labels.has(label)) return;
    this.issue({
      code: "unknown-label",
      column,
      label,
      metric: selector.metrics[0],
      message: `label "${label}" is not a label of ${selector.metrics.join(", ") || "the selected series"} (it has ${[...selector.labels].join(", ")})${suggest(label, [...selector.labels])}`,
    });
  }
}

function union(a: Labels, b: Labels): Labels {
  return a && b ? new Set([...a, ...b]) : null;
}

/** Child nodes that are expressions (skips keywords, modifiers and punctuation). */
function exprChildren(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.type.is("Expr") && !c.type.isError) out.push(c);
  return out;
}

function unquote(literal: string): string {
  if (literal.length < 2) return literal;
  const body = literal.slice(1, -1);
  if (literal.startsWith("`")) return body;
  const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r" };
  return body.replace(/\\(.)/g, (_, c: string) => escapes[c] ?? c);
}

export function toExtraMap(extra: ExtraNames | undefined): Map<string, readonly string[] | undefined> {
  if (!extra) return new Map();
  if (typeof (extra as Iterable<string>)[Symbol.iterator] === "function") {
    return new Map([...(extra as Iterable<string>)].map((n) => [n, undefined]));
  }
  return new Map(Object.entries(extra as Record<string, readonly string[] | undefined>));
}

/** Catalog issues of one PromQL expression (Grafana variables allowed); [] when every name is known. */
export function checkExpressionAgainstCatalog(expr: string, catalog: CatalogIndex, extraNames?: ExtraNames): CatalogIssue[] {
  return checkerFor(catalog, extraNames)(expr);
}

// One memoised checker per catalog and set of extra names, so each expression is checked once. Names
// are compared by content (a caller's object, not changed once handed over, is read once): the alert
// checks and lint's rule-file rules derive the recorded series into objects of their own.
const NO_EXTRA: ExtraNames = [];
const checkers = new WeakMap<CatalogIndex, Map<string, (expr: string) => CatalogIssue[]>>();
const extraKeys = new WeakMap<object, string>();

/** The names' content: sorted by series (only lookups matter), label order kept (messages list them). */
function keyOf(extra: Map<string, readonly string[] | undefined>): string {
  const entries = [...extra].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries.map(([name, labels]) => (labels === undefined ? [name] : [name, labels])));
}

function checkerFor(catalog: CatalogIndex, extraNames: ExtraNames = NO_EXTRA): (expr: string) => CatalogIssue[] {
  let byExtra = checkers.get(catalog);
  if (!byExtra) checkers.set(catalog, (byExtra = new Map()));
  const extra = extraKeys.has(extraNames) ? undefined : toExtraMap(extraNames);
  const key = extra ? keyOf(extra) : extraKeys.get(extraNames)!;
  if (extra) extraKeys.set(extraNames, key);
  let check = byExtra.get(key);
  if (!check) {
    const names = extra ?? toExtraMap(extraNames);
    check = memoByExpression((expr: string) => {
      const checker = new Checker(expr, catalog, names);
      checker.infer(parse("promql", expr).topNode);
      return checker.issues.sort((a, b) => a.column - b.column);
    });
    byExtra.set(key, check);
  }
  return check;
}
