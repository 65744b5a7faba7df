// Folders: created or renamed/moved by uid, parents before children. Pruning is ./folderPrune.ts.
import { toHttpError } from "../http.js";
import { normFolder, compare } from "../normalize.js";
import { enc, type Obj, type Plan, type Planner } from "../plan.js";
import { RESPONSES as R } from "../responses.js";
import type { DesiredFolder, ItemResult } from "../types.js";

export const FOLDERS = "folders";

export const folders: Planner = {
  kind: "folders",
  phases: { [FOLDERS]: 10 },
  reads: (o) => o.desired.folders.length,
  async plan(p) {
    const { client } = p;
    const byUid = new Map(p.desired.folders.map((f) => [f.uid, f]));
    await Promise.all(
      p.desired.folders.map(async (f) => {
        try {
          const live = await client.json<Obj>("GET", `/api/folders/${enc(f.uid)}`, R.folder, { allow: [404] });
          planFolder(p, f, live.body);
        } catch (e) {
          p.failedRead(FOLDERS, "folders", f.uid, f.title, e);
        }
        p.readProgress();
      }),
    );
    // Parents first: a folder waits for its parent's task when the build declares the parent.
    for (const f of p.desired.folders) {
      const t = p.find(FOLDERS, f.uid);
      const parent = f.parentUid ? p.find(FOLDERS, f.parentUid) : undefined;
      if (t && parent && byUid.has(f.parentUid!)) t.deps.push(parent);
    }
  },
};

/** The task a dashboard or rule group in folder `uid` waits for, if the build has that folder. */
export function folderDeps(p: Plan, uid: string) {
  const t = p.find(FOLDERS, uid);
  return t ? [t] : [];
}

function planFolder(p: Plan, f: DesiredFolder, live: Obj | undefined): void {
  const item: ItemResult = { kind: "folders", id: f.uid, title: f.title, status: "planned" };
  if (!live) {
    item.op = "create";
    p.add(FOLDERS, item, () => createFolder(p, f));
    return;
  }
  const changes = compare(normFolder(f), normFolder(live as { title?: unknown; parentUid?: unknown }));
  p.compared(FOLDERS, item, changes, () => updateFolder(p, f, live));
}

async function createFolder(p: Plan, f: DesiredFolder): Promise<void> {
  const body: Obj = { uid: f.uid, title: f.title };
  if (f.parentUid) body.parentUid = f.parentUid;
  const res = await p.client.request("POST", "/api/folders", { body, schema: R.folder });
  if (res.status >= 200 && res.status < 300) return;
  if (res.status === 409) {
    // An earlier attempt may have landed before its connection dropped: take what is there.
    const live = await p.client.json<Obj>("GET", `/api/folders/${enc(f.uid)}`, R.folder, { allow: [404] });
    if (live.body) return updateFolder(p, f, live.body);
  }
  throw toHttpError("POST", "/api/folders", res);
}

async function updateFolder(p: Plan, f: DesiredFolder, live: Obj, retried = false): Promise<void> {
  if (live.title !== f.title) {
    const path = `/api/folders/${enc(f.uid)}`;
    const res = await p.client.request("PUT", path, { body: { title: f.title, version: live.version }, schema: R.folder });
    if (res.status === 412 && !retried) {
      // Changed by someone else since we read it: read again and retry once, with the new version.
      const again = await p.client.json<Obj>("GET", path, R.folder);
      return updateFolder(p, f, again.body!, true);
    }
    if (res.status < 200 || res.status >= 300) throw toHttpError("PUT", path, res);
  }
  if ((live.parentUid || undefined) !== (f.parentUid || undefined)) {
    await p.client.json("POST", `/api/folders/${enc(f.uid)}/move`, R.folder, { body: { parentUid: f.parentUid ?? "" } });
  }
}
