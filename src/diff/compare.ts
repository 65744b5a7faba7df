// The comparison engine: two built trees in, one report out.
import { compareDashboards } from "./dashboards.js";
import { compareDatasources } from "./datasources.js";
import { loadTree, type Tree } from "./load.js";
import type { Counts, DiffReport, Side } from "./model.js";
import { compareRules } from "./rules.js";
import { compareSections } from "./sections.js";
import { onlyNumbersChanged } from "./text.js";

export function emptyCounts(): Counts {
  return {
    dashboardsAdded: 0, dashboardsRemoved: 0, dashboardsChanged: 0,
    panelsAdded: 0, panelsRemoved: 0, panelsChanged: 0, panelsMoved: 0,
    rowsAdded: 0, rowsRemoved: 0, rowsChanged: 0,
    queriesAdded: 0, queriesRemoved: 0, queriesChanged: 0,
    variablesAdded: 0, variablesRemoved: 0, variablesChanged: 0,
    linksChanged: 0,
    alertsAdded: 0, alertsRemoved: 0, alertsChanged: 0, alertThresholdsChanged: 0, alertSeveritiesChanged: 0,
    recordingRulesAdded: 0, recordingRulesRemoved: 0, recordingRulesChanged: 0, ruleGroupsChanged: 0,
    datasourcesAdded: 0, datasourcesRemoved: 0, datasourcesChanged: 0,
    foldersAdded: 0, foldersRemoved: 0, foldersChanged: 0, scrapeJobsChanged: 0, receiversChanged: 0, contactPointsChanged: 0, otherChanges: 0,
  };
}

export function count(r: Omit<DiffReport, "counts" | "headline" | "changed">): Counts {
  const c = emptyCounts();
  for (const d of r.dashboards) {
    if (d.status === "added") c.dashboardsAdded++;
    else if (d.status === "removed") c.dashboardsRemoved++;
    else c.dashboardsChanged++;
    for (const p of d.panels) {
      if (p.kind === "row") {
        if (p.status === "added") c.rowsAdded++;
        else if (p.status === "removed") c.rowsRemoved++;
        else c.rowsChanged++;
        continue;
      }
      if (p.status === "added") c.panelsAdded++;
      else if (p.status === "removed") c.panelsRemoved++;
      else {
        if (p.fields.length || p.queries.length) c.panelsChanged++;
        if (p.moved || p.resized) c.panelsMoved++;
        for (const q of p.queries) {
          if (q.status === "added") c.queriesAdded++;
          else if (q.status === "removed") c.queriesRemoved++;
          else c.queriesChanged++;
        }
      }
    }
    for (const v of d.variables) {
      if (v.status === "added") c.variablesAdded++;
      else if (v.status === "removed") c.variablesRemoved++;
      else c.variablesChanged++;
    }
    c.linksChanged += d.links.length;
    c.otherChanges += d.annotations.length;
  }
  for (const a of r.alerts) {
    if (a.kind === "record") {
      if (a.status === "added") c.recordingRulesAdded++;
      else if (a.status === "removed") c.recordingRulesRemoved++;
      else c.recordingRulesChanged++;
      continue;
    }
    if (a.status === "added") c.alertsAdded++;
    else if (a.status === "removed") c.alertsRemoved++;
    else {
      if (a.threshold) c.alertThresholdsChanged++;
      if (a.severity) c.alertSeveritiesChanged++;
      const other =
        (a.expr.before !== a.expr.after && !a.threshold) ||
        !!a.for ||
        a.labels.some((l) => l.path !== "severity") ||
        // Annotations that only restate the new threshold ("alert above 90%" → "80%") are part of it.
        a.annotations.some(
          (n) => !(a.threshold && typeof n.before === "string" && typeof n.after === "string" && onlyNumbersChanged(n.before, n.after)),
        ) ||
        a.fields.length > 0 ||
        (!!a.queries?.length && !a.threshold);
      if (other) c.alertsChanged++;
    }
  }
  c.ruleGroupsChanged = r.ruleGroups.filter((g) => g.status === "changed").length;
  for (const d of r.datasources) {
    if (d.status === "added") c.datasourcesAdded++;
    else if (d.status === "removed") c.datasourcesRemoved++;
    else c.datasourcesChanged++;
  }
  for (const s of r.sections) {
    const n = s.items.length + s.settings.length;
    if (s.section === "Folders") {
      for (const f of s.items) {
        if (f.status === "added") c.foldersAdded++;
        else if (f.status === "removed") c.foldersRemoved++;
        else c.foldersChanged++;
      }
      c.foldersChanged += s.settings.length;
    }
    else if (s.section === "Prometheus") {
      c.scrapeJobsChanged += s.items.length;
      c.otherChanges += s.settings.length;
    } else if (s.section === "Alertmanager" || s.section === "Grafana alerting") {
      for (const item of s.items) {
        if (item.list === "receivers") c.receiversChanged++;
        else if (item.list === "contactPoints") c.contactPointsChanged++;
        else c.otherChanges++;
      }
      c.otherChanges += s.settings.length;
    } else c.otherChanges += n;
  }
  c.otherChanges += r.files.length;
  return c;
}

