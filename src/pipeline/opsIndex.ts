// build/ops/dashboards.json: every dashboard, its variables and panels with their deep links, and
// every alert with the panel it links to, so the Ops UI's backend builds links from a file instead
// of asking Grafana or the metric stores (shape: src/model/opsIndex.ts, schemas/ops-dashboards.schema.json).
import type { Panel } from "@grafana/grafana-foundation-sdk/dashboard";
import type { Config } from "../model/config.js";
import type { DashboardLink, PanelRef } from "../alerting/define.js";
import { resolvePanel } from "../alerting/links.js";
import { alertRules, type RuleGroup } from "../alerting/model.js";
import { dashboardPath, dashboardUrl, opsVariables } from "../model/dashboardUrl.js";
import type { OpsAlert, OpsAlertLink, OpsDashboard, OpsIndex } from "../model/opsIndex.js";
import { allPanels, type BuiltDashboard } from "./dashboards.js";

export const OPS_INDEX_PATH = "ops/dashboards.json";

const str = (v: unknown) => (typeof v === "string" ? v : "");

export function opsDashboard(built: BuiltDashboard, folder: { uid: string; title: string }): OpsDashboard {
  const d = built.json;
  const entry = { uid: d.uid!, title: d.title ?? "", variables: opsVariables(d) };
  const panels = allPanels(d)
    .filter((p): p is Panel => p.type !== "row")
    .map((p) => ({
      id: p.id!,
      title: p.title ?? "",
      kind: p.type,
      description: str(p.description),
      path: dashboardUrl(entry, p.id!),
      soloPath: dashboardUrl(entry, p.id!, { solo: true }),
    }))
    .sort((a, b) => a.id - b.id);
  return { ...entry, folder, tags: [...(d.tags ?? [])], path: dashboardPath(entry.uid, entry.title), panels };
}

/** The panels an alert links to, resolved as its annotations are (the build has checked that each resolves). */
function alertLinks(link: DashboardLink, dashboards: BuiltDashboard[]): OpsAlertLink[] {
  const refs: [string | undefined, PanelRef][] = "byJob" in link ? Object.keys(link.byJob).sort().map((job) => [job, link.byJob[job]]) : [[undefined, link]];
  return refs.flatMap(([job, ref]) => {
    const p = resolvePanel(ref, dashboards);
    return typeof p === "string" ? [] : [{ ...(job !== undefined ? { job } : {}), dashboardUid: p.dashboardUid, panelId: p.panelId }];
  });
}

export function opsIndex(dashboards: BuiltDashboard[], groups: RuleGroup[], config: Config): OpsIndex {
  const folders = new Map(Object.values(config.folders).map((f) => [f.uid, { uid: f.uid, title: f.title }]));
  const alerts = new Map<string, OpsAlert>();
  for (const { group, rule } of alertRules(groups)) {
    const key = `${rule.name}\u0000${rule.labels.severity}`;
    if (!alerts.has(key)) alerts.set(key, { name: rule.name, severity: rule.labels.severity, group: group.name, links: alertLinks(rule.dashboard, dashboards) });
  }
  return {
    generator: "grafana-as-code",
    env: config.env,
    dashboards: dashboards.map((b) => opsDashboard(b, folders.get(b.folderUid) ?? { uid: b.folderUid, title: b.folderUid })).sort((a, b) => a.uid.localeCompare(b.uid)),
    alerts: [...alerts.values()].sort((a, b) => a.name.localeCompare(b.name) || a.severity.localeCompare(b.severity)),
  };
}
