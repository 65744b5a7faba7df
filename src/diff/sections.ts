// Everything else in the tree: dashboard folders (providers), the Prometheus configuration, the
// Alertmanager configuration, Grafana alerting resources other than rules, datasource file
// settings, and files no loader understands.
import { fieldChange } from "./dashboards.js";
import type { Tree } from "./load.js";
import type { FieldChange, FileChange, NamedChange, SectionChange } from "./model.js";
import { deepDiff, isSecretPath, pathSegments, type Json, type ValueChange } from "./values.js";

/** Receivers' and contact points' URLs often carry a token (Slack, Teams, webhooks): never shown. */
export function isAlertingSecret(path: string): boolean {
  if (isSecretPath(path)) return true;
  const segs = pathSegments(path);
  const inReceiver = segs.some((s) => /receivers|contactPoints|_configs$/.test(s));
  return inReceiver && segs.some((s) => /(^|_)url$/i.test(s));
}

/**
 * Splits changes under list items (`list[key=value]...`) into named items; everything else is a
 * setting. `lists` are the top-level paths whose items are reported by name.
 */
function split(changes: ValueChange[], lists: string[]): { items: NamedChange[]; settings: ValueChange[] } {
  const items = new Map<string, NamedChange>();
  const settings: ValueChange[] = [];
  for (const c of changes) {
    const list = lists.find((l) => c.path.startsWith(`${l}[`));
    const m = list ? new RegExp(`^${list.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\[[^=\\]]+=([^\\]]*)\\](.*)$`).exec(c.path) : null;
    if (!list || !m) {
      settings.push(c);
      continue;
    }
    const name = m[1];
    const rest = m[2].replace(/^\./, "");
    const key = `${list}\u0000${name}`;
    if (!rest) {
      items.set(key, {
        name,
        list,
        status: c.before === undefined ? "added" : c.after === undefined ? "removed" : "changed",
        fields: c.before !== undefined && c.after !== undefined ? [fieldChange(c, "")] : [],
        ...(c.before === undefined ? { value: c.after as Json } : c.after === undefined ? { value: c.before as Json } : {}),
      });
      continue;
    }
    const item = items.get(key) ?? { name, list, status: "changed" as const, fields: [] as FieldChange[] };
    item.fields.push(fieldChange({ ...c, path: rest }, rest));
    items.set(key, item);
  }
  return { items: [...items.values()], settings };
}

export function compareSections(base: Tree, head: Tree): { sections: SectionChange[]; files: FileChange[] } {
  const sections: SectionChange[] = [];
  const push = (s: SectionChange) => {
    if (s.items.length || s.settings.length) sections.push(s);
  };

  // Folders: one provider per folder.
  const folders = deepDiff(
    { folders: [...base.folders.entries()].map(([uid, p]) => ({ ...p, uid })) },
    { folders: [...head.folders.entries()].map(([uid, p]) => ({ ...p, uid })) },
  );
  push({ section: "Folders", ...split(folders, ["folders"]) });

  push({ section: "Datasource files", items: [], settings: deepDiff(base.datasourceSettings, head.datasourceSettings) });

  // A configuration file that appears or disappears is compared with an empty one, item by item.
  if (base.prometheus || head.prometheus) {
    const changes = deepDiff(base.prometheus ?? {}, head.prometheus ?? {}, "", { descendMissing: true });
    push({ section: "Prometheus", ...split(changes, ["scrape_configs"]) });
  }
  if (base.alertmanager || head.alertmanager) {
    const changes = deepDiff(base.alertmanager ?? {}, head.alertmanager ?? {}, "", { secret: isAlertingSecret, descendMissing: true });
    push({ section: "Alertmanager", ...split(changes, ["receivers", "inhibit_rules", "time_intervals"]) });
  }
  const alerting = deepDiff(base.grafanaAlerting, head.grafanaAlerting, "", { secret: isAlertingSecret });
  push({ section: "Grafana alerting", ...split(alerting, ["contactPoints", "policies", "templates", "muteTimes", "deleteRules", "deleteContactPoints"]) });

  const files: FileChange[] = [];
  for (const path of [...new Set([...base.other.keys(), ...head.other.keys()])].sort()) {
    const a = base.other.get(path);
    const b = head.other.get(path);
    if (a === undefined) files.push({ path, status: "added" });
    else if (b === undefined) files.push({ path, status: "removed" });
    else if (a.replace(/\s+$/, "") !== b.replace(/\s+$/, "")) files.push({ path, status: "changed" });
  }
  return { sections, files };
}
