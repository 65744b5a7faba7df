// Which rules the build may run one dashboard at a time and keep per dashboard in its cache: those
// that declare a scope (LintRule.scope in src/lint/types.ts). A rule without one runs over the whole
// tree on every build.
import { RULES } from "./registry.js";

/** Rules whose findings about a dashboard depend on that dashboard alone, rule-file rules included. */
export const PER_DASHBOARD_RULES: ReadonlySet<string> = new Set(RULES.filter((r) => r.scope !== undefined).map((r) => r.id));

/** Of those, the rules that read only rule files and the configuration, never a dashboard: run once over those files. */
export const RULE_FILE_RULES: ReadonlySet<string> = new Set(RULES.filter((r) => r.scope === "rule-files").map((r) => r.id));
