// The lint vocabulary: a rule is one file with an id, a one-line purpose, a default severity and a
// check; a finding names the rule and where the problem is (file, dashboard, panel, query, rule
// group, alert) and says how to fix it.
import type { LintContext } from "./context.js";

export type Severity = "error" | "warning";

/** Where a finding is; also what an exclusion can match on. */
export interface Location {
  /** Source file (dashboards/…, alerts/…, config/…) when known, else the emitted file. */
  file: string;
  /** The emitted file the finding was read from, relative to the tree root. */
  output?: string;
  line?: number;
  dashboardUid?: string;
  /** Panel title, or "variable $x" for a template variable. */
  panelTitle?: string;
  refId?: string;
  /** Rule group of a rule file. */
  group?: string;
  /** Alert name (or recording rule name). */
  alert?: string;
  /** The metric the finding is about. */
  metric?: string;
}

export interface RuleFinding extends Location {
  message: string;
  /** How to fix it, one sentence. */
  fix: string;
}

export interface Finding extends RuleFinding {
  rule: string;
  severity: Severity;
}

export interface LintRule {
  /** Kebab-case, stable: exclusions and CI annotations name it. */
  id: string;
  severity: Severity;
  /** One line for `npm run lint -- --rules`. */
  purpose: string;
  /**
   * The build's own validation (named here) runs this very check and fails on what it finds, so
   * lint inside the build skips the rule; `npm run lint` runs it.
   */
  enforcedByBuild?: string;
  check(ctx: LintContext): RuleFinding[];
}

export function defineRule(rule: LintRule): LintRule {
  return rule;
}
