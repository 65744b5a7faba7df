// The series names the dashboards' Prometheus queries select, from an in-memory build.
import type { Config } from "../../config/index.js";
import { datasources } from "../../datasources/index.js";
import { runBuild } from "../pipeline/index.js";
import { dashboardQueries } from "../validate/dashboardQueries.js";
import { promqlSelectors } from "../validate/queries.js";

export async function seriesUsedByDashboards(config: Config): Promise<Set<string>> {
  const build = await runBuild({ write: false, config });
  const provisioned = new Map(datasources(config).map((d) => [d.uid, d.type]));
  const used = new Set<string>();
  for (const q of dashboardQueries(build.dashboards, provisioned)) {
    if (q.lang !== "promql") continue;
    for (const s of promqlSelectors(q.expr)) if (s.metric) used.add(s.metric);
  }
  return used;
}
