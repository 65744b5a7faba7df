// dashboard-linter's template-label-promql-rule: a Prometheus variable query is one of Grafana's
// forms and the PromQL inside it parses. A broken variable query leaves the variable empty and every
// panel using it without data.
import { topLevelLastComma } from "../../query/labelValues.js";
import { resolveDatasourceType } from "../../validate/datasourceRefs.js";
import { checkQuery, describeIssue } from "../../query/parse.js";
import { board } from "../boards.js";
import { atDashboard, variableQuery } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

const FORMS = "label_names(), label_values(label), label_values(selector, label), metrics(regex) or query_result(query)";
const LABEL = /^\s*(?:[a-zA-Z_][a-zA-Z0-9_]*|\$\w+|\$\{\w+\})\s*$/;

/** Problems of one Prometheus variable query, [] when it is fine. Columns point into `query`. */
export function variableQueryIssues(query: string): string[] {
  const m = /^\s*(label_names|label_values|metrics|query_result)\s*\(([\s\S]*)\)\s*$/.exec(query);
  if (!m) return [`"${query}" is not a Grafana Prometheus variable query; use ${FORMS}`];
  const [, fn, inner] = m;
  const at = query.indexOf("(") + 1;
  const promql = (expr: string, offset: number) =>
    checkQuery("promql", expr).map((i) => {
      const column = i.column + offset;
      return describeIssue(query, { message: i.message.replace(/\bcolumn \d+/g, `column ${column}`), column });
    });
  if (fn === "query_result") return promql(inner, at);
  if (fn === "metrics") return [];
  if (fn === "label_names") return inner.trim() ? promql(inner, at) : [];
  const comma = topLevelLastComma(inner);
  const label = comma < 0 ? inner : inner.slice(comma + 1);
  const issues = LABEL.test(label) ? [] : [`label_values(): "${label.trim()}" is not a label name`];
  if (comma >= 0) issues.push(...promql(inner.slice(0, comma), at));
  return issues;
}

export default defineRule({
  id: "template-query-syntax",
  scope: "dashboard",
  severity: "error",
  purpose: "Prometheus variable queries are label_values()/label_names()/metrics()/query_result() and their PromQL parses",
  peers: ["template-label-promql-rule"],
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const d of ctx.dashboards) {
      const b = board(ctx, d);
      const peerRule = b.firstDatasourceVariableType === "prometheus" ? "template-label-promql-rule" : undefined;
      for (const v of b.variables) {
        if (v.type !== "query") continue;
        if (resolveDatasourceType(v.datasource as never, d.json, ctx.provisioned) !== "prometheus") continue;
        for (const message of variableQueryIssues(variableQuery(v))) {
          out.push({ ...atDashboard(d), panelTitle: `variable $${v.name}`, peerRule, message, fix: `write it as ${FORMS}, e.g. label_values(up{job=~"$job"}, instance)` });
        }
      }
    }
    return out;
  },
});
