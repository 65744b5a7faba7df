// Template variables shared by the dashboards: the Prometheus datasource, then job → instance → …,
// each refreshed when the time range changes so label values follow what is actually scraped.
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { DATASOURCE_UIDS } from "../datasourceUids.js";
import { PROMETHEUS_VAR } from "./targets.js";

export function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder("datasource")
    .label("Data source")
    .type("prometheus")
    .current({ text: "Prometheus", value: DATASOURCE_UIDS.prometheus });
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
  if (v.includeAll ?? true) b.includeAll(true).allValue(".*");
  b.current(v.current ? { text: v.current, value: v.current } : { text: "All", value: "$__all" });
  return b;
}

/** The job and instance variables every service dashboard starts with. */
export function jobInstanceVariables(metric: string, job: string): dashboard.QueryVariableBuilder[] {
  return [
    labelVariable({ name: "job", label: "Job", query: `label_values(${metric}, job)`, current: job, multi: false, includeAll: false }),
    labelVariable({ name: "instance", label: "Instance", query: `label_values(${metric}{job=~"$job"}, instance)` }),
  ];
}
