// A rule group is evaluated rule after rule within one interval; a big group misses its interval
// and delays every alert in it. Split by service or concern.
import { atGroup } from "../sites.js";
import { defineRule } from "../types.js";

export default defineRule({
  id: "alert-group-size",
  scope: "rule-files",
  severity: "error",
  purpose: "A rule group holds at most settings.maxRulesPerGroup rules (default 20)",
  check(ctx) {
    const max = ctx.settings.maxRulesPerGroup;
    return ctx.groups
      .filter((g) => g.rules.length > max)
      .map((g) => ({
        ...atGroup(g),
        message: `group has ${g.rules.length} rules; at most ${max} are allowed`,
        fix: "split it into groups per service or concern",
      }));
  },
});
