// Every alert links to its runbook and to the dashboard panel showing it, and both links resolve:
// runbook_url to a file of this repository (a GitHub blob URL or a path under
// config.alerting.runbookBaseUrl), dashboard_url to a dashboard uid and panel id of this very tree.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { allPanels } from "../../pipeline/dashboards.js";
import { linkedUids } from "../../validate/dashboardLinks.js";
import type { LintContext } from "../context.js";
import { alerts, atRule } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

/** URLs inside a (possibly templated) annotation: {{ if … }}https://…{{ else }}https://…{{ end }}. */
function urlsIn(text: string): string[] {
  return text
    .replace(/\{\{[^}]*\}\}/g, " ")
    .split(/\s+/)
    .filter((s) => /^(https?:\/\/|\/|\.\.?\/)/.test(s));
}

interface AlertingConfig {
  runbookBaseUrl?: string;
  grafanaUrl?: string;
  grafanaUrlByJob?: Record<string, string>;
}

/** The repository file a runbook URL names, or why it cannot be told. */
function runbookPath(url: string, ctx: LintContext): { path?: string; problem?: string } {
  const clean = url.replace(/[#?].*$/, "");
  const base = (ctx.config as { alerting?: AlertingConfig }).alerting?.runbookBaseUrl?.replace(/\/+$/, "");
  const blob = /^https:\/\/github\.com\/[^/]+\/[^/]+\/(?:blob|tree)\/[^/]+\/(.+)$/.exec(clean);
  if (blob) return { path: decodeURIComponent(blob[1]) };
  if (base && clean.startsWith(base + "/")) {
    const baseBlob = /\/(?:blob|tree)\/[^/]+\/(.+)$/.exec(base);
    if (baseBlob) return { path: `${baseBlob[1]}/${clean.slice(base.length + 1)}` };
  }
  if (!/^https?:/.test(clean)) return { path: clean.replace(/^\.?\//, "") };
  return { problem: `runbook_url ${url} is outside this repository and cannot be checked` };
}

export default defineRule({
  id: "alert-links",
  severity: "error",
  purpose: "Every alert has runbook_url and dashboard_url annotations, resolving to a repository file and to a dashboard panel of this tree",
  check(ctx) {
    const out: RuleFinding[] = [];
    const alerting = (ctx.config as { alerting?: AlertingConfig }).alerting;
    const grafanaUrl = alerting?.grafanaUrl?.replace(/\/+$/, "");
    // Per-job Grafanas (one per stack) are this environment's Grafanas too.
    const grafanas = [grafanaUrl, ...Object.values(alerting?.grafanaUrlByJob ?? {}).map((u) => u.replace(/\/+$/, ""))].filter(Boolean) as string[];
    for (const { group, rule } of alerts(ctx)) {
      const at = atRule(group, rule);
      const runbook = rule.annotations.runbook_url;
      if (!runbook?.trim()) {
        out.push({ ...at, message: "alert has no runbook_url annotation", fix: "add runbook_url pointing at docs/runbooks/<AlertName>.md" });
      } else {
        for (const url of urlsIn(runbook).length ? urlsIn(runbook) : [runbook]) {
          const { path, problem } = runbookPath(url, ctx);
          if (problem) out.push({ ...at, message: problem, fix: "keep runbooks in the repository (docs/runbooks/) and link them by their GitHub URL" });
          else if (path && !existsSync(join(ctx.repoRoot, path))) {
            out.push({ ...at, message: `runbook_url ${url} names ${path}, which does not exist`, fix: `write ${path}: what the alert means, what to check, how to mitigate` });
          }
        }
      }
      const dashboard = rule.annotations.dashboard_url;
      if (!dashboard?.trim()) {
        out.push({ ...at, message: "alert has no dashboard_url annotation", fix: "add dashboard_url: <grafana>/d/<uid>?viewPanel=<panel id> of the panel showing the alerting series" });
        continue;
      }
      const urls = urlsIn(dashboard);
      if (!urls.length) out.push({ ...at, message: `dashboard_url "${dashboard}" holds no URL`, fix: "link /d/<uid>?viewPanel=<panel id>" });
      for (const url of urls) {
        const uids = linkedUids(url, { anyHost: true });
        if (!uids.length) {
          out.push({ ...at, message: `dashboard_url ${url} does not link a dashboard (/d/<uid>)`, fix: "link /d/<uid>?viewPanel=<panel id>" });
          continue;
        }
        if (grafanaUrl && /^https?:/.test(url) && !grafanas.some((g) => url.startsWith(g + "/"))) {
          out.push({ ...at, message: `dashboard_url ${url} is not on this environment's Grafana (${grafanaUrl})`, fix: "build the URL from config.alerting.grafanaUrl" });
        }
        for (const uid of uids) {
          const d = ctx.dashboards.find((x) => x.uid === uid);
          if (!d) {
            out.push({ ...at, message: `dashboard_url links /d/${uid}, which this tree does not provision (uids: ${ctx.dashboards.map((x) => x.uid).sort().join(", ") || "none"})`, fix: "link a dashboard of this build" });
            continue;
          }
          const panel = /[?&]viewPanel=([^&#]+)/.exec(url)?.[1];
          if (panel !== undefined && !allPanels(d.json).some((p) => String(p.id) === panel || `panel-${p.id}` === panel)) {
            out.push({ ...at, message: `dashboard_url asks for viewPanel=${panel}, which dashboard "${uid}" does not have`, fix: "link an existing panel id (ids are assigned at build time: resolve them from the built dashboard)" });
          }
        }
      }
    }
    return out;
  },
});
