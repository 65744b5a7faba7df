// pint's alerts/template: an annotation or label that templates {{ $labels.x }} needs x on the
// series the expression returns. sum by (job) (…) keeps only job, so {{ $labels.instance }} renders
// empty in every notification.
import type { SyntaxNode } from "@lezer/common";
import type { CatalogIndex } from "../../model/catalog.js";
import { textOf, tree } from "../../query/analysis.js";
import { alerts, atRule } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

type Labels = Set<string> | null; // null: cannot tell

const COMPARISON = new Set(["==", "!=", ">", "<", ">=", "<="]);

function exprChildren(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) if (c.type.is("Expr") && !c.type.isError) out.push(c);
  return out;
}

/** Labels the series of a PromQL node carry, when the expression says so. */
export function outputLabels(expr: string, n: SyntaxNode, catalog: CatalogIndex): Labels {
  switch (n.name) {
    case "PromQL":
    case "ParenExpr":
    case "OffsetExpr":
    case "StepInvariantExpr":
    case "MatrixSelector":
    case "SubqueryExpr": {
      const inner = exprChildren(n)[0] ?? n.getChild("VectorSelector");
      return inner ? outputLabels(expr, inner, catalog) : null;
    }
    case "NumberDurationLiteral":
      return new Set();
    case "VectorSelector": {
      const metric = textOf(expr, n.getChild("Identifier"));
      const known = metric ? catalog.labelsOf(metric) : undefined;
      return known ? new Set(known) : null;
    }
    case "AggregateExpr": {
      const op = textOf(expr, n.getChild("AggregateOp"));
      const modifier = n.getChild("AggregateModifier");
      const body = n.getChild("FunctionCallBody");
      const inner = body ? exprChildren(body).at(-1) : undefined;
      if (["topk", "bottomk", "limitk", "limit_ratio"].includes(op)) return inner ? outputLabels(expr, inner, catalog) : null;
      if (!modifier) return new Set();
      const listed: string[] = [];
      for (let c = modifier.getChild("GroupingLabels")?.firstChild ?? null; c; c = c.nextSibling) if (c.name === "LabelName") listed.push(textOf(expr, c));
      if (modifier.firstChild?.name === "By") return new Set(listed);
      const below = inner ? outputLabels(expr, inner, catalog) : null;
      return below && new Set([...below].filter((l) => !listed.includes(l)));
    }
    case "FunctionCall": {
      const fn = textOf(expr, n.getChild("FunctionIdentifier"));
      const body = n.getChild("FunctionCallBody");
      const args = body ? exprChildren(body) : [];
      if (["time", "vector", "scalar", "pi"].includes(fn)) return new Set();
      if (fn.startsWith("label_") || fn === "absent" || fn === "absent_over_time" || fn === "info") return null;
      const vector = fn === "histogram_quantile" || fn === "quantile_over_time" ? args[1] : args[0];
      const below = vector ? outputLabels(expr, vector, catalog) : null;
      return fn === "histogram_quantile" && below ? new Set([...below].filter((l) => l !== "le")) : below;
    }
    case "BinaryExpr": {
      const [l, r] = exprChildren(n);
      if (!l || !r || n.getChild("MatchingModifierClause")) return null;
      const op = textOf(expr, l.nextSibling).trim().toLowerCase();
      const left = outputLabels(expr, l, catalog);
      const right = outputLabels(expr, r, catalog);
      if (r.name === "NumberDurationLiteral") return left;
      if (l.name === "NumberDurationLiteral") return right;
      if (op === "or") return left && right && new Set([...left, ...right]);
      if (COMPARISON.has(op) || op === "and" || op === "unless" || /^[-+*/%^]$/.test(op) || op === "atan2") return left;
      return null;
    }
    default:
      return null;
  }
}

