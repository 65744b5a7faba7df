// Alert and recording rules: Prometheus rule files keyed by group → alert (or record) name, and
// Grafana-managed rules keyed by folder/group → rule uid. Threshold and severity changes are
// called out because they change who gets paged and when.
import { compareTargets, fieldChange } from "./dashboards.js";
import type { QueryLanguage } from "./format.js";
import type { RuleGroupDoc, Tree } from "./load.js";
import type { GroupSettingsChange, RuleChange, Status } from "./model.js";
import { changedNumbers, onlyNumbersChanged, wordDiff } from "./text.js";
import { deepDiff, equal, isObject, type Json, type JsonObject } from "./values.js";

interface KeyedRule {
  key: string;
  name: string;
  kind: "alert" | "record";
  rule: JsonObject;
}

const str = (v: Json | undefined): string | undefined => (v === undefined || v === null ? undefined : typeof v === "string" ? v : JSON.stringify(v));
const labelsOf = (r: JsonObject): JsonObject => (isObject(r.labels) ? r.labels : {});

function keyPromRules(g: JsonObject): KeyedRule[] {
  const rules = (Array.isArray(g.rules) ? g.rules : []).filter(isObject);
  const named = rules.map((r) => ({
    name: String(r.alert ?? r.record ?? ""),
    kind: (r.alert !== undefined ? "alert" : "record") as "alert" | "record",
    rule: r,
  }));
  const count = (k: string, list: string[]) => list.filter((x) => x === k).length;
  const base = named.map((r) => `${r.kind}:${r.name}`);
  const withSeverity = named.map((r, i) => (count(base[i], base) > 1 ? `${base[i]}{severity=${str(labelsOf(r.rule).severity) ?? ""}}` : base[i]));
  const seen = new Map<string, number>();
  return named.map((r, i) => {
    let key = withSeverity[i];
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > 1) key += `#${n}`;
    return { ...r, key };
  });
}

function keyGrafanaRules(g: JsonObject): KeyedRule[] {
  const seen = new Set<string>();
  return (Array.isArray(g.rules) ? g.rules : []).filter(isObject).map((r, i) => {
    let key = String(r.uid ?? r.title ?? `#${i + 1}`);
    while (seen.has(key)) key += "'";
    seen.add(key);
    return { key, name: String(r.title ?? r.uid ?? `rule ${i + 1}`), kind: "alert" as const, rule: r };
  });
}

/** Pairs rules by key, then leftovers that share a name (one each side), e.g. a severity change of a duplicated alert. */
function pairRules(a: KeyedRule[], b: KeyedRule[]): { pairs: [KeyedRule | undefined, KeyedRule | undefined][] } {
  const pairs: [KeyedRule | undefined, KeyedRule | undefined][] = [];
  const mb = new Map(b.map((r) => [r.key, r]));
  const usedB = new Set<KeyedRule>();
  const leftA: KeyedRule[] = [];
  for (const r of a) {
    const m = mb.get(r.key);
    if (m) {
      pairs.push([r, m]);
      usedB.add(m);
    } else leftA.push(r);
  }
  const leftB = b.filter((r) => !usedB.has(r));
  for (const r of leftA) {
    const same = leftB.filter((x) => x.name === r.name && x.kind === r.kind);
    const sameA = leftA.filter((x) => x.name === r.name && x.kind === r.kind);
    if (same.length === 1 && sameA.length === 1) {
      pairs.push([r, same[0]]);
      leftB.splice(leftB.indexOf(same[0]), 1);
    } else pairs.push([r, undefined]);
  }
  for (const r of leftB) pairs.push([undefined, r]);
  return { pairs };
}

/** The first query of a Grafana rule that is not a server-side expression. */
function grafanaQuery(r: JsonObject): JsonObject | undefined {
  return (Array.isArray(r.data) ? r.data : []).filter(isObject).find((d) => d.datasourceUid !== "__expr__");
}

function langOfRule(source: "prometheus" | "grafana", rule: JsonObject, tree: Tree): QueryLanguage {
  if (source === "prometheus") return "promql";
  const uid = grafanaQuery(rule)?.datasourceUid;
  const type = typeof uid === "string" ? tree.datasources.get(uid)?.ds.type : undefined;
  return type === "prometheus" ? "promql" : type === "loki" ? "logql" : "other";
}

