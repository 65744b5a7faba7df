// mixtool's summary/description checks and pint's alerts/template: every alert has a summary and a
// description, and both are templates (they name the series or the value), so a notification says
// which service is broken and how badly, not just that something is.
import { templateIssue } from "../../alerting/validate.js";
import { alerts, atRule } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

const TEMPLATE = /\{\{[^}]*(\$labels|\$value|\$values|\.Labels|\.Value|\$externalLabels|humanize)[^}]*\}\}/;

export default defineRule({
  id: "alert-annotations",
  scope: "rule-files",
  severity: "error",
  purpose: "Every alert has summary and description annotations, both templated ({{ $labels.x }} / {{ $value }}) and balanced",
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const { group, rule } of alerts(ctx)) {
      for (const key of ["summary", "description"]) {
        const text = rule.annotations[key];
        const at = atRule(group, rule);
        if (text === undefined || text.trim() === "") {
          out.push({ ...at, message: `alert has no ${key} annotation`, fix: `add annotations.${key}, e.g. "{{ $labels.job }}: 5xx ratio {{ $value | humanizePercentage }}"` });
          continue;
        }
        const unbalanced = templateIssue(text, group.source);
        if (unbalanced) out.push({ ...at, message: `${key}: ${unbalanced}`, fix: "close every {{ with }}" });
        else if (!TEMPLATE.test(text)) {
          out.push({ ...at, message: `${key} "${text.length > 80 ? text.slice(0, 77) + "…" : text}" is not templated: every notification reads the same`, fix: "name the series and the value: {{ $labels.job }}, {{ $value | humanize }}" });
        }
      }
    }
    return out;
  },
});
