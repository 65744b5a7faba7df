// Metric names of imported queries against the repository's metric catalog (handed in by the entry
// point; tools do not read catalog/ themselves). A name the catalog knows under another spelling (an
// alias, e.g. a collector counter without _total) is written as the catalog spells it. What the
// build's catalog check (src/query/catalogCheck.ts, run here on the rewritten query) would reject is
// reported with the catalog change to make: a metric it does not know, a label its entry lacks.
import { catalogIndex, type CatalogIndex, type MetricDef, type MetricType } from "../../model/catalog.js";
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
  kind: "unknown-metric" | "unknown-label" | "counter-without-rate";
  metric: string;
  /** unknown-label: the label. */
  label?: string;
  /** unknown-metric: the series names the queries use (a histogram's _bucket, _sum, _count). */
  series?: string[];
  /** counter-without-rate of a metric the catalog lacks: rejected once the suggested entry is added. */
  suggested?: boolean;
}

const note = (places: Places, where: string) => {
  if (!places.where.includes(where)) places.where.push(where);
};

type Kind = "panel" | "variable";

/** A metric the catalog lacks, as the entry to add: labels are what the queries use on it. */
interface Provisional extends Places {
  name: string;
  type: MetricType;
  labels: Set<string>;
  series: Set<string>;
}

/** The catalog entry a series name asks for: histogram series by base name, _total a counter. */
function entryFor(series: string, unknown: ReadonlySet<string>): { name: string; type: MetricType } {
  const base = series.replace(/_(bucket|sum|count)$/, "");
  if (/_bucket$/.test(series) || (base !== series && unknown.has(`${base}_bucket`))) return { name: base, type: "histogram" };
  return { name: series, type: /_total$/.test(series) ? "counter" : "gauge" };
}

const IMPLIED = new Set(["job", "instance", "__name__", "le"]);

export class MetricNames {
  readonly aliases = new Map<string, string>();
  private readonly queries: { expr: string; where: string; kind: Kind }[] = [];
  private result?: {
    metrics: Map<string, Provisional>;
    labels: Map<string, Map<string, Places>>;
    other: { gap: CatalogGap; message: string; where: string }[];
  };

  constructor(private readonly catalog?: MetricCatalog) {}

