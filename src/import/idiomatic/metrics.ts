// Metric names of imported queries against the repository's metric catalog (handed in by the entry
// point; tools do not read catalog/ themselves). A name the catalog knows under another spelling (an
// alias, e.g. a collector counter without _total) is written as the catalog spells it. What the
// build's catalog check (src/query/catalogCheck.ts, run here on the rewritten query) would reject is
// reported with the catalog change to make: a metric it does not know, a label its entry lacks.
import type { CatalogIndex } from "../../model/catalog.js";
import { checkExpressionAgainstCatalog, type CatalogIssue } from "../../query/catalogCheck.js";
import { checkVariableQueryAgainstCatalog } from "../../query/labelValues.js";
import { promqlSelectors } from "../../query/parse.js";
import type { ImportWarning } from "../warnings.js";

/** The catalog's lookups (src/model/catalog.ts); scripts/import.ts passes the repository's. */
export type MetricCatalog = CatalogIndex;

interface Places {
  where: string[];
}

/** A metric or label the build would reject, where it is used: what the importer reports. */
export interface CatalogGap {
  kind: "unknown-metric" | "unknown-label";
  metric: string;
  /** unknown-label: the label. */
  label?: string;
}

const note = (places: Places, where: string) => {
  if (!places.where.includes(where)) places.where.push(where);
};

export class MetricNames {
  readonly aliases = new Map<string, string>();
  private readonly unknownMetrics = new Map<string, Places & { labels: Set<string> }>();
  /** metric → label → places. */
  private readonly unknownLabels = new Map<string, Map<string, Places>>();
  /** Issues the checker reports without a metric (label_values(label) of no metric): kept as they are. */
  private readonly otherIssues: { message: string; where: string }[] = [];

  constructor(private readonly catalog?: MetricCatalog) {}

  /** `expr` with its metric names as the catalog spells them; what the build would reject is recorded. */
  rewrite(expr: string, where: string, kind: "panel" | "variable" = "panel"): string {
    if (!this.catalog) return expr;
    const out = this.aliased(expr);
    let issues: CatalogIssue[];
    try {
      issues = kind === "variable" ? checkVariableQueryAgainstCatalog(out, this.catalog) : checkExpressionAgainstCatalog(out, this.catalog);
    } catch {
      return out; // not PromQL the parser reads: the build reports it
    }
    for (const i of issues) this.record(i, out, where);
    return out;
  }

  /** Catalog aliases replaced by the catalog's names, in every selector the expression has. */
  private aliased(expr: string): string {
    const wrapped = /^(\s*(?:label_values|query_result)\()([\s\S]*?)((?:,\s*[A-Za-z_]\w*\s*)?\)\s*)$/.exec(expr);
    if (/^\s*label_(names|values)\(\s*[A-Za-z_]\w*\s*\)\s*$/.test(expr) || /^\s*label_names\(\)\s*$/.test(expr)) return expr;
    if (wrapped) return wrapped[1] + this.aliased(wrapped[2]) + wrapped[3];
    let selectors;
    try {
      selectors = promqlSelectors(expr);
    } catch {
      return expr;
    }
    let out = expr;
    for (const s of selectors) {
      if (!s.metric) continue;
      const found = this.catalog!.lookupSeries(s.metric);
      const name = found && found.metric.name + found.suffix;
      if (name && name !== s.metric) {
        this.aliases.set(s.metric, name);
        out = out.replace(new RegExp(`\\b${s.metric}\\b(?!_)`, "g"), name);
      }
    }
    return out;
  }

  private record(i: CatalogIssue, expr: string, where: string): void {
    if (i.code === "unknown-metric" && i.metric) {
      const u = this.unknownMetrics.get(i.metric) ?? { labels: new Set<string>(), where: [] };
      try {
        for (const s of promqlSelectors(expr))
          if (s.metric === i.metric)
            for (const m of s.matchers) if (!["job", "instance", "__name__", "le"].includes(m.label)) u.labels.add(m.label);
      } catch {
        // labels stay as far as known
      }
      note(u, where);
      this.unknownMetrics.set(i.metric, u);
    } else if (i.code === "unknown-label" && i.metric && i.label && i.label !== "le") {
      const byLabel = this.unknownLabels.get(i.metric) ?? new Map<string, Places>();
      const places = byLabel.get(i.label) ?? { where: [] };
      note(places, where);
      byLabel.set(i.label, places);
      this.unknownLabels.set(i.metric, byLabel);
    } else if (i.code !== "counter-without-rate") {
      this.otherIssues.push({ message: i.message, where });
    }
  }

  /** What the build's catalog check will reject, by metric and label, sorted. */
  gaps(): CatalogGap[] {
    const out: CatalogGap[] = [...this.unknownMetrics.keys()].map((metric) => ({ kind: "unknown-metric" as const, metric }));
    for (const [metric, labels] of this.unknownLabels)
      for (const label of labels.keys()) out.push({ kind: "unknown-label", metric, label });
    return out.sort((a, b) => (a.metric + "\u0000" + (a.label ?? "")).localeCompare(b.metric + "\u0000" + (b.label ?? "")));
  }

  warnings(): ImportWarning[] {
    const out: ImportWarning[] = [];
    const at = (p: Places) => (p.where.length > 1 ? `${p.where[0]} and ${p.where.length - 1} more` : p.where[0]);
    for (const [alias, name] of this.aliases)
      out.push({ code: "metric-alias", where: "queries", message: `metric ${alias} written as ${name}, its catalog name` });
    for (const [metric, u] of [...this.unknownMetrics].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const base = metric.replace(/_(bucket|sum|count)$/, "");
      const type = /_bucket$/.test(metric) ? "histogram" : /_total$/.test(metric) ? "counter" : "gauge";
      const entry = `{ name: "${type === "histogram" ? base : metric}", type: "${type}", unit: "short", help: "…", labels: ${JSON.stringify([...u.labels].sort())} }`;
      out.push({
        code: "unknown-metric",
        where: at(u),
        message: `metric ${metric} is not in the catalog (the build rejects the query); add to catalog/: ${entry}`,
      });
    }
    for (const [metric, labels] of [...this.unknownLabels].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const def = this.catalog!.lookupSeries(metric)?.metric;
      const names = [...labels.keys()].sort();
      for (const label of names)
        out.push({
          code: "unknown-label",
          where: at(labels.get(label)!),
          message: def
            ? `label ${label} is not a label of ${metric} in the catalog (the build rejects the query); add it to the entry of ${def.name} in catalog/ (stack ${def.stack}): labels: ${JSON.stringify([...new Set([...def.labels, ...names])].sort())}`
            : `label ${label} is not on the series of ${metric} the query applies it to (the build rejects the query); correct the query or add the label to catalog/`,
        });
    }
    for (const o of this.otherIssues)
      out.push({ code: "unknown-label", where: o.where, message: `${o.message} (the build rejects the query)` });
    return out;
  }
}
