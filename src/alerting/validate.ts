// Checks of the rule model before anything is emitted: every expression parses and names only
// metrics and labels of the catalog (or series recorded by these very rules), SLO buckets exist,
// and label and annotation templates parse as Prometheus parses them. Each problem names the alert (or recording rule) and the
// definition file.
import type { Problem } from "../errors.js";
import type { CatalogIndex } from "../model/catalog.js";
import { checkExpressionAgainstCatalog } from "../query/catalogCheck.js";
import { recordedSeries } from "../query/recorded.js";
import { checkQuery, describeIssue, promqlSelectors } from "../query/parse.js";
import type { RuleGroup } from "./model.js";
import { GRAFANA_TEMPLATE_VARIABLES, templateSyntaxError } from "./templates.js";

function ruleName(r: RuleGroup["rules"][number], g: RuleGroup): string {
  if (r.kind === "alert") return r.name + (r.variant ? ` (${r.variant})` : "");
  return g.slo ? `${g.slo.alert} (SLO ${g.slo.name}, ${r.record})` : r.record;
}

/** Why an alert label or annotation template would not parse in Prometheus (or the Loki ruler, its port), or null (templates.ts). */
export function templateIssue(text: string, evaluator: "prometheus" | "grafana" | "loki" = "prometheus"): string | null {
  const issue = templateSyntaxError(text, evaluator === "grafana" ? GRAFANA_TEMPLATE_VARIABLES : []);
  if (issue && /^function ".*" not defined$/.test(issue)) return `${issue} (Prometheus' template functions: humanize, humanizePercentage, humanizeDuration, …)`;
  return issue;
}

/** An alert's labels and annotations whose templates the ruler would refuse, one problem each. */
export function ruleTemplateProblems(r: RuleGroup["rules"][number], at: Omit<Problem, "code" | "message">): Problem[] {
  if (r.kind !== "alert") return [];
  const problems: Problem[] = [];
  for (const [kind, texts] of [["annotation", r.annotations], ["label", r.labels]] as const) {
    for (const [key, text] of Object.entries(texts)) {
      const issue = templateIssue(text);
      if (issue) problems.push({ ...at, code: "bad-template", message: `${kind} ${key}: ${issue}` });
    }
  }
  return problems;
}

export function checkRuleGroups(groups: RuleGroup[], catalog: CatalogIndex): Problem[] {
  const problems: Problem[] = [];
  const extra = recordedSeries(groups);
  for (const g of groups) {
    for (const r of g.rules) {
      const at = { file: g.file, rule: ruleName(r, g) };
      const syntax = checkQuery("promql", r.expr);
      for (const issue of syntax) problems.push({ ...at, code: "bad-promql", message: describeIssue(r.expr, issue) });
      // Catalog checks only make sense on an expression that parses.
      if (syntax.length === 0) {
        for (const issue of checkExpressionAgainstCatalog(r.expr, catalog, extra)) {
          problems.push({ ...at, code: `catalog-${issue.code}`, message: describeIssue(r.expr, issue) });
        }
      }
      problems.push(...ruleTemplateProblems(r, at));
    }
  }
  return problems;
}

/** A le regex matches at least one bucket and nothing that is not a spelling of a bucket bound. */
function matchesOnlyBuckets(regex: string, buckets: number[]): boolean {
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${regex})$`);
  } catch {
    return false;
  }
  const spellings = buckets.flatMap((b) => [String(b), Number.isInteger(b) ? `${b}.0` : String(b)]);
  const alternatives = regex.split("|").map((a) => a.replace(/\[\.\]|\\\./g, "."));
  return spellings.some((s) => re.test(s)) && alternatives.every((a) => spellings.includes(a));
}

/**
 * A le matcher on a _bucket series (an SLO's good events, a latency share) must name one of the
 * histogram's bucket bounds in the catalog; otherwise the selector is empty and the SLI or alert with it.
 */
export function checkBuckets(groups: RuleGroup[], catalog: CatalogIndex): Problem[] {
  const problems: Problem[] = [];
  for (const g of groups) {
    // Once per group: an SLO repeats its selectors in every window's recording rule.
    const seen = new Set<string>();
    for (const r of g.rules) {
      if (checkQuery("promql", r.expr).length) continue; // reported as bad-promql
      for (const sel of promqlSelectors(r.expr)) {
        const le = sel.matchers.find((m) => m.label === "le");
        const found = sel.metric ? catalog.lookupSeries(sel.metric) : undefined;
        const buckets = found?.metric.buckets;
        if (!le || found?.suffix !== "_bucket" || !buckets) continue;
        const ok =
          le.value.trim() !== "" &&
          (le.op === "="
            ? buckets.some((b) => b === Number(le.value))
            : le.op === "=~" && matchesOnlyBuckets(le.value, buckets));
        const key = `${sel.metric}${le.op}${le.value}`;
        if (ok || seen.has(key)) continue;
        seen.add(key);
        problems.push({
          code: "unknown-bucket",
          file: g.file,
          rule: g.slo && r.kind === "record" ? g.slo.alert : ruleName(r, g),
          message: `${g.slo ? `SLO "${g.slo.name}": ` : ""}${sel.metric}{le${le.op}"${le.value}"} is not a bucket of ${found.metric.name} (buckets: ${buckets.join(", ")}); the selector would match nothing`,
        });
      }
    }
  }
  return problems;
}
