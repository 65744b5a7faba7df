// Metric names of imported queries against the repository's metric catalog (handed in by the entry
// point; tools do not read catalog/ themselves). A name the catalog knows under another spelling (an
// alias, e.g. a collector counter without _total) is written as the catalog spells it; a name it does
// not know is reported with the catalog entry to add, since the build rejects such a query.
import { promqlSelectors } from "../../query/parse.js";
import type { ImportWarning } from "../warnings.js";

export interface MetricCatalog {
  /** The catalog's spelling of a series name (histogram series keep their suffix); undefined: unknown. */
  canonical(series: string): string | undefined;
}

interface Unknown {
  labels: Set<string>;
  where: string[];
}

export class MetricNames {
  readonly aliases = new Map<string, string>();
  private readonly unknown = new Map<string, Unknown>();

  constructor(private readonly catalog?: MetricCatalog) {}

  /** `expr` with its metric names as the catalog spells them; unknown names are recorded. */
  rewrite(expr: string, where: string): string {
    if (!this.catalog) return expr;
    // Variable queries: the PromQL inside label_values(…, label) / query_result(…).
    const wrapped = /^(\s*(?:label_values|query_result)\()([\s\S]*?)((?:,\s*[A-Za-z_]\w*\s*)?\)\s*)$/.exec(expr);
    if (/^\s*label_(names|values)\(\s*[A-Za-z_]\w*\s*\)\s*$/.test(expr) || /^\s*label_names\(\)\s*$/.test(expr))
      return expr;
    if (wrapped) return wrapped[1] + this.rewrite(wrapped[2], where) + wrapped[3];
    let selectors;
    try {
      selectors = promqlSelectors(expr);
    } catch {
      return expr; // not PromQL the parser reads: the build reports it
    }
    let out = expr;
    for (const s of selectors) {
      if (!s.metric) continue;
      const name = this.catalog.canonical(s.metric);
      if (name === undefined) {
        const u = this.unknown.get(s.metric) ?? { labels: new Set(), where: [] };
        for (const m of s.matchers)
          if (m.label !== "job" && m.label !== "instance" && m.label !== "__name__") u.labels.add(m.label);
        if (!u.where.includes(where)) u.where.push(where);
        this.unknown.set(s.metric, u);
      } else if (name !== s.metric) {
        this.aliases.set(s.metric, name);
        out = out.replace(new RegExp(`\\b${s.metric}\\b(?!_)`, "g"), name);
      }
    }
    return out;
  }

  warnings(): ImportWarning[] {
    const out: ImportWarning[] = [];
    for (const [alias, name] of this.aliases)
      out.push({
        code: "metric-alias",
        where: "queries",
        message: `metric ${alias} written as ${name}, its catalog name`,
      });
    for (const [metric, u] of [...this.unknown].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const base = metric.replace(/_(bucket|sum|count)$/, "");
      const type = /_bucket$/.test(metric) ? "histogram" : /_total$/.test(metric) ? "counter" : "gauge";
      const entry = `{ name: "${type === "histogram" ? base : metric}", type: "${type}", unit: "short", help: "…", labels: ${JSON.stringify([...u.labels].sort())} }`;
      out.push({
        code: "unknown-metric",
        where: u.where.length > 1 ? `${u.where[0]} and ${u.where.length - 1} more` : u.where[0],
        message: `metric ${metric} is not in the catalog (the build rejects the query); add to catalog/: ${entry}`,
      });
    }
    return out;
  }
}
