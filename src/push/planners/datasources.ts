// Datasources: created or updated by uid; --prune deletes stamped ones the build no longer has.
import { toHttpError } from "../http.js";
import { compare, normDatasource } from "../normalize.js";
import { isOwnedDatasource } from "../ownership.js";
import { enc, type Obj, type Plan, type Planner } from "../plan.js";
import { RESPONSES as R } from "../responses.js";
import type { DesiredDatasource, ItemResult } from "../types.js";

const UPSERT = "datasources";
const DELETE = "datasources-delete";

export const datasources: Planner = {
  kind: "datasources",
  // Deleted last: something pushed in this run may still name the old one until then.
  phases: { [UPSERT]: 20, [DELETE]: 100 },
  listings: (o) => (o.prune ? ["datasources"] : []),
  reads: (o) => o.desired.datasources.length,
  async plan(p) {
    await Promise.all(
      p.desired.datasources.map(async (d) => {
        try {
          const live = await p.client.json<Obj>("GET", `/api/datasources/uid/${enc(d.uid)}`, R.datasource, { allow: [404] });
          planDatasource(p, d, live.body);
        } catch (e) {
          p.failedRead(UPSERT, "datasources", d.uid, d.name, e);
        }
        p.readProgress();
      }),
    );
    if (!p.o.prune) return;
    const want = new Set(p.desired.datasources.map((d) => d.uid));
    for (const ds of p.listing("datasources")) {
      if (!isOwnedDatasource(ds) || want.has(String(ds.uid))) continue;
      const uid = String(ds.uid);
      p.add(
        DELETE,
        { kind: "datasources", id: uid, title: String(ds.name ?? ""), op: "delete", status: "planned", note: "stamped, no longer in the build" },
        async () => {
          await p.client.json("DELETE", `/api/datasources/uid/${enc(uid)}`, R.ack, { allow: [404] });
        },
      );
    }
  },
};

function planDatasource(p: Plan, d: DesiredDatasource, live: Obj | undefined): void {
  const item: ItemResult = { kind: "datasources", id: d.uid, title: d.name, status: "planned" };
  if (!live) {
    item.op = "create";
    p.add(UPSERT, item, () => createDatasource(p, d));
    return;
  }
  const changes = compare(normDatasource(d as DesiredDatasource & Obj, false), normDatasource(live, true));
  if (changes.length === 0 && p.o.rewriteSecrets && d.secureJsonData) changes.push("secureJsonData (--rewrite-secrets)");
  p.compared(UPSERT, item, changes, () => updateDatasource(p, d, live));
}

async function createDatasource(p: Plan, d: DesiredDatasource): Promise<void> {
  const res = await p.client.request("POST", "/api/datasources", { body: d, schema: R.ack });
  if (res.status >= 200 && res.status < 300) return;
  if (res.status === 409) {
    // Either an earlier attempt landed (same uid is there now), or another datasource holds the name.
    const live = await p.client.json<Obj>("GET", `/api/datasources/uid/${enc(d.uid)}`, R.datasource, { allow: [404] });
    if (live.body) {
      if (compare(normDatasource(d as DesiredDatasource & Obj, false), normDatasource(live.body, true)).length === 0) return;
      return updateDatasource(p, d, live.body);
    }
  }
  throw toHttpError("POST", "/api/datasources", res);
}

async function updateDatasource(p: Plan, d: DesiredDatasource, live: Obj): Promise<void> {
  await p.client.json("PUT", `/api/datasources/uid/${enc(d.uid)}`, R.ack, { body: { ...d, version: live.version } });
}
