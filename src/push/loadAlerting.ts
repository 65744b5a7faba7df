// Grafana-managed alerting files (grafana/provisioning/alerting/*.yaml) → rule groups, contact
// points and the notification policy in the provisioning API's shapes.
import { folderUidForTitle } from "../alerting/grafana.js";
import type { ReadDoc } from "./load.js";
import { stampAnnotations } from "./ownership.js";
import { alertingFileSchema, type ContactPointDoc, type RuleGroupDoc } from "./treeSchemas.js";
import type { ApiAlertRule, BuildFile, DesiredContactPoint, DesiredFolder, DesiredRuleGroup } from "./types.js";

type Obj = Record<string, unknown>;
const PUSHED = ["apiVersion", "groups", "contactPoints", "policies"];

interface Sink {
  problems: string[];
  warnings: string[];
  noteOrg: (v: unknown) => void;
}

export function alertingFromDocs(
  files: BuildFile[],
  read: ReadDoc,
  folders: Map<string, DesiredFolder>,
  sink: Sink,
): { ruleGroups: DesiredRuleGroup[]; contactPoints: DesiredContactPoint[]; policy?: Obj } {
  const { problems, warnings, noteOrg } = sink;
  const ruleGroups: DesiredRuleGroup[] = [];
  const contactPoints: DesiredContactPoint[] = [];
  const policies: Obj[] = [];
  for (const f of files) {
    const doc = read(f, alertingFileSchema);
    if (!doc) continue;
    for (const key of Object.keys(doc.raw as Obj)) {
      if (!PUSHED.includes(key)) warnings.push(`${f.path}: "${key}" is not pushed (only groups, contactPoints and policies are)`);
    }
    (doc.data.groups ?? []).forEach((g, i) => {
      noteOrg(g.orgId);
      if (ruleGroups.some((x) => x.folderUid === g.folder && x.title === g.name)) {
        return problems.push(`${f.path} groups[${i}].name: rule group "${g.name}" in folder ${g.folder} is defined twice`);
      }
      ruleGroups.push(toRuleGroup(g, f.path));
    });
    (doc.data.contactPoints ?? []).forEach((cp, i) => {
      noteOrg(cp.orgId);
      for (const [j, point] of toContactPoints(cp).entries()) {
        if (contactPoints.some((x) => x.uid === point.uid)) {
          problems.push(`${f.path} contactPoints[${i}].receivers[${j}].uid: duplicate receiver uid ${point.uid}`);
        } else contactPoints.push(point);
      }
    });
    for (const p of (doc.raw as { policies?: Obj[] }).policies ?? []) {
      noteOrg(p.orgId);
      const { orgId: _o, ...tree } = p;
      policies.push(tree);
    }
  }
  if (policies.length > 1) problems.push(`alerting: ${policies.length} notification policy trees; one organisation has exactly one`);

  // A rule group's folder is a title: the declared folder of that title, else the folder the
  // alerting build names by a uid derived from the title (created here like any other folder).
  for (const g of ruleGroups) {
    const title = g.folderUid;
    const declared = [...folders.values()].find((f) => f.title === title);
    if (declared) g.folderUid = declared.uid;
    else {
      g.folderUid = folderUidForTitle(title);
      if (!folders.has(g.folderUid)) folders.set(g.folderUid, { uid: g.folderUid, title });
    }
    for (const r of g.rules) r.folderUID = g.folderUid;
  }
  return { ruleGroups, contactPoints, ...(policies.length ? { policy: policies[0] } : {}) };
}

function toContactPoints(cp: ContactPointDoc): DesiredContactPoint[] {
  return (cp.receivers ?? []).map((r) => ({
    uid: r.uid,
    name: cp.name,
    type: r.type,
    settings: r.settings ?? {},
    disableResolveMessage: r.disableResolveMessage,
  }));
}

/** The group with its folder still a title (resolved once every file is read). */
function toRuleGroup(g: RuleGroupDoc, file: string): DesiredRuleGroup {
  const rules = (g.rules ?? []).map((r): ApiAlertRule => {
    const annotations: Record<string, string> = { ...(r.annotations ?? {}) };
    const dashboardUid = r.dashboardUid ?? r.dasboardUid;
    if (dashboardUid) annotations.__dashboardUid__ = dashboardUid;
    if (r.panelId) annotations.__panelId__ = r.panelId;
    const rule: ApiAlertRule = {
      uid: r.uid,
      title: r.title,
      folderUID: g.folder,
      ruleGroup: g.name,
      condition: r.condition ?? "",
      data: r.data.map((q) => {
        const out: ApiAlertRule["data"][number] = {
          refId: q.refId,
          relativeTimeRange: { from: q.relativeTimeRange?.from ?? 0, to: q.relativeTimeRange?.to ?? 0 },
          datasourceUid: q.datasourceUid,
          model: q.model ?? {},
        };
        if (q.queryType) out.queryType = q.queryType;
        return out;
      }),
      // Grafana's file-provisioning defaults, made explicit so the API stores the same thing.
      noDataState: r.noDataState?.trim() || "NoData",
      execErrState: r.execErrState?.trim() || "Alerting",
      for: r.for,
      annotations: stampAnnotations(annotations),
      labels: r.labels ?? {},
      isPaused: r.isPaused,
    };
    if (r.keepFiringFor) rule.keep_firing_for = r.keepFiringFor;
    if (r.notification_settings) rule.notification_settings = r.notification_settings;
    if (r.record) rule.record = r.record;
    return rule;
  });
  return { title: g.name, folderUid: g.folder, interval: g.interval, rules, file };
}
