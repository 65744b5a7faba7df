// Grafana's unit ids live in src/model/grafanaUnits.ts (presets and lint share them); kept here for
// content that still imports this path (dashboards/_shared/promql.ts).
export * from "../model/grafanaUnits.js";
