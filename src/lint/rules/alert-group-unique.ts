// pint's rule/duplicate: group names are unique. Prometheus rejects a file with two groups of one
// name, and across files equal names make every message, metric and silence about "the group" ambiguous;
// Grafana keys groups by folder and name.
import { atGroup } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

export default defineRule({
  id: "alert-group-unique",
  scope: "rule-files",
  severity: "error",
  purpose: "Rule group names are unique (per evaluator: Prometheus, Grafana)",
  check(ctx) {
    const out: RuleFinding[] = [];
    const seen = new Map<string, string>();
    for (const g of ctx.groups) {
      const key = `${g.source}\u0000${g.name}`;
      const first = seen.get(key);
      if (first !== undefined) {
        out.push({ ...atGroup(g), message: `group "${g.name}" is also defined in ${first}`, fix: "rename one of them" });
      } else seen.set(key, g.output);
    }
    return out;
  },
});
