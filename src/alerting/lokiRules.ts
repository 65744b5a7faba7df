// Log alert and recording rules for the Loki ruler: one file per rule group under the tenant's
// folder, build/loki/rules/<tenant>/<group>.yaml — the layout of the ruler's local storage
// (ruler.storage.local.directory) and what a sync to its HTTP API reads back. The files are
// Prometheus rule files whose expressions are LogQL, so the checks here stand in for promtool:
// every expression is a LogQL metric query (a log query returns lines, which no ruler can compare
// with a threshold), parses with Grafana's LogQL grammar, and selects only streams a service of
// config.services writes; labels and annotations are the Prometheus alerts' own checks.
import type { SyntaxNode } from "@lezer/common";
import type { Config } from "../model/config.js";
import type { Problem } from "../errors.js";
import { checkQuery, describeIssue, expandGrafanaVariables, parse } from "../query/parse.js";
import type { RuleGroup } from "./model.js";
import { ruleFileDocument } from "./prometheusRules.js";
import { ruleTemplateProblems } from "./validate.js";

export const LOKI_RULES_DIR = "loki/rules";

export function lokiRuleFilePath(group: RuleGroup, tenant: string): string {
  return `${LOKI_RULES_DIR}/${tenant}/${group.name}.yaml`;
}

/** The rule file of one log group: Prometheus' rule-file format, LogQL expressions. */
export function lokiRuleFileDocument(group: RuleGroup) {
  return ruleFileDocument(group, true);
}

export interface StreamMatcher {
  label: string;
  op: "=" | "!=" | "=~" | "!~";
  value: string;
}

export interface StreamSelector {
  matchers: StreamMatcher[];
  /** 1-based, in the expression. */
  column: number;
  text: string;
}

const OPS: Record<string, StreamMatcher["op"]> = { Eq: "=", Neq: "!=", Re: "=~", Nre: "!~" };

/** LogQL string literal to its value: "..." with Go escapes, or `...` raw. */
function unquote(literal: string): string {
  const body = literal.slice(1, -1);
  if (literal.startsWith("`")) return body;
  const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r" };
  return body.replace(/\\(.)/g, (_, c: string) => escapes[c] ?? c);
}

/** The stream selectors of a LogQL expression (not the label filters of its pipelines). */
export function streamSelectors(expr: string): StreamSelector[] {
  const found: StreamSelector[] = [];
  parse("logql", expr).iterate({
    enter(n) {
      if (n.name !== "Selector") return;
      const matchers: StreamMatcher[] = [];
      for (let m: SyntaxNode | null = n.node.getChild("Matchers")?.firstChild ?? null; m; m = m.nextSibling) {
        // Matchers nest: Matchers > Matchers , Matcher.
        matchers.push(...matchersIn(expr, m));
      }
      found.push({ matchers, column: n.from + 1, text: expr.slice(n.from, n.to) });
      return false;
    },
  });
  return found;
}

function matchersIn(expr: string, node: SyntaxNode): StreamMatcher[] {
  if (node.name === "Matchers") {
    const out: StreamMatcher[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) out.push(...matchersIn(expr, c));
    return out;
  }
  if (node.name !== "Matcher") return [];
  const label = node.getChild("Identifier");
  const op = Object.keys(OPS).map((o) => node.getChild(o)).find((x) => x !== null);
  const value = node.getChild("String");
  if (!label || !op || !value) return [];
  return [{ label: expr.slice(label.from, label.to), op: OPS[op.name], value: unquote(expr.slice(value.from, value.to)) }];
}

/** Whether the expression is a metric query (numbers per series), not a log query (lines). */
export function isMetricQuery(expr: string): boolean {
  const top = parse("logql", expr).topNode.getChild("Expr");
  return top?.firstChild?.name === "MetricExpr";
}

const key = (m: StreamMatcher) => `${m.label}\u0000${m.op}\u0000${m.value}`;

/** The configured services a selector reads: those whose every matcher it repeats (it may narrow further). */
function servicesSelected(selector: StreamSelector, services: { service: string; matchers: StreamMatcher[] }[]): string[] {
  const have = new Set(selector.matchers.map(key));
  return services.filter((s) => s.matchers.length > 0 && s.matchers.every((m) => have.has(key(m)))).map((s) => s.service);
}

function configuredStreams(config: Config): { service: string; selector: string; matchers: StreamMatcher[] }[] {
  return Object.entries(config.services).flatMap(([service, s]) =>
    s.logs === "none" ? [] : [{ service, selector: s.logs.selector, matchers: streamSelectors(s.logs.selector)[0]?.matchers ?? [] }],
  );
}

function ruleLabel(r: RuleGroup["rules"][number]): string {
  return r.kind === "alert" ? r.name + (r.variant ? ` (${r.variant})` : "") : r.record;
}

/** Every problem of the log rule groups, each naming the definition file, the group and the rule. */
export function checkLogRuleGroups(groups: RuleGroup[], config: Config): Problem[] {
  const problems: Problem[] = [];
  const streams = configuredStreams(config);
  const known = streams.length
    ? streams.map((s) => `${s.service} ${s.selector}`).join(", ")
    : "none: every service has logs: \"none\"";
  for (const g of groups) {
    for (const r of g.rules) {
      const at = { file: g.file, rule: ruleLabel(r) };
      const where = `group "${g.name}" (Loki ruler)`;
      if (expandGrafanaVariables(r.expr, "logql") !== r.expr) {
        problems.push({ ...at, code: "bad-logql", message: `${where}: the expression uses a Grafana variable or macro ($…), which the Loki ruler does not expand:\n  ${r.expr.replaceAll("\n", "\n  ")}` });
        continue;
      }
      if (!isMetricQuery(r.expr)) {
        const kind = r.kind === "alert" ? "an alert" : "a recording rule";
        problems.push({
          ...at,
          code: "logql-not-metric",
          message: `${where}: ${kind} needs a LogQL metric query (numbers per series), but this is a log query returning lines; wrap it, e.g. sum(count_over_time(<selector> |= "error" [5m])) > 0:\n  ${r.expr.replaceAll("\n", "\n  ")}`,
        });
        continue;
      }
      const syntax = checkQuery("logql", r.expr);
      for (const issue of syntax) problems.push({ ...at, code: "bad-logql", message: `${where}: ${describeIssue(r.expr, issue)}` });
      if (syntax.length) continue;
      const selectors = streamSelectors(r.expr);
      if (selectors.length === 0) problems.push({ ...at, code: "unknown-log-stream", message: `${where}: the expression selects no log stream; log rules read the services' streams (${known})` });
      for (const sel of selectors) {
        if (servicesSelected(sel, streams).length > 0) continue;
        problems.push({
          ...at,
          code: "unknown-log-stream",
          message: `${where}: stream selector ${sel.text} at column ${sel.column} is not a service's log stream; it must repeat the matchers of one of config.services.<service>.logs.selector (${known})`,
        });
      }
      problems.push(...ruleTemplateProblems(r, at));
    }
  }
  return problems;
}
