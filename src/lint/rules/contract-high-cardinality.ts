// Telemetry contract (docs/telemetry-contract.md): "Avoid high-cardinality labels (no raw UUIDs/session IDs in
// labels)." Grouping, legends and alert labels by a per-request id (trace_id, user_id, …) or by a
// raw path with ids in it create one series — one legend entry, one notification — per request.
import { describeIssue, promqlGroupingLabels } from "../../query/parse.js";
import { catalogLocation } from "../catalogSites.js";
import { logqlGroupingLabels, traceqlGroupingLabels } from "../../query/analysis.js";
import { board, targetKey } from "../boards.js";
import { alerts, atRule, querySites, type QuerySite } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";
import type { LintContext } from "../context.js";

/** A path segment that is an id: a number, a UUID, or a long hex string. */
const PATH_WITH_ID = /\/(?:\d{2,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,})(?=[/?#\s"']|$)/i;

// Labels repeat across a tree (le, path, job, …): each is judged once per lint settings.
const judged = new WeakMap<LintContext["settings"], Map<string, string | undefined>>();

function classify(ctx: LintContext, label: string): string | undefined {
  let bySettings = judged.get(ctx.settings);
  if (!bySettings) judged.set(ctx.settings, (bySettings = new Map()));
  if (bySettings.has(label)) return bySettings.get(label);
  const why = classifyUncached(ctx, label);
  if (bySettings.size < 10_000) bySettings.set(label, why);
  return why;
}

function classifyUncached(ctx: LintContext, label: string): string | undefined {
  const l = label.toLowerCase();
  if (ctx.settings.highCardinalityLabels.includes(l)) return "a per-request/user/event id";
  if (ctx.settings.rawPathLabels.includes(l)) return "a raw path or URL with ids in it";
  // log_trace_id, span.user_id, http.request_id, …
  const tail = l.split(/[._]/).slice(-2).join("_");
  if (ctx.settings.highCardinalityLabels.includes(tail)) return "a per-request/user/event id";
  return undefined;
}

const FIX = "group by a bounded label (service, route template, status, model) and find single requests in traces and logs";

export default defineRule({
  id: "contract-high-cardinality",
  scope: "dashboard",
  severity: "error",
  purpose: "No high-cardinality label (trace_id, user_id, request_id, raw paths with ids, …) in by (...), legends, alert labels or catalog labels",
  stackSpecific: true,
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const site of querySites(ctx)) {
      const grouping =
        site.lang === "promql"
          ? promqlGroupingLabels(site.expr).filter((g) => g.clause === "by" || g.clause === "on" || g.clause === "group")
          : site.lang === "logql"
            ? logqlGroupingLabels(site.expr)
            : traceqlGroupingLabels(site.expr);
      for (const g of grouping) {
        const why = classify(ctx, g.label);
        if (why) out.push({ ...site.at, message: describeIssue(site.expr, { column: g.column, message: `grouping by ${g.label}, ${why}` }), fix: FIX });
      }
      const legend = legendOf(ctx, site);
      for (const label of legend ? legendLabels(legend) : []) {
        const why = classify(ctx, label);
        if (why) out.push({ ...site.at, message: `legend "${legend}" shows ${label}, ${why}: one legend entry per request`, fix: FIX });
      }
    }
    for (const { group, rule } of alerts(ctx)) {
      for (const [name, value] of Object.entries(rule.labels)) {
        const byName = classify(ctx, name);
        const templated = [...value.matchAll(/\$labels\.(\w+)/g)].map((m) => m[1]).find((l) => classify(ctx, l));
        const problem = byName
          ? `label ${name} is ${byName}`
          : templated
            ? `label ${name} copies ${templated}, ${classify(ctx, templated)}`
            : PATH_WITH_ID.test(value)
              ? `label ${name}="${value}" holds a raw path with an id`
              : undefined;
        if (problem) out.push({ ...atRule(group, rule), message: `${problem}: every value is a separate alert and notification`, fix: "drop the label, or put the id in an annotation (annotations do not split alerts)" });
      }
    }
    for (const m of ctx.catalog) {
      for (const label of m.labels) {
        if (ctx.settings.highCardinalityLabels.includes(label)) {
          out.push({ ...catalogLocation(ctx.repoRoot, m.name), message: `${m.name} has label ${label}, a per-request/user/event id: one series per request`, fix: "remove the label at the exporter; record ids on spans and log lines instead" });
        }
      }
    }
    return out;
  },
});

const LEGEND_LABEL = /\{\{\s*([\w.]+)\s*\}\}/g;
// Legends repeat across a tree ({{method}}, {{instance}}): each read once.
const legendMemo = new Map<string, string[]>();

/** The labels a legend format shows ({{label}}), in order. */
function legendLabels(legend: string): string[] {
  let labels = legendMemo.get(legend);
  if (!labels) {
    labels = Array.from(legend.matchAll(LEGEND_LABEL), (m) => m[1]);
    if (legendMemo.size < 10_000) legendMemo.set(legend, labels);
  }
  return labels;
}

/** The legend format of a dashboard query's target. */
function legendOf(ctx: LintContext, site: QuerySite): string | undefined {
  const q = site.query;
  return q && board(ctx, q.board).legends.get(targetKey(q.panelTitle, q.refId));
}
