// Template variables shared by the dashboards: the datasource variables (Prometheus first, then Loki,
// Tempo, Jaeger as the dashboard queries them), then job → instance → …, each refreshed when the time
// range changes so label values follow what is actually scraped.
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { DATASOURCE_UIDS } from "../datasourceUids.js";
import { datasourceVariableName, PROMETHEUS_VAR, type QueryDatasource } from "./targets.js";

const TITLES: Record<QueryDatasource, string> = {
  prometheus: "Prometheus",
  loki: "Loki",
  tempo: "Tempo",
  jaeger: "Jaeger",
};

/** A datasource variable of one type, named and labelled as dashboard-linter expects, preset to the provisioned uid. */
export function datasourceVariable(kind: QueryDatasource = "prometheus"): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder(datasourceVariableName(kind))
    .label(`${TITLES[kind]} data source`)
    .type(kind)
    .current({ text: TITLES[kind], value: DATASOURCE_UIDS[kind] });
}

/** The Prometheus datasource variable first (dashboard-linter reads the first one as the dashboard's kind), then the others. */
export function datasourceVariables(
  ...others: Exclude<QueryDatasource, "prometheus">[]
): dashboard.DatasourceVariableBuilder[] {
  return [datasourceVariable("prometheus"), ...[...new Set(others)].map((k) => datasourceVariable(k))];
}

export interface LabelVariable {
  name: string;
  label: string;
  /** label_values(<selector>, <label>) */
  query: string;
  /** Preselected value (e.g. the configured job); else All. */
  current?: string;
  multi?: boolean;
  includeAll?: boolean;
  /** The regex "All" stands for; `.+` unless a dashboard needs another. */
  allValue?: string;
}

export function labelVariable(v: LabelVariable): dashboard.QueryVariableBuilder {
  const b = new dashboard.QueryVariableBuilder(v.name)
    .label(v.label)
    .datasource(PROMETHEUS_VAR)
    .query(v.query)
    .definition(v.query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
  if (v.multi ?? true) b.multi(true);
  // `.+`, not `.*`: "All" must not match series that lack the label.
  if (v.includeAll ?? true) b.includeAll(true).allValue(v.allValue ?? ".+");
  b.current(v.current ? { text: v.current, value: v.current } : { text: "All", value: "$__all" });
  return b;
}

/** The job and instance variables every service dashboard starts with. */
export function jobInstanceVariables(metric: string, job: string): dashboard.QueryVariableBuilder[] {
  return [
    labelVariable({ name: "job", label: "Job", query: `label_values(${metric}, job)`, current: job }),
    labelVariable({ name: "instance", label: "Instance", query: `label_values(${metric}{job=~"$job"}, instance)` }),
  ];
}
