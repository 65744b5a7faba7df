// Series that recording rules create, with the labels they keep: queries (dashboards, alerts, lint)
// may read them besides the catalog's series.

/** What recordedSeries reads of a rule group (src/alerting/model.ts's RuleGroup has this shape). */
export interface RecordingRuleGroup {
  rules: readonly ({ kind: "record"; record: string; expr: string; labels: Record<string, string> } | { kind: "alert" })[];
}

/** Series recorded by the rule groups, with the labels they carry beyond job and instance. */
export function recordedSeries(groups: readonly RecordingRuleGroup[]): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const g of groups) {
    for (const r of g.rules) {
      if (r.kind !== "record") continue;
      const labels = (out[r.record] ??= new Set());
      for (const l of Object.keys(r.labels)) labels.add(l);
      // What the expression keeps: by (...) of its outermost aggregations (job/instance are implied).
      for (const m of r.expr.matchAll(/\bby \(([^)]*)\)/g)) {
        for (const l of m[1].split(",").map((s) => s.trim())) if (l && l !== "le") labels.add(l);
      }
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].filter((l) => l !== "job" && l !== "instance").sort()]));
}
