// Dashboards: saved by uid into their folder (overwrite: true); --prune deletes stamped ones the
// build no longer has. A title taken by another dashboard of the folder is refused, not clobbered.
import { compare, normDashboard } from "../normalize.js";
import { isOwnedDashboardTags } from "../ownership.js";
import { enc, type Obj, type Plan, type Planner } from "../plan.js";
import { RESPONSES as R } from "../responses.js";
import type { DesiredDashboard, ItemResult } from "../types.js";
import { folderDeps } from "./folders.js";

export const DASHBOARDS = "dashboards";
export const DASHBOARDS_DELETE = "dashboards-delete";

export const dashboards: Planner = {
  kind: "dashboards",
  // Deletions first: a dashboard of the build may take the title of one that goes.
  phases: { [DASHBOARDS_DELETE]: 30, [DASHBOARDS]: 40 },
  listings: () => ["dashboards"],
  reads: (o) => o.desired.dashboards.length,
  async plan(p) {
    const hits = p.listing("dashboards");
    const want = new Map(p.desired.dashboards.map((d) => [d.uid, d]));
    const hitsByUid = new Map(hits.map((h) => [String(h.uid), h]));
    const toDelete = new Set<string>();
    if (p.o.prune) {
      for (const h of hits) {
        const uid = String(h.uid);
        if (!isOwnedDashboardTags(h.tags) || want.has(uid)) continue;
        toDelete.add(uid);
        p.add(
          DASHBOARDS_DELETE,
          { kind: "dashboards", id: uid, title: String(h.title ?? ""), op: "delete", status: "planned", note: "stamped, no longer in the build" },
          async () => {
            await p.client.json("DELETE", `/api/dashboards/uid/${enc(uid)}`, R.ack, { allow: [404] });
          },
        );
      }
    }
    await Promise.all(
      p.desired.dashboards.map(async (d) => {
        await readOne(p, d, hits, hitsByUid, toDelete);
        p.readProgress();
      }),
    );
  },
};

async function readOne(p: Plan, d: DesiredDashboard, hits: Obj[], hitsByUid: Map<string, Obj>, toDelete: Set<string>): Promise<void> {
  // Grafana overwrites a dashboard with the same title in the same folder when overwrite is
  // set, whatever its uid: refuse rather than clobber one that is not ours to replace.
  const clash = hits.find(
    (h) => h.title === d.title && String(h.folderUid ?? "") === d.folderUid && String(h.uid) !== d.uid && !toDelete.has(String(h.uid)),
  );
  if (clash) {
    p.add(DASHBOARDS, {
      kind: "dashboards",
      id: d.uid,
      title: d.title,
      status: "failed",
      error: `the title "${d.title}" is already used by dashboard ${String(clash.uid)} in this folder${
        isOwnedDashboardTags(clash.tags) ? " (stamped: --prune would remove it)" : ""
      }; saving would overwrite it`,
    });
    return;
  }
  if (!hitsByUid.has(d.uid)) {
    // Absent from the search listing: nothing to read.
    planDashboard(p, d, undefined);
    return;
  }
  try {
    const live = await p.client.json<{ dashboard: Obj; meta: Obj }>("GET", `/api/dashboards/uid/${enc(d.uid)}`, R.dashboard, { allow: [404] });
    planDashboard(p, d, live.body);
  } catch (e) {
    p.failedRead(DASHBOARDS, "dashboards", d.uid, d.title, e);
  }
}

function planDashboard(p: Plan, d: DesiredDashboard, live: { dashboard: Obj; meta: Obj } | undefined): void {
  const item: ItemResult = { kind: "dashboards", id: d.uid, title: d.title, status: "planned" };
  const run = async () => {
    await p.client.json("POST", "/api/dashboards/db", R.dashboardSaved, {
      body: { dashboard: { ...d.model, id: null }, folderUid: d.folderUid, overwrite: true, message: p.o.message },
    });
  };
  if (!live) {
    item.op = "create";
    p.add(DASHBOARDS, item, run, folderDeps(p, d.folderUid));
    return;
  }
  const changes = compare(
    normDashboard(d.model, d.folderUid),
    normDashboard(live.dashboard, String(live.meta?.folderUid ?? "")),
  ).map((c) => c.replace(/^model\./, ""));
  p.compared(DASHBOARDS, item, changes, run, folderDeps(p, d.folderUid));
}