  /** `expr` with its metric names as the catalog spells them; kept for the catalog check. */
  rewrite(expr: string, where: string, kind: Kind = "panel"): string {
    if (!this.catalog) return expr;
    const out = this.aliased(expr);
    this.queries.push({ expr: out, where, kind });
    this.result = undefined;
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

  private issuesOf(q: { expr: string; kind: Kind }, index: CatalogIndex): CatalogIssue[] {
    try {
      return q.kind === "variable" ? checkVariableQueryAgainstCatalog(q.expr, index) : checkExpressionAgainstCatalog(q.expr, index);
    } catch {
      return []; // not PromQL the parser reads: the build reports it
    }
  }

  /**
   * The build's catalog check over every query, with the metrics the catalog lacks added as the
   * entries the report suggests, until those entries carry every label the queries use on them: the
   * catalog change reported is then the whole change the build needs.
   */
  private analyse() {
    if (this.result) return this.result;
    const metrics = new Map<string, Provisional>();
    let labels = new Map<string, Map<string, Places>>();
    let other: { gap: CatalogGap; message: string; where: string }[] = [];
    for (let pass = 0; pass < 10; pass++) {
      const index = metrics.size
        ? catalogIndex([
            ...this.catalog!.metrics,
            ...[...metrics.values()].map((m) => ({ name: m.name, type: m.type, unit: "short", help: "", labels: [...m.labels], stack: "all" as const, jobs: [] })),
          ])
        : this.catalog!;
      let changed = false;
      labels = new Map();
      other = [];
      const found: { series: string; where: string; expr: string }[] = [];
      for (const q of this.queries)
        for (const i of this.issuesOf(q, index)) {
          if (i.code === "unknown-metric" && i.metric) found.push({ series: i.metric, where: q.where, expr: q.expr });
          else if (i.code === "unknown-label" && i.metric && i.label && i.label !== "le") {
            const own = [...metrics.values()].find((m) => m.name === i.metric || index.lookupSeries(i.metric!)?.metric.name === m.name);
            if (own) {
              if (!own.labels.has(i.label)) (own.labels.add(i.label), (changed = true));
              continue;
            }
            const byLabel = labels.get(i.metric) ?? new Map<string, Places>();
            note(byLabel.get(i.label) ?? (byLabel.set(i.label, { where: [] }), byLabel.get(i.label)!), q.where);
            labels.set(i.metric, byLabel);
          } else if (i.code === "counter-without-rate" && i.metric) {
            const suggested = [...metrics.values()].some((m) => m.series.has(i.metric!));
            other.push({ gap: { kind: i.code, metric: i.metric, ...(suggested ? { suggested } : {}) }, message: i.message, where: q.where });
          } else
            other.push({ gap: { kind: "unknown-label", metric: i.metric ?? "", label: i.label }, message: i.message, where: q.where });
        }
      const unknown = new Set(found.map((f) => f.series));
      for (const f of found) {
        const e = entryFor(f.series, unknown);
        const m = metrics.get(e.name) ?? { ...e, labels: new Set<string>(), series: new Set<string>(), where: [] };
        m.series.add(f.series);
        try {
          for (const s of promqlSelectors(f.expr.replace(/^\s*(label_values|query_result)\(|,\s*[A-Za-z_]\w*\s*\)\s*$/g, "")))
            if (s.metric === f.series) for (const x of s.matchers) if (!IMPLIED.has(x.label)) m.labels.add(x.label);
        } catch {
          // labels as far as known
        }
        note(m, f.where);
        metrics.set(e.name, m);
        changed = true;
      }
      if (!changed) break;
    }
    return (this.result = { metrics, labels, other });
  }

  /** What the build's catalog check will reject, by metric and label, sorted. */
  gaps(): CatalogGap[] {
    if (!this.catalog) return [];
    const { metrics, labels, other } = this.analyse();
    const out: CatalogGap[] = [...metrics.values()].map((m) => ({ kind: "unknown-metric" as const, metric: m.name, series: [...m.series].sort() }));
    for (const [metric, byLabel] of labels) for (const label of byLabel.keys()) out.push({ kind: "unknown-label", metric, label });
    out.push(...other.map((o) => o.gap));
    const key = (g: CatalogGap) => `${g.metric}\u0000${g.label ?? ""}\u0000${g.kind}`;
    return [...new Map(out.map((g) => [key(g), g])).values()].sort((a, b) => (key(a) < key(b) ? -1 : 1));
  }

  /** The catalog entries to add for the metrics it lacks (what the warnings print), for tools and tests. */
  entries(): MetricDef[] {
    if (!this.catalog) return [];
    return [...this.analyse().metrics.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((m) => ({ name: m.name, type: m.type, unit: "short", help: "…", labels: [...m.labels].sort(), stack: "all", jobs: [] }));
  }

  warnings(): ImportWarning[] {
    if (!this.catalog) return [];
    const { labels, other } = this.analyse();
    const out: ImportWarning[] = [];
    const at = (p: Places) => (p.where.length > 1 ? `${p.where[0]} and ${p.where.length - 1} more` : p.where[0]);
    for (const [alias, name] of this.aliases)
      out.push({ code: "metric-alias", where: "queries", message: `metric ${alias} written as ${name}, its catalog name` });
    const metrics = this.analyse().metrics;
    for (const e of this.entries()) {
      const m = metrics.get(e.name)!;
      const entry = `{ name: "${e.name}", type: "${e.type}", unit: "short", help: "…", labels: ${JSON.stringify(e.labels)} }`;
      out.push({
        code: "unknown-metric",
        where: at(m),
        message: `metric ${e.name} is not in the catalog (the build rejects the query); add to catalog/: ${entry}`,
      });
    }
    for (const [metric, byLabel] of [...labels].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const def = this.catalog.lookupSeries(metric)?.metric;
      const names = [...byLabel.keys()].sort();
      for (const label of names)
        out.push({
          code: "unknown-label",
          where: at(byLabel.get(label)!),
          message: def
            ? `label ${label} is not a label of ${metric} in the catalog (the build rejects the query); add it to the entry of ${def.name} in catalog/ (stack ${def.stack}): labels: ${JSON.stringify([...new Set([...def.labels, ...names])].sort())}`
            : `label ${label} is not on the series of ${metric} the query applies it to (the build rejects the query); correct the query or add the label to catalog/`,
        });
    }
    for (const o of other)
      out.push({
        code: o.gap.kind === "counter-without-rate" ? "counter-without-rate" : "unknown-label",
        where: o.where,
        message: `${o.message.split("\n")[0]} (the build rejects the query${o.gap.suggested ? ` once ${o.gap.metric} is in the catalog as the counter it is` : ""})`,
      });
    return out;
  }
}
