// The series names the dashboards' Prometheus queries select, from an in-memory build.
import type { Config } from "../model/config.js";
import type { RepoContent } from "../model/content.js";
import { buildTree } from "../pipeline/index.js";
import { dashboardQueries } from "../validate/dashboardQueries.js";
import { promqlSelectors } from "../query/parse.js";

export async function seriesUsedByDashboards(content: RepoContent, config: Config): Promise<Set<string>> {
  const build = await buildTree({ content, config });
  const provisioned = new Map(content.datasources(config).map((d) => [d.uid, d.type]));
  const used = new Set<string>();
  for (const q of dashboardQueries(build.dashboards, provisioned)) {
    if (q.lang !== "promql") continue;
    for (const s of promqlSelectors(q.expr)) if (s.metric) used.add(s.metric);
  }
  return used;
}