function ruleChange(
  trees: [Tree, Tree],
  group: string,
  source: "prometheus" | "grafana",
  fa: string | undefined,
  fb: string | undefined,
  a?: KeyedRule,
  b?: KeyedRule,
): RuleChange | undefined {
  const either = (b ?? a)!;
  const status: Status = a && b ? "changed" : a ? "removed" : "added";
  const ra = a?.rule;
  const rb = b?.rule;
  const exprOf = (r?: JsonObject) => {
    if (!r) return undefined;
    if (source === "prometheus") return str(r.expr);
    const q = grafanaQuery(r);
    return q && isObject(q.model) ? str(q.model.expr ?? q.model.query) : undefined;
  };
  const c: RuleChange = {
    group,
    name: either.name,
    kind: either.kind,
    source,
    status,
    file: { before: a ? fa : undefined, after: b ? fb : undefined },
    expr: { before: exprOf(ra), after: exprOf(rb), lang: rb ? langOfRule(source, rb, trees[1]) : langOfRule(source, ra!, trees[0]) },
    labels: [],
    annotations: [],
    fields: [],
  };
  if (!ra || !rb) {
    if (str(ra?.for ?? rb?.for) !== undefined) c.for = { before: str(ra?.for), after: str(rb?.for) };
    const sev = str(labelsOf((ra ?? rb)!).severity);
    if (sev !== undefined) c.severity = ra ? { before: sev } : { after: sev };
    return c;
  }
  if (equal(ra, rb) && fa === fb) return undefined;
  if (c.expr.before !== c.expr.after && source === "prometheus") {
    if (c.expr.before !== undefined && c.expr.after !== undefined) {
      c.expr.words = wordDiff(c.expr.before, c.expr.after);
      if (onlyNumbersChanged(c.expr.before, c.expr.after)) c.threshold = changedNumbers(c.expr.before, c.expr.after);
    }
  } else delete c.expr.words;
  if (str(ra.for) !== str(rb.for)) c.for = { before: str(ra.for), after: str(rb.for) };
  const sa = str(labelsOf(ra).severity);
  const sb = str(labelsOf(rb).severity);
  if (sa !== sb) c.severity = { before: sa, after: sb };
  c.labels = deepDiff(labelsOf(ra), labelsOf(rb)).map((v) => fieldChange(v, "label"));
  c.annotations = deepDiff(isObject(ra.annotations) ? ra.annotations : {}, isObject(rb.annotations) ? rb.annotations : {}).map((v) =>
    fieldChange(v, "annotation"),
  );
  const SKIP = ["alert", "record", "expr", "for", "labels", "annotations", "data", "title", "uid"];
  const rest = (r: JsonObject) => Object.fromEntries(Object.entries(r).filter(([k]) => !SKIP.includes(k)));
  c.fields = deepDiff(rest(ra), rest(rb)).map((v) => fieldChange(v, v.path));
  if (source === "grafana") {
    if (ra.title !== rb.title) c.fields.unshift({ field: "title", path: "title", before: ra.title ?? null, after: rb.title ?? null });
    // Queries and expressions of a Grafana rule by refId; their model holds the PromQL and the threshold.
    const asPanel = (r: JsonObject): JsonObject => ({
      targets: (Array.isArray(r.data) ? r.data : []).filter(isObject).map((d) => ({
        ...(isObject(d.model) ? d.model : {}),
        refId: d.refId ?? (isObject(d.model) ? d.model.refId : undefined) ?? null,
        datasource: { uid: d.datasourceUid ?? null },
        ...(d.relativeTimeRange !== undefined ? { relativeTimeRange: d.relativeTimeRange } : {}),
      })),
    });
    const ctx = { base: { dashboard: {}, tree: trees[0] }, head: { dashboard: {}, tree: trees[1] } };
    c.queries = compareTargets(asPanel(ra), asPanel(rb), ctx);
    const numericOnly =
      c.queries.length > 0 &&
      c.queries.every(
        (q) =>
          q.status === "changed" &&
          (q.before === q.after || (q.before !== undefined && q.after !== undefined && onlyNumbersChanged(q.before, q.after))) &&
          q.fields.every((f) => typeof f.before === "number" && typeof f.after === "number" || (Array.isArray(f.before) && Array.isArray(f.after) && [...f.before, ...f.after].every((x) => typeof x === "number"))),
      );
    if (numericOnly) {
      const before: string[] = [];
      const after: string[] = [];
      for (const q of c.queries) {
        if (q.before !== q.after) {
          const n = changedNumbers(q.before!, q.after!);
          before.push(...n.before);
          after.push(...n.after);
        }
        for (const f of q.fields) {
          before.push(...[f.before].flat().map(String));
          after.push(...[f.after].flat().map(String));
        }
      }
      c.threshold = { before, after };
    }
  }
  if (fa !== fb) c.fields.push({ field: "file", path: "file", before: fa ?? null, after: fb ?? null });
  const changed = c.expr.before !== c.expr.after || c.for || c.severity || c.labels.length || c.annotations.length || c.fields.length || c.queries?.length;
  return changed ? c : undefined;
}

function compareGroups(
  trees: [Tree, Tree],
  a: Map<string, RuleGroupDoc>,
  b: Map<string, RuleGroupDoc>,
  source: "prometheus" | "grafana",
): { rules: RuleChange[]; groups: GroupSettingsChange[] } {
  const rules: RuleChange[] = [];
  const groups: GroupSettingsChange[] = [];
  const key = source === "prometheus" ? keyPromRules : keyGrafanaRules;
  for (const name of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const ga = a.get(name);
    const gb = b.get(name);
    const settings = (g?: RuleGroupDoc) => (g ? Object.fromEntries(Object.entries(g.group).filter(([k]) => k !== "rules")) : {});
    if (!ga || !gb) groups.push({ group: name, source, status: ga ? "removed" : "added", fields: [] });
    else {
      const fields = deepDiff(settings(ga), settings(gb));
      if (fields.length) groups.push({ group: name, source, status: "changed", fields });
    }
    const { pairs } = pairRules(ga ? key(ga.group) : [], gb ? key(gb.group) : []);
    for (const [x, y] of pairs) {
      const c = ruleChange(trees, name, source, ga?.file, gb?.file, x, y);
      if (c) rules.push(c);
    }
  }
  return { rules, groups };
}

export function compareRules(base: Tree, head: Tree): { rules: RuleChange[]; groups: GroupSettingsChange[] } {
  const p = compareGroups([base, head], base.promRuleGroups, head.promRuleGroups, "prometheus");
  const g = compareGroups([base, head], base.grafanaRuleGroups, head.grafanaRuleGroups, "grafana");
  return { rules: [...p.rules, ...g.rules], groups: [...p.groups, ...g.groups] };
}