const PHRASES: [keyof Counts, string, string][] = [
  ["dashboardsAdded", "dashboard", "added"],
  ["dashboardsRemoved", "dashboard", "removed"],
  ["dashboardsChanged", "dashboard", "changed"],
  ["panelsAdded", "panel", "added"],
  ["panelsRemoved", "panel", "removed"],
  ["panelsChanged", "panel", "changed"],
  ["panelsMoved", "panel", "moved or resized"],
  ["rowsAdded", "row", "added"],
  ["rowsRemoved", "row", "removed"],
  ["rowsChanged", "row", "changed"],
  ["queriesAdded", "query", "added"],
  ["queriesRemoved", "query", "removed"],
  ["queriesChanged", "query", "changed"],
  ["variablesAdded", "variable", "added"],
  ["variablesRemoved", "variable", "removed"],
  ["variablesChanged", "variable", "changed"],
  ["linksChanged", "dashboard link", "changed"],
  ["alertsAdded", "alert", "added"],
  ["alertsRemoved", "alert", "removed"],
  ["alertsChanged", "alert", "changed"],
  ["alertThresholdsChanged", "alert threshold", "changed"],
  ["alertSeveritiesChanged", "alert severity", "changed"],
  ["recordingRulesAdded", "recording rule", "added"],
  ["recordingRulesRemoved", "recording rule", "removed"],
  ["recordingRulesChanged", "recording rule", "changed"],
  ["ruleGroupsChanged", "rule group", "changed"],
  ["datasourcesAdded", "datasource", "added"],
  ["datasourcesRemoved", "datasource", "removed"],
  ["datasourcesChanged", "datasource", "changed"],
  ["foldersAdded", "folder", "added"],
  ["foldersRemoved", "folder", "removed"],
  ["foldersChanged", "folder", "changed"],
  ["scrapeJobsChanged", "scrape job", "changed"],
  ["receiversChanged", "Alertmanager receiver", "changed"],
  ["contactPointsChanged", "contact point", "changed"],
  ["otherChanges", "other change", ""],
];

const plural = (n: number, noun: string) =>
  n === 1 ? noun : noun.endsWith("y") && !/[aeiou]y$/.test(noun) ? `${noun.slice(0, -1)}ies` : noun === "alert severity" ? "alert severities" : `${noun}s`;

export function headline(c: Counts): string {
  const parts = PHRASES.filter(([k]) => c[k] > 0).map(([k, noun, verb]) => `${c[k]} ${plural(c[k], noun)}${verb ? ` ${verb}` : ""}`);
  return parts.length ? parts.join(", ") : "No changes";
}

export function compareTrees(base: Tree | string, head: Tree | string, sides?: { base?: Partial<Side>; head?: Partial<Side> }): DiffReport {
  const a = typeof base === "string" ? loadTree(base) : base;
  const b = typeof head === "string" ? loadTree(head) : head;
  const { rules, groups } = compareRules(a, b);
  const { sections, files } = compareSections(a, b);
  const body = {
    version: 1 as const,
    base: { label: "base", dir: a.root, ...sides?.base },
    head: { label: "head", dir: b.root, ...sides?.head },
    dashboards: compareDashboards(a, b),
    datasources: compareDatasources(a, b),
    alerts: rules,
    ruleGroups: groups,
    sections,
    files,
    warnings: [...a.warnings.map((w) => `base: ${w}`), ...b.warnings.map((w) => `head: ${w}`)],
  };
  const counts = count(body);
  const changed =
    body.dashboards.length + body.datasources.length + body.alerts.length + body.ruleGroups.length + body.sections.length + body.files.length > 0;
  return { ...body, changed, counts, headline: changed ? headline(counts) : "No changes" };
}
