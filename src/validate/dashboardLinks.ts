// Every link to another dashboard (/d/<uid>) must point at a dashboard this build provisions:
// dashboard links, panel links and data links (field config and overrides). A dangling link opens
// Grafana's "Dashboard not found" in the middle of an incident.
import type { Problem } from "../errors.js";
import { allPanels, type BuiltDashboard } from "../pipeline/dashboards.js";

const DASHBOARD_URL = /(?:^|[^\w/])\/d\/([a-zA-Z0-9_-]+)(?=[/?#"]|$)/g;

/** The uids a URL links to via /d/<uid>. */
export function linkedUids(url: string): string[] {
  return [...url.matchAll(DASHBOARD_URL)].map((m) => m[1]);
}

interface LinkLike {
  url?: string;
  title?: string;
}

type FieldConfigLike = {
  defaults?: { links?: LinkLike[] };
  overrides?: { properties?: { id?: string; value?: unknown }[] }[];
};

function fieldConfigLinks(fc: FieldConfigLike | undefined): LinkLike[] {
  const links = [...(fc?.defaults?.links ?? [])];
  for (const o of fc?.overrides ?? []) {
    for (const p of o.properties ?? []) if (p.id === "links" && Array.isArray(p.value)) links.push(...(p.value as LinkLike[]));
  }
  return links;
}

export function checkDashboardLinks(dashboards: BuiltDashboard[]): Problem[] {
  const uids = new Set(dashboards.map((d) => d.json.uid));
  const problems: Problem[] = [];
  for (const { definition, json } of dashboards) {
    const at = { file: definition.file, dashboardUid: json.uid };
    const check = (links: LinkLike[] | undefined, where: Omit<Problem, "code" | "message">, kind: string) => {
      for (const link of links ?? []) {
        for (const uid of linkedUids(link.url ?? "")) {
          if (uids.has(uid)) continue;
          problems.push({
            ...where,
            code: "dangling-dashboard-link",
            message: `${kind} "${link.title ?? link.url}" points at /d/${uid}, which no dashboard of this build has (uids: ${[...uids].sort().join(", ")})`,
          });
        }
      }
    };
    check(json.links as LinkLike[] | undefined, at, "dashboard link");
    for (const p of allPanels(json)) {
      const where = { ...at, panelTitle: p.title };
      check((p as { links?: LinkLike[] }).links, where, "panel link");
      check(fieldConfigLinks((p as { fieldConfig?: FieldConfigLike }).fieldConfig), where, "data link");
    }
  }
  return problems;
}
