// One walk per dashboard, shared by every rule: its panels, its queries, its datasource variables,
// the legend of each target and the build's structural findings, gathered once per lint run. Rules
// that each walked every dashboard themselves (and scanned every query of the tree for each
// dashboard) were most of lint's time on large trees.
import type { Panel, VariableModel } from "@grafana/grafana-foundation-sdk/dashboard";
import type { Problem } from "../errors.js";
import { allPanels } from "../model/dashboard.js";
import { checkDashboardStructure } from "../validate/dashboardStructure.js";
import { datasourceVariables } from "../validate/datasourceRefs.js";
import type { LintContext, LintDashboard, LintQuery } from "./context.js";
import { firstDatasourceVariableType } from "./peers.js";

type AnyPanel = ReturnType<typeof allPanels>[number];

export interface Board {
  /** Top-level panels and those nested in rows, in document order. */
  allPanels: AnyPanel[];
  /** The panels that draw something (not rows). */
  panels: Panel[];
  /** This dashboard's queries, in the context's order. */
  queries: LintQuery[];
  /** Datasource variables: name → plugin type. */
  datasourceVariables: Map<string, string>;
  /** Template variables (templating.list), and their names. */
  variables: VariableModel[];
  variableNames: ReadonlySet<string | undefined>;
  /** The type of the first datasource variable (dashboard-linter's test of a Prometheus dashboard). */
  firstDatasourceVariableType: string | undefined;
  /** The first truthy legendFormat of a (panel title, refId), as the first panel of that title that has one gives it. */
  legends: Map<string, string>;
  /** The build's structural checks on this dashboard alone (src/validate/dashboardStructure.ts), computed on first use. */
  structure(): Problem[];
}

const boardsOf = new WeakMap<LintContext, Map<LintDashboard, Board>>();

/** The key of a (panel title, refId) pair; an absent refId is told apart from "". */
export const targetKey = (panelTitle: string, refId: string | undefined): string => `${panelTitle}\u0000${refId === undefined ? "\u0001" : refId}`;

function index(d: LintDashboard, queries: LintQuery[]): Board {
  const all = allPanels(d.json);
  const legends = new Map<string, string>();
  for (const p of all) {
    if (p.title === undefined) continue;
    const targets = (p as { targets?: { refId?: string; legendFormat?: string }[] }).targets;
    if (!Array.isArray(targets)) continue;
    const firstOfRefId = new Set<string>();
    for (const t of targets) {
      const key = targetKey(p.title, t?.refId);
      if (firstOfRefId.has(key)) continue; // a panel's first target of a refId is the one that counts
      firstOfRefId.add(key);
      if (t?.legendFormat && !legends.has(key)) legends.set(key, t.legendFormat);
    }
  }
  let structure: Problem[] | undefined;
  const variables = d.json.templating?.list ?? [];
  return {
    allPanels: all,
    panels: all.filter((p): p is Panel => p.type !== "row"),
    queries,
    datasourceVariables: datasourceVariables(d.json),
    variables,
    variableNames: new Set(variables.map((v) => v.name)),
    firstDatasourceVariableType: firstDatasourceVariableType(d.json),
    legends,
    structure: () => (structure ??= d.structure ?? checkDashboardStructure([d.built])),
  };
}

/** The shared index of a dashboard of the context, built for every dashboard on first use. */
export function board(ctx: LintContext, d: LintDashboard): Board {
  let boards = boardsOf.get(ctx);
  if (!boards) {
    const queries = new Map<LintDashboard, LintQuery[]>(ctx.dashboards.map((x) => [x, []]));
    for (const q of ctx.queries) {
      let list = queries.get(q.board);
      if (!list) queries.set(q.board, (list = []));
      list.push(q);
    }
    boards = new Map([...queries].map(([x, qs]) => [x, index(x, qs)]));
    boardsOf.set(ctx, boards);
  }
  let b = boards.get(d);
  if (!b) boards.set(d, (b = index(d, ctx.queries.filter((q) => q.board === d))));
  return b;
}
