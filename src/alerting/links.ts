// The cross-cutting annotations, added to every alert in one place rather than written per alert:
//
//   runbook_url    <config.alerting.runbookBaseUrl>/<AlertName>.md; docs/runbooks/<AlertName>.md must exist
//   dashboard_url  <Grafana of the alert's job>/d/<uid>/<slug>?viewPanel=<panel id>, resolved against the
//                  dashboards of this very build, so an unknown uid or panel title fails the build;
//                  the Grafana is config.alerting.grafanaUrlByJob[job] or config.alerting.grafanaUrl
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../model/config.js";
import type { Problem } from "../errors.js";
import { allPanels, type BuiltDashboard } from "../pipeline/dashboards.js";
import { dashboardUrl as panelUrl, opsVariables } from "../model/dashboardUrl.js";
import type { DashboardLink, PanelRef } from "./define.js";
import { alertRules, type AlertRule, type RuleGroup } from "./model.js";

export interface LinkContext {
  config: Config;
  dashboards: BuiltDashboard[];
  /** Directory holding <AlertName>.md runbooks. */
  runbooksDir: string;
  /** How the runbooks directory is named in messages, e.g. docs/runbooks. */
  runbooksLabel?: string;
}

export interface ResolvedPanel {
  dashboardUid: string;
  panelId: number;
  /** The link on a Grafana: base URL → full URL. */
  url: (base: string) => string;
}

const trimSlash = (u: string) => u.replace(/\/+$/, "");

/** The Grafana an alert of `job` is looked at in (config.alerting.grafanaUrlByJob, else grafanaUrl). */
export function grafanaBase(config: Config, job?: string): string {
  const byJob = config.alerting.grafanaUrlByJob;
  return trimSlash(job !== undefined && Object.hasOwn(byJob, job) ? byJob[job] : config.alerting.grafanaUrl);
}

/**
 * One URL when every job sees the same Grafana; otherwise a template choosing by the alert's job
 * label, each branch a complete URL (so every branch is a link a checker can read on its own).
 */
function perGrafana(config: Config, url: (base: string) => string): string {
  const jobs = Object.keys(config.alerting.grafanaUrlByJob)
    .sort()
    .filter((job) => grafanaBase(config, job) !== grafanaBase(config));
  const fallback = url(grafanaBase(config));
  if (!jobs.length) return fallback;
  const cases = jobs.map((job, i) => `{{ ${i ? "else if" : "if"} eq $labels.job "${job}" }}${url(grafanaBase(config, job))}`);
  return `${cases.join("")}{{ else }}${fallback}{{ end }}`;
}

/**
 * The panel a link names and its URL (the Ops index's URL function), or why it does not resolve.
 * The alert annotations and the Ops index's alert links (src/pipeline/opsIndex.ts) both use it.
 */
export function resolvePanel(ref: PanelRef, dashboards: BuiltDashboard[]): ResolvedPanel | string {
  const dashboard = dashboards.find((d) => d.json.uid === ref.dashboard);
  if (!dashboard) {
    const known = dashboards.map((d) => d.json.uid).sort();
    return `dashboard_url: no dashboard with uid "${ref.dashboard}" in this build (known: ${known.join(", ") || "none"})`;
  }
  const panels = allPanels(dashboard.json).filter((p) => p.type !== "row" && p.title === ref.panel);
  if (panels.length !== 1) {
    const titles = allPanels(dashboard.json)
      .filter((p) => p.type !== "row")
      .map((p) => `"${p.title}"`);
    return panels.length === 0
      ? `dashboard_url: dashboard "${ref.dashboard}" has no panel titled "${ref.panel}" (panels: ${titles.join(", ")})`
      : `dashboard_url: dashboard "${ref.dashboard}" has ${panels.length} panels titled "${ref.panel}"; the link would be ambiguous`;
  }
  // The panel opens on the alerting job when its queries filter by the dashboard's $job variable.
  const hasJobVariable = (dashboard.json.templating?.list ?? []).some((v) => v.name === "job");
  const targets = ((panels[0] as { targets?: { expr?: unknown }[] }).targets ?? []).map((t) => (typeof t.expr === "string" ? t.expr : ""));
  const usesJob = targets.some((e) => /\$(\{job(:\w+)?\}|job\b)/.test(e));
  const verbatim = hasJobVariable && usesJob ? { job: "{{ $labels.job }}" } : undefined;
  // The same URL function as the Ops UI's index (build/ops/dashboards.json).
  const entry = { uid: ref.dashboard, title: dashboard.json.title ?? "", variables: opsVariables(dashboard.json) };
  return { dashboardUid: ref.dashboard, panelId: panels[0].id!, url: (base) => panelUrl(entry, panels[0].id!, { base, verbatim }) };
}

