// mixtool's alert severity check: every alert carries a severity label from the set Alertmanager
// routes on; an alert without one (or with "high") falls through to the default receiver.
import { alerts, atRule } from "../sites.js";
import { defineRule } from "../types.js";

export default defineRule({
  id: "alert-severity",
  scope: "rule-files",
  severity: "error",
  purpose: "Every alert has a severity label from the allowed set (settings.alertSeverities)",
  check(ctx) {
    const allowed = ctx.settings.alertSeverities;
    return alerts(ctx)
      .filter(({ rule }) => !allowed.includes(rule.labels.severity ?? ""))
      .map(({ group, rule }) => ({
        ...atRule(group, rule),
        message: rule.labels.severity === undefined ? "alert has no severity label" : `severity "${rule.labels.severity}" is not one of ${allowed.join(", ")}`,
        fix: `set labels.severity to ${allowed.map((s) => `"${s}"`).join(" or ")}`,
      }));
  },
});
