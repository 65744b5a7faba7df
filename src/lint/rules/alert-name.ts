// mixtool's alert-name-camelcase: alert names are CamelCase identifiers (HighErrorRate), short enough
// for notification titles and runbook file names. Grafana-managed titles may carry a variant after a
// space ("SloBurnRate 1h/5m"); the name before it is what must be CamelCase.
import { alerts, atRule } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

const CAMEL = /^[A-Z][A-Za-z0-9]*$/;

export default defineRule({
  id: "alert-name",
  scope: "rule-files",
  severity: "error",
  purpose: "Alert names are CamelCase and at most 40 characters (settings.alertNameMaxLength)",
  check(ctx) {
    const out: RuleFinding[] = [];
    const max = ctx.settings.alertNameMaxLength;
    for (const { group, rule } of alerts(ctx)) {
      const name = group.source === "grafana" ? rule.name.split(" ")[0] : rule.name;
      if (!CAMEL.test(name)) {
        const camel = name.replace(/(^|[^a-zA-Z0-9]+)([a-zA-Z0-9])/g, (_, __, c: string) => c.toUpperCase());
        out.push({ ...atRule(group, rule), message: `alert name "${name}" is not CamelCase`, fix: `rename it to ${camel || "e.g. HighErrorRate"} (and its runbook file)` });
      }
      if (rule.name.length > max) {
        out.push({ ...atRule(group, rule), message: `alert name has ${rule.name.length} characters; at most ${max} fit notification titles`, fix: "shorten it; say the details in the summary" });
      }
    }
    return out;
  },
});
