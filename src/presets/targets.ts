// Query builders for the three signals. Every query goes through a datasource variable of its type
// ($prometheus_datasource, $loki_datasource, $tempo_datasource, $jaeger_datasource: datasourceVariables()
// in variables.ts), so a viewer can point a dashboard at another Prometheus, Loki or Tempo.
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as loki from "@grafana/grafana-foundation-sdk/loki";
import * as tempo from "@grafana/grafana-foundation-sdk/tempo";
import type { DataSourceRef } from "@grafana/grafana-foundation-sdk/common";

/** The datasource kinds a dashboard queries, each through its own variable. */
export type QueryDatasource = "prometheus" | "loki" | "tempo" | "jaeger";
/** dashboard-linter's naming: <type>_datasource. */
export const datasourceVariableName = (kind: QueryDatasource): string => `${kind}_datasource`;
const through = (kind: QueryDatasource): DataSourceRef => ({ type: kind, uid: `\${${datasourceVariableName(kind)}}` });

export const PROMETHEUS_VAR: DataSourceRef = through("prometheus");
export const LOKI: DataSourceRef = through("loki");
export const TEMPO: DataSourceRef = through("tempo");
export const JAEGER: DataSourceRef = through("jaeger");

/**
 * A search on Grafana's Jaeger datasource (its query model: queryType "search", service,
 * operation, tags in logfmt, minDuration/maxDuration as Jaeger durations, limit). The SDK has no
 * Jaeger builder, so this is one.
 */
export class JaegerSearchBuilder {
  private query: Record<string, unknown>;
  constructor(search: { service: string; operation?: string; tags?: string; minDuration?: string; maxDuration?: string; limit?: number }) {
    this.query = { datasource: JAEGER, queryType: "search", ...search };
  }
  refId(id: string): this {
    this.query.refId = id;
    return this;
  }
  build() {
    return { ...this.query } as { refId: string } & Record<string, unknown> & { _implementsDataqueryVariant(): void };
  }
}

export function jaegerSearch(search: ConstructorParameters<typeof JaegerSearchBuilder>[0]): JaegerSearchBuilder {
  return new JaegerSearchBuilder({ limit: 20, ...search });
}

export type Target = prometheus.DataqueryBuilder | loki.DataqueryBuilder | tempo.DataqueryBuilder | JaegerSearchBuilder;

export interface PromOptions {
  legend?: string;
  /** Instant query: stats and tables that show one current value per series. */
  instant?: boolean;
  /** Table format (one row per series) for table panels. */
  table?: boolean;
  /** Ask Prometheus for exemplars too (latency histograms of services that record them). */
  exemplar?: boolean;
}

/** A PromQL target. refIds are assigned by the panel preset in order (A, B, C, ...). */
export function prom(expr: string, opts: PromOptions = {}): prometheus.DataqueryBuilder {
  const q = new prometheus.DataqueryBuilder().datasource(PROMETHEUS_VAR).expr(expr).editorMode(prometheus.QueryEditorMode.Code);
  if (opts.legend !== undefined) q.legendFormat(opts.legend);
  if (opts.instant) q.instant();
  else q.range();
  if (opts.table) q.format(prometheus.PromQueryFormat.Table);
  if (opts.exemplar) q.exemplar(true);
  return q;
}

export function logql(expr: string, opts: { legend?: string; maxLines?: number } = {}): loki.DataqueryBuilder {
  const q = new loki.DataqueryBuilder().datasource(LOKI).expr(expr).queryType("range");
  if (opts.legend !== undefined) q.legendFormat(opts.legend);
  if (opts.maxLines !== undefined) q.maxLines(opts.maxLines);
  return q;
}

/** A TraceQL search listing matching traces (or, with table "spans", one row per matching span). */
export function traceql(query: string, limit = 20, table: "traces" | "spans" = "traces"): tempo.DataqueryBuilder {
  return new tempo.DataqueryBuilder()
    .datasource(TEMPO)
    .queryType("traceql")
    .query(query)
    .limit(limit)
    .tableType(table === "spans" ? tempo.SearchTableType.Spans : tempo.SearchTableType.Traces);
}

export function withRefIds<T extends Target>(targets: T[]): T[] {
  targets.forEach((t, i) => t.refId(String.fromCharCode(65 + i)));
  return targets;
}
