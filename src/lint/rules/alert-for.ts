// pint's alerts/for and mixtool: an alert waits (for:) before firing, so one bad scrape or one slow
// evaluation does not page anyone.
import { alerts, atRule } from "../sites.js";
import { defineRule } from "../types.js";

const ZERO = /^0+[smhdwy]?$|^0+ms$/;

export default defineRule({
  id: "alert-for",
  scope: "rule-files",
  severity: "error",
  purpose: "Every alert has a non-zero for: duration",
  check(ctx) {
    return alerts(ctx)
      .filter(({ rule }) => rule.for === undefined || ZERO.test(rule.for.trim()))
      .map(({ group, rule }) => ({
        ...atRule(group, rule),
        message: rule.for === undefined ? "alert has no for: it fires on the first evaluation that matches" : `for: ${rule.for} fires on the first evaluation that matches`,
        fix: 'set for: to how long the condition must hold, e.g. "5m" (at least a few evaluation intervals)',
      }));
  },
});
