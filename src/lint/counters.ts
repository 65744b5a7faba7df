// Raw counters: a counter's value is "events since the process started", so it only means something
// through rate(), irate() or increase() (or functions that look at presence and resets). Catalog
// counters and histogram series are judged by the catalog check of the build; names outside the
// catalog count as counters when they end in _total.
import type { CatalogIndex } from "../model/catalog.js";
import type { QueryIssue } from "../query/parse.js";
import { catalogIssues, selectorUses } from "../query/analysis.js";

/** What may take a counter: the same functions the catalog check accepts. */
const COUNTER_OK_CALLS = new Set(["rate", "irate", "increase", "resets", "changes", "absent", "absent_over_time", "present_over_time", "count_over_time", "timestamp"]);
const COUNTER_OK_AGGREGATIONS = new Set(["count", "group"]);

export interface CounterIssue extends QueryIssue {
  metric: string;
}

export function rawCounterIssues(expr: string, catalog: CatalogIndex, recorded?: Readonly<Record<string, string[]>>): CounterIssue[] {
  const issues: CounterIssue[] = catalogIssues(expr, catalog, recorded)
    .filter((i) => i.code === "counter-without-rate")
    .map((i) => ({ message: i.message, column: i.column, metric: i.metric ?? "" }));
  for (const s of selectorUses(expr, catalog)) {
    if (s.catalog || !s.metric?.endsWith("_total")) continue;
    const ok = s.parent && (s.parent.kind === "call" ? COUNTER_OK_CALLS.has(s.parent.name) : s.parent.kind === "aggregation" && COUNTER_OK_AGGREGATIONS.has(s.parent.name));
    if (ok) continue;
    issues.push({
      metric: s.metric,
      column: s.column,
      message: `${s.metric} is a counter (_total): its raw value only says how long the process has been up; read it through rate(), irate() or increase()`,
    });
  }
  return issues.sort((a, b) => a.column - b.column);
}
