// Panel presets: the styling every panel of the project shares (legends shown as a table with the
// numbers an SRE wants, thresholds, sizes), so dashboards only say what a panel shows.
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as logs from "@grafana/grafana-foundation-sdk/logs";
import * as piechart from "@grafana/grafana-foundation-sdk/piechart";
import * as bargauge from "@grafana/grafana-foundation-sdk/bargauge";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import type { GrafanaUnit } from "../model/grafanaUnits.js";

export type { GrafanaUnit };
import { withPanelKey } from "./panelKey.js";
import { LOKI, PROMETHEUS_VAR, TEMPO, withRefIds, type Target } from "./targets.js";

export interface PanelBase {
  title: string;
  /** Shown as the panel's (i) tooltip: what it shows and how to read it. */
  description: string;
  /** Grid width out of 24 and height in rows; the pipeline places the panel. */
  width?: number;
  height?: number;
  /** Identity the panel id derives from (default: the title); keep it when retitling a panel. */
  key?: string;
}

export interface NumericPanel extends PanelBase {
  /** A Grafana unit id (s, ms, bytes, KiBs, reqps, percentunit, short, …) or "suffix:<text>" and the like. */
  unit: GrafanaUnit;
  targets: Target[];
  /** Ascending steps: [value, color]; the base (below the first value) is green. */
  thresholds?: [number, string][];
  min?: number;
  max?: number;
  decimals?: number;
}

export function thresholds(steps: [number, string][] = []): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps([{ value: null, color: "green" }, ...steps.map(([value, color]) => ({ value, color }))]);
}

/** Warning/critical steps in amber and red. */
export function warnCrit(warning: number, critical: number): [number, string][] {
  return [
    [warning, "orange"],
    [critical, "red"],
  ];
}

function numeric<P extends timeseries.PanelBuilder | stat.PanelBuilder | table.PanelBuilder | piechart.PanelBuilder | bargauge.PanelBuilder>(
  panel: P,
  p: NumericPanel,
): P {
  panel
    .title(p.title)
    .description(p.description)
    .unit(p.unit)
    .thresholds(thresholds(p.thresholds))
    .targets(withRefIds(p.targets))
    .span(p.width ?? 12)
    .height(p.height ?? 8);
  if (p.min !== undefined) panel.min(p.min);
  if (p.max !== undefined) panel.max(p.max);
  if (p.decimals !== undefined) panel.decimals(p.decimals);
  return p.key ? withPanelKey(panel, p.key) : panel;
}

function datasourceOf(targets: Target[]): common.DataSourceRef {
  const first = targets[0]?.build() as { datasource?: common.DataSourceRef } | undefined;
  return first?.datasource ?? PROMETHEUS_VAR;
}

export interface TimeseriesPanel extends NumericPanel {
  stack?: boolean;
  /** Draw thresholds as dashed lines (useful for ratios with an SLO). */
  showThresholds?: boolean;
  fill?: number;
}

export function timeseriesPanel(p: TimeseriesPanel): timeseries.PanelBuilder {
  const panel = numeric(new timeseries.PanelBuilder(), p)
    .datasource(datasourceOf(p.targets))
    .lineWidth(1)
    .fillOpacity(p.fill ?? (p.stack ? 30 : 10))
    .showPoints(common.VisibilityMode.Never)
    .spanNulls(false)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Bottom)
        .calcs(["mean", "max", "lastNotNull"])
        // The busiest series on top: a legend of many routes or models is read from the top.
        .sortBy("Mean")
        .sortDesc(true),
    )
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));
  if (p.stack) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (p.showThresholds) panel.thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  return panel;
}

export function statPanel(p: NumericPanel & { graph?: boolean }): stat.PanelBuilder {
  return numeric(new stat.PanelBuilder(), { width: 6, height: 4, ...p })
    .datasource(datasourceOf(p.targets))
    .graphMode(p.graph === false ? common.BigValueGraphMode.None : common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Value)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false));
}

/** One row per series, one column per query (instant queries, table format, merged). */
export function tablePanel(p: NumericPanel & { sortBy?: string }): table.PanelBuilder {
  const panel = numeric(new table.PanelBuilder(), p)
    .datasource(datasourceOf(p.targets))
    .withTransformation({ id: "merge", options: {} })
    .withTransformation({ id: "organize", options: { excludeByName: { Time: true } } });
  if (p.sortBy) panel.sortBy([new common.TableSortByFieldStateBuilder().displayName(p.sortBy).desc(true)]);
  return panel;
}

export function piePanel(p: NumericPanel): piechart.PanelBuilder {
  return numeric(new piechart.PanelBuilder(), p)
    .datasource(datasourceOf(p.targets))
    .pieType(piechart.PieChartType.Donut)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false))
    .legend(
      new piechart.PieChartLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Right)
        .values([piechart.PieChartLegendValues.Percent]),
    );
}

export function barGaugePanel(p: NumericPanel): bargauge.PanelBuilder {
  return numeric(new bargauge.PanelBuilder(), p)
    .datasource(datasourceOf(p.targets))
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false));
}

export function logsPanel(p: PanelBase & { targets: Target[] }): logs.PanelBuilder {
  const panel = new logs.PanelBuilder()
    .title(p.title)
    .description(p.description)
    .datasource(LOKI)
    .targets(withRefIds(p.targets))
    .span(p.width ?? 24)
    .height(p.height ?? 10)
    .showTime(true)
    .wrapLogMessage(true)
    .enableLogDetails(true)
    .prettifyLogMessage(false)
    .sortOrder(common.LogsSortOrder.Descending)
    .dedupStrategy(common.LogsDedupStrategy.None);
  return p.key ? withPanelKey(panel, p.key) : panel;
}

/** TraceQL search results (one row per trace, expandable to spans); trace ids open the trace view. */
/** A table of traces from Tempo (default) or Jaeger (`datasource: JAEGER`). */
export function tracesPanel(p: PanelBase & { targets: Target[]; datasource?: common.DataSourceRef }): table.PanelBuilder {
  const panel = new table.PanelBuilder()
    .title(p.title)
    .description(p.description)
    .datasource(p.datasource ?? TEMPO)
    .targets(withRefIds(p.targets))
    .span(p.width ?? 12)
    .height(p.height ?? 8)
    .unit("ms");
  return p.key ? withPanelKey(panel, p.key) : panel;
}

/** A row; `key` keeps its id when it is retitled (default identity: "row:<title>"). */
export function row(title: string, key?: string): dashboard.RowBuilder {
  const r = new dashboard.RowBuilder(title);
  return key ? withPanelKey(r, key) : r;
}
