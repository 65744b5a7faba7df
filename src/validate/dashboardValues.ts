// The emitted-value walk (emittedValues.ts) over each dashboard, one panel at a time, so a problem
// names the panel and the field inside it: `panel "Latency": fieldConfig.defaults.max is Infinity`.
import type { Problem } from "../errors.js";
import type { BuiltDashboard } from "../pipeline/dashboards.js";
import { formatPath, valueIssues } from "./emittedValues.js";

// A dashboard's (or row's) panel list is walked panel by panel below; anything else under "panels" is walked here.
const isPanels = (segments: readonly (string | number)[], value: unknown) => segments.length === 1 && segments[0] === "panels" && Array.isArray(value);

function panelTitle(p: unknown, fallback: string): string {
  const t = (p as { title?: unknown } | null)?.title;
  return typeof t === "string" && t.trim() ? t : fallback;
}

// Dashboards whose maker checked every value as it made them (the build's copy out of the SDK,
// src/pipeline/dashboards.ts) and found nothing this walk would report; never changed afterwards.
const CLEAN = new WeakSet<object>();

/** Declares that walking `json` here would find nothing, and that nothing will change it. */
export function markValuesClean(json: object): void {
  CLEAN.add(json);
}

export function checkDashboardValues(dashboards: BuiltDashboard[]): Problem[] {
  const problems: Problem[] = [];
  for (const { definition, json } of dashboards) {
    if (CLEAN.has(json)) continue;
    const at = { file: definition.file, dashboardUid: json.uid };
    // Nested panels are walked whole: a row inside a row is rejected by the grid check, not skipped here.
    const report = (value: unknown, where: typeof at & { panelTitle?: string }, skipPanels: boolean) => {
      for (const i of valueIssues(value, skipPanels ? isPanels : undefined)) {
        problems.push({ ...where, code: "bad-value", message: `${formatPath(i.segments)} ${i.message}` });
      }
    };
    report(json, at, true);
    const panels: unknown = (json as { panels?: unknown }).panels;
    if (!Array.isArray(panels)) continue;
    panels.forEach((p, i) => {
      report(p, { ...at, panelTitle: panelTitle(p, `panels[${i}]`) }, true);
      const nested: unknown = (p as { panels?: unknown } | null)?.panels;
      if (!Array.isArray(nested)) return;
      const row = panelTitle(p, `panels[${i}]`);
      nested.forEach((n, j) => report(n, { ...at, panelTitle: panelTitle(n, `row "${row}" panels[${j}]`) }, false));
    });
  }
  return problems;
}