/** The same for LogQL (Loki ruler files): what a vector or unwrapped range aggregation keeps. */
export function logqlOutputLabels(expr: string, n: SyntaxNode): Labels {
  const below = (c: SyntaxNode | undefined): Labels => (c ? logqlOutputLabels(expr, c) : null);
  switch (n.name) {
    case "LogQL":
    case "Expr":
    case "MetricExpr":
    case "ParenthesisMetricExpr":
      return below(metricChildren(n)[0]);
    case "LiteralExpr":
    case "VectorExpr":
      return new Set();
    case "VectorAggregationExpr": {
      const op = n.getChild("VectorOp")?.firstChild?.name ?? "";
      const grouping = n.getChild("Grouping");
      const inner = metricChildren(n).at(-1);
      if (!grouping) return ["Topk", "Bottomk", "Sort", "SortDesc"].includes(op) ? below(inner) : new Set();
      return grouped(expr, grouping, () => below(inner));
    }
    case "RangeAggregationExpr": {
      // Without a grouping the series carry the stream's labels and every extracted one: unknown here.
      const grouping = n.getChild("Grouping");
      return grouping ? grouped(expr, grouping, () => null) : null;
    }
    case "BinOpExpr": {
      const [l, r] = n.getChildren("Expr");
      if (!l || !r || n.getChild("BinOpModifier")?.getChild("OnOrIgnoringModifier")) return null;
      if (isLiteral(r)) return below(l);
      if (isLiteral(l)) return below(r);
      const left = below(l);
      const right = below(r);
      if (n.getChild("Or")) return left && right && new Set([...left, ...right]);
      return left;
    }
    default:
      return null;
  }
}

function metricChildren(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) if (c.name.endsWith("Expr") && !c.type.isError) out.push(c);
  return out;
}

function isLiteral(n: SyntaxNode): boolean {
  if (n.name === "LiteralExpr") return true;
  const inner = metricChildren(n);
  return inner.length === 1 && isLiteral(inner[0]);
}

/** by (…) keeps what it lists; without (…) drops it from what is below. */
function grouped(expr: string, grouping: SyntaxNode, below: () => Labels): Labels {
  // The grammar nests the list (Labels > Labels > Identifier, Identifier): take every name under it.
  const listed: string[] = [];
  for (let c = grouping.getChild("Labels"); c; c = c.getChild("Labels")) listed.unshift(...c.getChildren("Identifier").map((i) => textOf(expr, i)));
  if (grouping.getChild("By")) return new Set(listed);
  const under = below();
  return under && new Set([...under].filter((l) => !listed.includes(l)));
}

const REFERENCE = /\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)|\.Labels\.([a-zA-Z_][a-zA-Z0-9_]*)|index\s+\$labels\s+"([^"]+)"/g;

export default defineRule({
  id: "alert-template-labels",
  scope: "rule-files",
  severity: "error",
  purpose: "Annotations and labels only template $labels.x that the alert's expression keeps",
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const { group, rule } of alerts(ctx)) {
      if (!rule.expr.trim()) continue;
      // Loki ruler files hold LogQL: read them with its grammar, never as PromQL.
      const labels =
        group.source === "loki" ? logqlOutputLabels(rule.expr, tree("logql", rule.expr).topNode) : outputLabels(rule.expr, tree("promql", rule.expr).topNode, ctx.catalogIndex);
      if (!labels) continue;
      const fields = [...Object.entries(rule.annotations).map(([k, v]) => [`annotation ${k}`, v]), ...Object.entries(rule.labels).map(([k, v]) => [`label ${k}`, v])];
      for (const [field, text] of fields) {
        for (const m of text.matchAll(REFERENCE)) {
          const label = m[1] ?? m[2] ?? m[3];
          if (labels.has(label)) continue;
          out.push({
            ...atRule(group, rule),
            message: `${field} uses $labels.${label}, but the expression's series only carry ${labels.size ? [...labels].sort().join(", ") : "no labels"}: it renders empty`,
            fix: `keep ${label} in the expression (e.g. sum by (…, ${label})) or stop using it in the template`,
          });
        }
      }
    }
    return out;
  },
});
