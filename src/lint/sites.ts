// Where findings point, and the places rules iterate over: dashboards, panels, queries, rules.
import type { Panel, RowPanel, VariableModel } from "@grafana/grafana-foundation-sdk/dashboard";
import { recordedSeries } from "../query/recorded.js";
import { allPanels } from "../pipeline/dashboards.js";
import type { QueryLanguage } from "../query/parse.js";
import type { LintAlertRule, LintContext, LintDashboard, LintQuery, LintRuleGroup } from "./context.js";
import type { Location } from "./types.js";

export const atDashboard = (d: LintDashboard): Location => ({ file: d.file, output: d.output, dashboardUid: d.uid, dashboardTitle: d.title });
export const atPanel = (d: LintDashboard, p: { title?: string; type?: string; id?: number }): Location => ({
  ...atDashboard(d),
  panelTitle: p.title || `(untitled ${p.type ?? ""} panel id ${p.id ?? "?"})`,
});
export const atQuery = (q: LintQuery): Location => ({ ...atDashboard(q.board), panelTitle: q.panelTitle, refId: q.refId, targetIndex: targetIndexOf(q) });

// A query knows its panel's title and its refId; its index (what dashboard-linter's `.lint` entries
// name) is found once per dashboard.
const targetIndexes = new WeakMap<LintDashboard, Map<string, number>>();
function targetIndexOf(q: LintQuery): number | undefined {
  let byKey = targetIndexes.get(q.board);
  if (!byKey) {
    byKey = new Map();
    for (const p of allPanels(q.board.json)) {
      const targets = (p as { targets?: unknown }).targets;
      if (!Array.isArray(targets)) continue;
      targets.forEach((t, i) => {
        const key = `${p.title ?? ""}\u0000${(t as { refId?: string } | null)?.refId ?? ""}`;
        if (!byKey!.has(key)) byKey!.set(key, i);
      });
    }
    targetIndexes.set(q.board, byKey);
  }
  return byKey.get(`${q.panelTitle}\u0000${q.refId}`);
}
export const atGroup = (g: LintRuleGroup): Location => ({ file: g.file, output: g.output, group: g.name });
export const atRule = (g: LintRuleGroup, r: LintAlertRule): Location => ({ ...atGroup(g), alert: r.name });

/** Panels that draw something, i.e. not rows. */
export function panels(d: LintDashboard): Panel[] {
  return allPanels(d.json).filter((p) => p.type !== "row") as Panel[];
}

export type AnyPanel = Panel | RowPanel;

export interface QuerySite {
  lang: QueryLanguage;
  expr: string;
  at: Location;
  /** Dashboard query or rule-file expression. */
  kind: "dashboard" | "rule";
  query?: LintQuery;
  rule?: { group: LintRuleGroup; rule: LintAlertRule };
}

/** A context's query sites, all of them and split by kind and language, each list in the context's order. */
interface Sites {
  all: QuerySite[];
  lang: Record<QueryLanguage, QuerySite[]>;
  dashboard: Record<QueryLanguage, QuerySite[]>;
  rule: Record<QueryLanguage, QuerySite[]>;
}

// Every rule asks for the same sites; build them once per context, with the lists rules read.
const sitesOf = new WeakMap<LintContext, Sites>();

function sites(ctx: LintContext): Sites {
  let s = sitesOf.get(ctx);
  if (!s) {
    const all = allSites(ctx);
    s = { all, lang: { promql: [], logql: [], traceql: [] }, dashboard: { promql: [], logql: [], traceql: [] }, rule: { promql: [], logql: [], traceql: [] } };
    for (const site of all) {
      s.lang[site.lang]?.push(site);
      s[site.kind][site.lang]?.push(site);
    }
    sitesOf.set(ctx, s);
  }
  return s;
}

/** Every query of the tree: dashboard targets in their language, rule expressions as PromQL (LogQL in Loki ruler files). */
export function querySites(ctx: LintContext, lang?: QueryLanguage): QuerySite[] {
  const all = sites(ctx).all;
  return lang ? all.filter((s) => s.lang === lang) : [...all];
}

/**
 * The queries in one language (`all`: what querySites(ctx, lang) lists), the dashboards' and the
 * rule files' (`all` lists the first, then the second), as shared lists: rules read them without a
 * filtered copy each.
 */
export function sitesIn(ctx: LintContext, lang: QueryLanguage): { all: readonly QuerySite[]; dashboard: readonly QuerySite[]; rule: readonly QuerySite[] } {
  const s = sites(ctx);
  return { all: s.lang[lang], dashboard: s.dashboard[lang], rule: s.rule[lang] };
}

/**
 * A dashboard query's site. Its location is made when a rule first reports it: tens of thousands of
 * queries in a large tree, and most rules report none of them.
 */
class DashboardSite implements QuerySite {
  readonly kind = "dashboard" as const;
  readonly lang: QueryLanguage;
  readonly expr: string;
  private location?: Location;
  constructor(readonly query: LintQuery) {
    this.lang = query.lang;
    this.expr = query.expr;
  }
  get at(): Location {
    return (this.location ??= atQuery(this.query));
  }
}

function allSites(ctx: LintContext): QuerySite[] {
  return [
    ...ctx.queries.map((q): QuerySite => new DashboardSite(q)),
    ...ctx.groups.flatMap((group) =>
      group.rules.map((rule): QuerySite => ({ lang: group.source === "loki" ? "logql" : "promql", expr: rule.expr, at: atRule(group, rule), kind: "rule", rule: { group, rule } })),
    ),
  ];
}

/** Alerting rules (not recording rules) with their group. */
export function alerts(ctx: LintContext): { group: LintRuleGroup; rule: LintAlertRule }[] {
  return ctx.groups.flatMap((group) => group.rules.filter((r) => r.kind === "alert").map((rule) => ({ group, rule })));
}

/**
 * Series recorded by the tree's recording rules, with the labels they keep (the alerting build's
 * own reading of them), for the catalog checks of the queries that read them.
 */
export function recordedNames(ctx: LintContext): Record<string, string[]> {
  if (ctx.recorded) return ctx.recorded;
  return recordedSeries(
    ctx.groups.map((g) => ({
      name: g.name,
      file: g.file,
      rules: g.rules.filter((r) => r.kind === "record").map((r) => ({ kind: "record" as const, record: r.name, expr: r.expr, labels: r.labels })),
    })),
  );
}

/** A query variable's query text (a string, or the object form Grafana 10+ writes). */
export function variableQuery(v: VariableModel): string {
  return typeof v.query === "string" ? v.query : String((v.query as { query?: string } | undefined)?.query ?? "");
}
