// Contact points: created or updated by receiver uid, before the rule groups and the policy that
// name them. Never pruned (no field can carry the ownership marker).
import { toHttpError } from "../http.js";
import { compare, normContactPoint, REDACTED } from "../normalize.js";
import type { Obj, Plan, Planner, Task } from "../plan.js";
import { enc } from "../plan.js";
import { RESPONSES as R } from "../responses.js";
import type { DesiredContactPoint, ItemResult } from "../types.js";

export const CONTACT_POINTS = "contact-points";

export const contactPoints: Planner = {
  kind: "contact-points",
  phases: { [CONTACT_POINTS]: 50 },
  listings: (o) => (o.desired.contactPoints.length ? ["contactPoints"] : []),
  async plan(p) {
    const byUid = new Map(p.listing("contactPoints").map((c) => [String(c.uid), c]));
    for (const c of p.desired.contactPoints) {
      const live = byUid.get(c.uid);
      const item: ItemResult = { kind: "contact-points", id: c.uid, title: c.name, status: "planned" };
      if (!live) {
        item.op = "create";
        p.add(CONTACT_POINTS, item, () => createContactPoint(p, c));
        continue;
      }
      const changes = compare(normContactPoint(c as DesiredContactPoint & Obj, live.settings as Obj), normContactPoint(live));
      const redacted = Object.values((live.settings as Obj) ?? {}).includes(REDACTED);
      if (changes.length === 0 && p.o.rewriteSecrets && redacted) changes.push("settings (--rewrite-secrets)");
      p.compared(CONTACT_POINTS, item, changes, () => updateContactPoint(p, c));
    }
  },
};

/** The writes of contact points, which whatever routes to them waits for. */
export function contactPointDeps(p: Plan): Task[] {
  return p.tasks(CONTACT_POINTS).filter((t) => t.run);
}

async function updateContactPoint(p: Plan, c: DesiredContactPoint): Promise<void> {
  await p.client.json("PUT", `/api/v1/provisioning/contact-points/${enc(c.uid)}`, R.ack, { body: c, headers: p.provenanceHeaders });
}

async function createContactPoint(p: Plan, c: DesiredContactPoint): Promise<void> {
  const res = await p.client.request("POST", "/api/v1/provisioning/contact-points", { body: c, headers: p.provenanceHeaders, schema: R.contactPointSaved });
  if (res.status >= 200 && res.status < 300) return;
  if (res.status === 400 || res.status === 409) {
    // A retried create whose first attempt landed: update it in place instead.
    const list = await p.client.json<Obj[]>("GET", "/api/v1/provisioning/contact-points", R.contactPointList);
    if ((list.body ?? []).some((x) => x.uid === c.uid)) return updateContactPoint(p, c);
  }
  throw toHttpError("POST", "/api/v1/provisioning/contact-points", res);
}
