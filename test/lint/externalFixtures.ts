// Dashboards as other teams write them (plain JSON, not our presets), for the external mode, the
// dashboard-linter agreement cases, .lint, SARIF and --fix tests.
import { REPO_CONTENT } from "../../scripts/content.js";
import type { ExternalDashboard } from "../../src/lint/external.js";
import { lintExternal } from "../../src/lint/externalLint.js";
import { REPO } from "./fixtures.js";

export type Json = Record<string, unknown>;

export const PROM = { type: "prometheus", uid: "${datasource}" };

export const dsVar = (name: string, type: string): Json => ({ name, label: "Data source", type: "datasource", query: type });

export const queryVar = (name: string, over: Json = {}): Json => ({
  name,
  label: name.charAt(0).toUpperCase() + name.slice(1),
  type: "query",
  datasource: PROM,
  query: name === "instance" ? 'label_values(up{job=~"$job"}, instance)' : `label_values(up, ${name})`,
  multi: true,
  includeAll: true,
  allValue: ".+",
  refresh: 2,
  ...over,
});

export const SEL = 'job=~"$job", instance=~"$instance"';
export const target = (expr: string, over: Json = {}): Json => ({ refId: "A", expr, datasource: PROM, ...over });

let nextId = 1;
export const panel = (title: string, type: string, targets: Json[] | undefined, over: Json = {}): Json => ({
  id: nextId++,
  title,
  type,
  description: `${title}, described.`,
  datasource: PROM,
  gridPos: { h: 8, w: 12, x: 0, y: 0 },
  fieldConfig: { defaults: { unit: "short" }, overrides: [] },
  ...(targets ? { targets: targets.map((t, i) => ({ ...t, refId: String.fromCharCode(65 + i) })) } : {}),
  ...over,
});

/** A dashboard every portable rule passes, with the given panels and variables (default: $datasource, $job, $instance). */
export function dashboard(panels: Json[], over: Json = {}): Json {
  return {
    uid: "ext-fixture",
    title: "External fixture",
    editable: false,
    schemaVersion: 39,
    templating: { list: [dsVar("datasource", "prometheus"), queryVar("job"), queryVar("instance")] },
    panels,
    ...over,
  };
}

export function external(json: Json, file = "dashboards/ext.json", text = JSON.stringify(json, null, 2)): ExternalDashboard {
  return { file, text, form: "export", pointer: "", json };
}

export function lintJson(json: Json | Json[], only?: string[]) {
  const list = Array.isArray(json) ? json : [json];
  return lintExternal({ dashboards: list.map((j, i) => external(j, `dashboards/ext-${i}.json`)), repoRoot: REPO, content: REPO_CONTENT, only });
}
