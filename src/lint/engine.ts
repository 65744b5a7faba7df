// Runs rules over a context, applies the exclusions and reports what is left. Exclusions that match
// nothing, and expired ones, are findings themselves, so the exclusions file stays true.
import type { LintContext } from "./context.js";
import { describeScope, isExpired, matches, type Exclusion, type ExclusionsFile } from "./exclusions.js";
import type { Finding, LintRule, Severity } from "./types.js";
import { compareText } from "../emit/textOrder.js";

/** Findings the engine itself reports about the exclusions file. */
export const ENGINE_RULES: { id: string; severity: Severity; purpose: string }[] = [
  { id: "lint-exclusion-unused", severity: "warning", purpose: "An exclusion matches no finding: delete it (the problem is gone) or fix its scope" },
  { id: "lint-exclusion-expired", severity: "warning", purpose: "An exclusion is past its expiry date and no longer applies: fix the findings or renew it with a reason" },
  { id: "lint-rule-failed", severity: "error", purpose: "A rule threw instead of reporting: a bug in the rule" },
];

export interface LintOptions {
  rules: LintRule[];
  exclusions?: ExclusionsFile;
  /** Today, for expiry dates (default: the current date). */
  today?: string;
  /** Raw findings of rules run elsewhere (over part of the tree, or recorded by the build's cache). */
  extra?: Finding[];
  /** The rules that produced `extra`: they count as having run. */
  extraRules?: readonly string[];
}

export interface LintReport {
  findings: Finding[];
  excluded: { finding: Finding; exclusion: Exclusion }[];
  /** Ids of the rules that ran. */
  rules: string[];
  errors: number;
  warnings: number;
  ms: number;
}

function key(f: Finding): string {
  return [f.rule, f.file, f.output, f.line, f.dashboardUid, f.panelTitle, f.refId, f.group, f.alert, f.metric, f.message].join("\u0000");
}

function order(a: Finding, b: Finding): number {
  return (
    compareText(a.file, b.file) ||
    compareText(a.dashboardUid ?? a.group ?? "", b.dashboardUid ?? b.group ?? "") ||
    (a.line ?? 0) - (b.line ?? 0) ||
    compareText(a.panelTitle ?? a.alert ?? "", b.panelTitle ?? b.alert ?? "") ||
    compareText(a.refId ?? "", b.refId ?? "") ||
    compareText(a.rule, b.rule)
  );
}

/** The findings of each rule before exclusions, without repeats. */
export function rawFindings(ctx: LintContext, rules: readonly LintRule[], extra: readonly Finding[] = []): Finding[] {
  const raw: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    let found;
    try {
      found = rule.check(ctx);
    } catch (e) {
      found = [{ file: "src/lint/rules", message: `rule ${rule.id} failed: ${(e as Error).stack ?? e}`, fix: "fix the rule" }];
      raw.push({ ...found[0], rule: "lint-rule-failed", severity: "error" });
      continue;
    }
    for (const f of found) {
      const finding: Finding = { ...f, rule: rule.id, severity: rule.severity };
      const k = key(finding);
      if (!seen.has(k)) {
        seen.add(k);
        raw.push(finding);
      }
    }
  }
  for (const f of extra) {
    const k = key(f);
    if (!seen.has(k)) {
      seen.add(k);
      raw.push(f);
    }
  }
  return raw;
}

export function runLint(ctx: LintContext, opts: LintOptions): LintReport {
  const started = performance.now();
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const raw = rawFindings(ctx, opts.rules, opts.extra);
  const ran = new Set([...opts.rules.map((r) => r.id), ...(opts.extraRules ?? [])]);
  const exclusions = opts.exclusions?.exclusions ?? [];
  const used = new Set<Exclusion>();
  const findings: Finding[] = [];
  const excluded: LintReport["excluded"] = [];
  for (const f of raw) {
    const live = exclusions.find((e) => !isExpired(e, today) && matches(e, f));
    if (live) {
      used.add(live);
      excluded.push({ finding: f, exclusion: live });
      continue;
    }
    const expired = exclusions.find((e) => isExpired(e, today) && matches(e, f));
    if (expired) used.add(expired);
    findings.push(expired ? { ...f, message: `${f.message}\n(the exclusion at ${expired.file ?? opts.exclusions!.file}:${expired.line} expired on ${expired.expires})` } : f);
  }
  for (const e of exclusions) {
    if (!ran.has(e.rule)) continue; // its rule did not run: nothing to say about it
    const at = { file: e.file ?? opts.exclusions!.file, line: e.line };
    if (isExpired(e, today)) {
      findings.push({
        ...at,
        rule: "lint-exclusion-expired",
        severity: "warning",
        message: `the exclusion of ${e.rule} for ${describeScope(e)} expired on ${e.expires} and no longer applies${used.has(e) ? "" : " (it matches nothing now either)"}`,
        fix: used.has(e) ? "fix what it excluded, or renew it with a new date and an up-to-date reason" : "delete it",
      });
    } else if (!used.has(e)) {
      findings.push({
        ...at,
        rule: "lint-exclusion-unused",
        severity: "warning",
        message: `the exclusion of ${e.rule} for ${describeScope(e)} matches no finding`,
        fix: "delete it if the problem is fixed, or correct its scope (values are matched exactly, * matches anything)",
      });
    }
  }
  findings.sort(order);
  return {
    findings,
    excluded,
    rules: [...ran],
    errors: findings.filter((f) => f.severity === "error").length,
    warnings: findings.filter((f) => f.severity === "warning").length,
    ms: Math.round(performance.now() - started),
  };
}
