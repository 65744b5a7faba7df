// Panel helpers on top of src/presets: table columns with their own units, link-carrying stats,
// threshold schemes where higher is better.
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import type * as bargauge from "@grafana/grafana-foundation-sdk/bargauge";
import type * as stat from "@grafana/grafana-foundation-sdk/stat";
import type * as table from "@grafana/grafana-foundation-sdk/table";
import type { DashboardContext } from "../../src/definitions.js";
import { dashboardLink } from "./nav.js";

export interface Column {
  /** refId of the instant table query that fills the column (A, B, ...). */
  refId: string;
  title: string;
  unit: string;
  decimals?: number;
  /** Colour the cell background by these steps (base green). */
  thresholds?: [number, string][];
}

/** Names, units and colouring of the value columns of a merged instant-query table ("Value #A", ...). */
export function withColumns(panel: table.PanelBuilder, columns: Column[]): table.PanelBuilder {
  for (const c of columns) {
    const props: dashboard.DynamicConfigValue[] = [
      { id: "displayName", value: c.title },
      { id: "unit", value: c.unit },
    ];
    if (c.decimals !== undefined) props.push({ id: "decimals", value: c.decimals });
    if (c.thresholds) {
      props.push({
        id: "thresholds",
        value: {
          mode: "absolute",
          steps: [{ value: null, color: "green" }, ...c.thresholds.map(([value, color]) => ({ value, color }))],
        },
      });
      props.push({ id: "custom.cellOptions", value: { type: "color-background", mode: "basic" } });
    }
    panel.overrideByName(`Value #${c.refId}`, props);
  }
  return panel;
}

/** Thresholds for "higher is better" values such as the share of targets up: red below `ok`. */
export function higherIsBetter(ok: number, warn?: number): dashboard.ThresholdsConfigBuilder {
  const steps: dashboard.Threshold[] = [{ value: null as unknown as number, color: "red" }];
  if (warn !== undefined) steps.push({ value: warn, color: "orange" });
  steps.push({ value: ok, color: "green" });
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);
}

/** Value mapping for `up`-style 0/1 values. */
export const UP_MAPPING: dashboard.ValueMapping[] = [
  {
    type: dashboard.MappingType.ValueToText,
    options: { "0": { text: "DOWN", color: "red", index: 0 }, "1": { text: "UP", color: "green", index: 1 } },
  },
];

/** Makes a panel (and its values) open another dashboard. */
export function linkTo<P extends stat.PanelBuilder | table.PanelBuilder | bargauge.PanelBuilder>(
  panel: P,
  ctx: DashboardContext,
  uid: string,
  title?: string,
): P {
  const link = () => dashboardLink(ctx, uid, title);
  panel.links([link()]);
  panel.dataLinks([link()]);
  return panel;
}
