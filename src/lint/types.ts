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
  /** Dashboard title (what a dashboard-linter `.lint` entry names). */
  dashboardTitle?: string;
  /** Panel title, or "variable $x" for a template variable. */
  panelTitle?: string;
  refId?: string;
  /** 0-based position of the query in its panel's targets. */
  targetIndex?: number;
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
  /** The grafana/dashboard-linter rule that reports this very finding, when one does (peers.ts). */
  peerRule?: string;
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
  /**
   * What a finding may read, for the build's cache and its lint of one dashboard at a time:
   * "dashboard" — that dashboard alone (plus the config, catalog, datasources, rule files and lint
   * settings, which the cache keys its verdicts by); "rule-files" — never a dashboard, only rule files
   * and configuration (run once, not per dashboard). Absent: other dashboards (uids, titles, links) or
   * the previous tree, so the rule runs over the whole tree on every build — correct for a new rule
   * before anyone thinks of its scope.
   */
  scope?: "dashboard" | "rule-files";
  /** grafana/dashboard-linter rules this rule covers; its findings name the one that applies. */
  peers?: readonly string[];
  /**
   * About this repository's stacks (metric catalog, telemetry contract, our naming): off when
   * linting dashboards that are not our definitions, unless asked for by name.
   */
  stackSpecific?: boolean;
  check(ctx: LintContext): RuleFinding[];
}

export function defineRule(rule: LintRule): LintRule {
  return rule;
}
