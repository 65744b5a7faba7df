// Grafana-managed alert rule groups: a group PUT replaces the whole group, so rules of the live
// group that the build does not have are sent back unchanged (or, with --prune, dropped when
// stamped). --prune deletes the stamped rules of groups the build no longer has.
import { compare, normRuleGroup } from "../normalize.js";
import { isOwnedRule } from "../ownership.js";
import { enc, errMessage, isFatal, type Obj, type Plan, type Planner } from "../plan.js";
import { RESPONSES as R } from "../responses.js";
import type { ApiAlertRule, DesiredRuleGroup, ItemResult } from "../types.js";
import { contactPointDeps } from "./contactPoints.js";
import { folderDeps } from "./folders.js";

export const RULE_GROUPS = "rule-groups";
export const RULE_GROUPS_DELETE = "rule-groups-delete";

type Annotated = { annotations?: Record<string, string> };

export const ruleGroups: Planner = {
  kind: "rule-groups",
  phases: { [RULE_GROUPS]: 60, [RULE_GROUPS_DELETE]: 70 },
  listings: (o) => (o.prune ? ["alertRules"] : []),
  reads: (o) => o.desired.ruleGroups.length,
  async plan(p) {
    const wantRule = new Set(p.desired.ruleGroups.flatMap((g) => g.rules.map((r) => r.uid)));
    await Promise.all(
      p.desired.ruleGroups.map(async (g) => {
        const path = `/api/v1/provisioning/folder/${enc(g.folderUid)}/rule-groups/${enc(g.title)}`;
        try {
          const live = await p.client.json<Obj>("GET", path, R.ruleGroup, { allow: [404] });
          planRuleGroup(p, g, path, live.body, wantRule);
        } catch (e) {
          p.failedRead(RULE_GROUPS, "rule-groups", `${g.folderUid}/${g.title}`, g.title, e);
        }
        p.readProgress();
      }),
    );
    if (p.o.prune) planStaleGroups(p, wantRule);
  },
};

function planStaleGroups(p: Plan, wantRule: Set<string>): void {
  const wantGroup = new Set(p.desired.ruleGroups.map((g) => `${g.folderUid}\u0000${g.title}`));
  const stale = new Map<string, Obj[]>();
  for (const r of p.listing("alertRules")) {
    const key = `${String(r.folderUID)}\u0000${String(r.ruleGroup)}`;
    if (wantGroup.has(key) || wantRule.has(String(r.uid))) continue;
    if (!stale.has(key)) stale.set(key, []);
    stale.get(key)!.push(r);
  }
  for (const [key, rules] of stale) {
    const owned = rules.filter((r) => isOwnedRule(r as Annotated));
    if (owned.length === 0) continue;
    const [folderUid, group] = key.split("\u0000");
    const kept = rules.length - owned.length;
    const item: ItemResult = {
      kind: "rule-groups",
      id: `${folderUid}/${group}`,
      title: group,
      op: "delete",
      status: "planned",
      note: `${owned.length} stamped rule${owned.length > 1 ? "s" : ""} deleted${kept ? `, ${kept} unstamped kept` : ""}`,
    };
    p.add(RULE_GROUPS_DELETE, item, async () => {
      const errors: string[] = [];
      await Promise.all(
        owned.map(async (r) => {
          try {
            await p.client.json("DELETE", `/api/v1/provisioning/alert-rules/${enc(String(r.uid))}`, R.empty, {
              allow: [404],
              headers: p.provenanceHeaders,
            });
          } catch (e) {
            if (isFatal(e)) throw e;
            errors.push(errMessage(e));
          }
        }),
      );
      if (errors.length) throw new Error(errors.join("; "));
    });
  }
}

function planRuleGroup(p: Plan, g: DesiredRuleGroup, path: string, live: Obj | undefined, wantRule: Set<string>): void {
  const id = `${g.folderUid}/${g.title}`;
  const item: ItemResult = { kind: "rule-groups", id, title: g.title, status: "planned" };
  const liveRulesInGroup = ((live?.rules as Obj[]) ?? []).filter((r) => !g.rules.some((d) => d.uid === r.uid));
  // A group PUT replaces the whole group: keep the rules we must not remove.
  const keep: Obj[] = [];
  let dropped = 0;
  for (const r of liveRulesInGroup) {
    // Moving to another group of the build: that group's PUT takes it.
    if (wantRule.has(String(r.uid))) continue;
    if (p.o.prune && isOwnedRule(r as Annotated)) dropped++;
    else keep.push(stripRule(r));
  }
  const body = {
    title: g.title,
    folderUid: g.folderUid,
    interval: g.interval,
    rules: [...g.rules, ...(keep as unknown as ApiAlertRule[])],
  };
  const routed = g.rules.some((r) => r.notification_settings);
  const deps = [...folderDeps(p, g.folderUid), ...(routed ? contactPointDeps(p) : [])];
  const run = async () => {
    await p.client.json("PUT", path, R.ruleGroup, { body, headers: p.provenanceHeaders });
  };
  if (keep.length) item.note = `${keep.length} rule${keep.length > 1 ? "s" : ""} not in the build kept`;
  if (dropped) item.note = [item.note, `${dropped} stamped rule${dropped > 1 ? "s" : ""} removed`].filter(Boolean).join("; ");
  if (!live) {
    item.op = "create";
    p.add(RULE_GROUPS, item, run, deps);
    return;
  }
  const changes = compare(normRuleGroup(body), normRuleGroup(live));
  p.compared(RULE_GROUPS, item, changes, run, deps);
}

/** A live rule as it can be sent back in a group PUT. */
function stripRule(r: Obj): Obj {
  const { id: _id, updated: _u, provenance: _p, orgID: _o, ...rest } = r;
  return rest;
}
