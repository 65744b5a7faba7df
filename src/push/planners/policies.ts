// The notification policy tree: one per organisation, replaced as a whole when it differs.
import { compare, normPolicy } from "../normalize.js";
import type { Obj, Planner } from "../plan.js";
import { RESPONSES as R } from "../responses.js";
import type { ItemResult } from "../types.js";
import { contactPointDeps } from "./contactPoints.js";

const POLICY = "policies";

export const policies: Planner = {
  kind: "policies",
  phases: { [POLICY]: 80 },
  enabled: (o) => !!o.desired.policy,
  async plan(p) {
    const desired = p.desired.policy!;
    try {
      const live = await p.client.json<Obj>("GET", "/api/v1/provisioning/policies", R.policy);
      const item: ItemResult = { kind: "policies", id: "root", title: String(desired.receiver ?? ""), status: "planned" };
      const changes = compare(normPolicy(desired), normPolicy(live.body ?? {}));
      item.op = changes.length ? "update" : "unchanged";
      if (changes.length) item.changes = changes;
      const run = async () => {
        await p.client.json("PUT", "/api/v1/provisioning/policies", R.ack, { body: desired, headers: p.provenanceHeaders });
      };
      p.add(POLICY, item, changes.length ? run : undefined, contactPointDeps(p));
    } catch (e) {
      p.failedRead(POLICY, "policies", "root", undefined, e);
    }
  },
};