/** The dashboard_url annotation for a link: one URL, or a template choosing by the job label. */
function dashboardUrl(link: DashboardLink, ctx: LinkContext, resolve: (ref: PanelRef) => ResolvedPanel | string): { url: string; panel?: ResolvedPanel; errors: string[] } {
  if ("byJob" in link) {
    const errors: string[] = [];
    const cases: string[] = [];
    const jobs = Object.keys(link.byJob).sort();
    if (jobs.length === 0) errors.push("dashboard.byJob: names no job");
    for (const job of jobs) {
      if (!(job in ctx.config.prometheus.scrapeJobs)) {
        errors.push(`dashboard.byJob: "${job}" is not a scrape job (config.prometheus.scrapeJobs: ${Object.keys(ctx.config.prometheus.scrapeJobs).sort().join(", ")})`);
      }
      const r = resolve(link.byJob[job]);
      if (typeof r === "string") errors.push(r);
      else cases.push(`{{ ${cases.length ? "else if" : "if"} eq $labels.job "${job}" }}${r.url(grafanaBase(ctx.config, job))}`);
    }
    return { url: cases.length ? `${cases.join("")}{{ end }}` : "", errors };
  }
  const r = resolve(link);
  return typeof r === "string" ? { url: "", errors: [r] } : { url: perGrafana(ctx.config, r.url), panel: r, errors: [] };
}

function checkRunbook(name: string, ctx: LinkContext): string | null {
  const label = ctx.runbooksLabel ?? "docs/runbooks";
  const path = join(ctx.runbooksDir, `${name}.md`);
  if (!existsSync(path)) return `runbook_url: ${label}/${name}.md does not exist; write it (what the alert means, what to check)`;
  if (!readFileSync(path, "utf8").includes(name)) return `runbook_url: ${label}/${name}.md does not mention ${name}; is it the right runbook?`;
  return null;
}

/**
 * Adds runbook_url and dashboard_url to every alert of `groups` (in place) and reports links that do
 * not resolve, naming the alert and its definition file.
 */
export function addLinkAnnotations(groups: RuleGroup[], ctx: LinkContext): Problem[] {
  const problems: Problem[] = [];
  const runbookChecked = new Map<string, string | null>();
  const base = ctx.config.alerting.runbookBaseUrl.replace(/\/+$/, "");
  // Many alerts (and every job of a byJob link) name the same few panels: each is resolved once.
  const resolved = new Map<string, ResolvedPanel | string>();
  const resolve = (ref: PanelRef) => {
    const k = `${ref.dashboard}\0${ref.panel}`;
    let r = resolved.get(k);
    if (r === undefined) resolved.set(k, (r = resolvePanel(ref, ctx.dashboards)));
    return r;
  };
  for (const { group, rule } of alertRules(groups)) {
    const at = { file: group.file, rule: rule.name };
    if (!runbookChecked.has(rule.name)) runbookChecked.set(rule.name, checkRunbook(rule.name, ctx));
    const runbookError = runbookChecked.get(rule.name);
    if (runbookError && !problems.some((p) => p.rule === rule.name && p.code === "missing-runbook")) {
      problems.push({ ...at, code: "missing-runbook", message: runbookError });
    }
    const dash = dashboardUrl(rule.dashboard, ctx, resolve);
    for (const message of dash.errors) {
      if (!problems.some((p) => p.rule === rule.name && p.message === message)) problems.push({ ...at, code: "broken-dashboard-link", message });
    }
    setLinks(rule, `${base}/${rule.name}.md`, dash.url, dash.panel);
  }
  return problems;
}

function setLinks(rule: AlertRule, runbook: string, dashboard: string, panel?: ResolvedPanel): void {
  rule.annotations = { ...rule.annotations, runbook_url: runbook, ...(dashboard ? { dashboard_url: dashboard } : {}) };
  if (panel) rule.panel = { dashboardUid: panel.dashboardUid, panelId: panel.panelId };
}
