// Grafana's Prometheus variable queries (label_values(label), label_values(selector, label),
// query_result(expr)) checked against the metric catalog like any other query.
import type { CatalogIndex } from "../model/catalog.js";
import { Checker, checkExpressionAgainstCatalog, toExtraMap, type CatalogIssue, type ExtraNames } from "./catalogCheck.js";
import { parse } from "./parse.js";
import { suggest } from "./suggest.js";

/**
 * Catalog issues of a Prometheus variable query: label_values(label), label_values(selector, label),
 * query_result(expr). Other forms (metrics(), label_names()) name nothing to check.
 */
export function checkVariableQueryAgainstCatalog(query: string, catalog: CatalogIndex, extraNames?: ExtraNames): CatalogIssue[] {
  const m = /^\s*(label_values|query_result)\s*\(([\s\S]*)\)\s*$/.exec(query);
  if (!m) return [];
  const argsAt = query.indexOf("(") + 1;
  const inner = m[2];
  if (m[1] === "query_result") return shift(checkExpressionAgainstCatalog(inner, catalog, extraNames), argsAt);
  const comma = topLevelLastComma(inner);
  const label = (comma < 0 ? inner : inner.slice(comma + 1)).trim();
  const labelColumn = argsAt + (comma < 0 ? inner.indexOf(label) : comma + 1 + inner.slice(comma + 1).indexOf(label)) + 1;
  if (comma < 0) {
    // label_values(label): any series of the catalog may carry it.
    if (label.includes("$") || ["job", "instance"].includes(label) || catalog.metrics.some((c) => c.labels.includes(label))) return [];
    const all = [...new Set(catalog.metrics.flatMap((c) => c.labels))];
    return [{ code: "unknown-label", column: labelColumn, label, message: `label "${label}" is not a label of any metric in the catalog${suggest(label, all)}` }];
  }
  const selector = inner.slice(0, comma);
  const checker = new Checker(selector, catalog, toExtraMap(extraNames));
  const value = checker.infer(parse("promql", selector).topNode, true);
  checker.checkLabelOf(label, value, labelColumn - argsAt);
  return shift(checker.issues, argsAt).sort((a, b) => a.column - b.column);
}

function shift(issues: CatalogIssue[], by: number): CatalogIssue[] {
  return issues.map((i) => ({ ...i, column: i.column + by }));
}

/** Offset of the last comma outside brackets and strings (label_values(selector, label)); -1 when none. */
export function topLevelLastComma(s: string): number {
  let depth = 0;
  let quote: string | null = null;
  let last = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if ("({[".includes(c)) depth++;
    else if (")}]".includes(c)) depth--;
    else if (c === "," && depth === 0) last = i;
  }
  return last;
}
