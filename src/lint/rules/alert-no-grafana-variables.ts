// A rule expression is evaluated as written — by Prometheus, or by Grafana's alerting, which expands
// no dashboard variables either. $job or [$__rate_interval] copied from a panel is a parse error in
// Prometheus and an empty query in Grafana; the dashboard checks parse them with variables expanded,
// so only this rule sees it.
import { describeIssue } from "../../query/parse.js";
import { querySites } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

/**
 * Grafana variable references, with their offsets. Inside strings too ("$job" in a matcher is a regex
 * that never matches), but not "$1" (label_replace's groups) nor a regex's trailing "$"; not in comments.
 */
export function grafanaVariables(expr: string): { text: string; offset: number }[] {
  const found: { text: string; offset: number }[] = [];
  const outside = /\$\{[^}]*\}|\$\w+|\[\[\w+(?::\w+)?\]\]/y;
  const inside = /\$\{[^}]*\}|\$[A-Za-z_]\w*|\[\[\w+(?::\w+)?\]\]/y;
  let quote: string | null = null;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === "\\" && quote !== "`") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === "`") {
      quote = c;
      continue;
    } else if (c === "#") {
      while (i < expr.length && expr[i] !== "\n") i++;
      continue;
    }
    if (c !== "$" && c !== "[") continue;
    const reference = quote ? inside : outside;
    reference.lastIndex = i;
    const m = reference.exec(expr);
    if (m) {
      found.push({ text: m[0], offset: i });
      i += m[0].length - 1;
    }
  }
  return found;
}

export default defineRule({
  id: "alert-no-grafana-variables",
  scope: "rule-files",
  severity: "error",
  purpose: "Rule expressions use no Grafana variables or macros ($job, $__rate_interval): nothing expands them",
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const site of querySites(ctx, "promql")) {
      if (site.kind !== "rule") continue;
      for (const v of grafanaVariables(site.expr)) {
        out.push({
          ...site.at,
          message: describeIssue(site.expr, { column: v.offset + 1, message: `${v.text} is a Grafana variable; rule expressions are evaluated as written` }),
          fix: v.text.includes("__rate_interval") || v.text.includes("__interval") ? "write a fixed range, e.g. [5m] (at least four scrape intervals)" : "write the value itself, e.g. job=\"fastapi\"",
        });
      }
    }
    return out;
  },
});
