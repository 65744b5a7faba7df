// Dashboards as the build sees them, made from the project's presets: a base with the datasource
// variable and one valid stat panel, whose panel serves as the prototype for made-up panels.
import { loadConfig } from "../../config/index.js";
import { DATASOURCE_UIDS } from "../../src/datasourceUids.js";
import { baseDashboard } from "../../src/presets/dashboard.js";
import { statPanel } from "../../src/presets/panels.js";
import { prom } from "../../src/presets/targets.js";
import { datasourceVariable } from "../../src/presets/variables.js";

export const config = loadConfig("dev");
export const EXPR = 'sum(rate(http_requests_total{job=~"$job"}[$__rate_interval]))';

export type Json = Record<string, any>;

/** A valid dashboard (no panels) with this uid. */
export function baseJson(uid: string, title = `T ${uid}`): Json {
  const ctx = { config, datasources: DATASOURCE_UIDS, dashboardPath: (u: string) => `/d/${u}` };
  const json = JSON.parse(JSON.stringify(baseDashboard(ctx, { uid, title, description: "d" }).variables([datasourceVariable()]).build())) as Json;
  json.panels = [];
  return json;
}

const PROTO = JSON.parse(JSON.stringify(statPanel({ title: "P", unit: "reqps", description: "rate", targets: [prom(EXPR)] }).build())) as Json;

/** A valid stat panel with this title at this place, changed by `edit`. */
export function panelJson(title: string, gridPos: { x: number; y: number; w: number; h: number }, edit: (p: Json) => void = () => {}): Json {
  const p = structuredClone(PROTO);
  p.title = title;
  p.gridPos = gridPos;
  edit(p);
  return p;
}

/** A row; collapsed rows carry their panels. */
export function rowJson(title: string, y: number, panels: Json[] = [], collapsed = panels.length > 0): Json {
  return { type: "row", title, collapsed, gridPos: { x: 0, y, w: 24, h: 1 }, panels };
}
