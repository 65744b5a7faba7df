// The semantic diff and stable panel ids, over every dashboard of the repository: it reports a panel
// id change only when a panel's identity (its key, else its title) changed — never for a panel
// inserted at the top, nor for panels moved — and says which links break, in those words.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dashboard, Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import { loadConfig } from "../../config/index.js";
import { compareTrees } from "../../src/diff/compare.js";
import type { DashboardChange, DiffReport } from "../../src/diff/model.js";
import { renderMarkdown } from "../../src/diff/render/markdown.js";
import { renderText } from "../../src/diff/render/text.js";
import type { DashboardDefinition } from "../../src/definitions.js";
import { collectDashboards, REPO_ROOT } from "../../src/pipeline/collect.js";
import { buildDashboards } from "../../src/pipeline/dashboards.js";
import { hashedPanelId, readPanelIdLock, type PanelIdLock } from "../../src/pipeline/panelIds.js";
import { PANEL_KEY_FIELD } from "../../src/presets/panelKey.js";

const config = loadConfig("dev");
const scratch = mkdtempSync(join(tmpdir(), "diff-panel-ids-"));
const DASHBOARDS_DIR = "grafana/provisioning/dashboards";
let defs: DashboardDefinition[];
let lock: PanelIdLock;
/** Dashboard uid → its file under build/grafana/provisioning/dashboards. */
const fileOf = new Map<string, string>();
let base: string;

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

beforeAll(async () => {
  const dir = join(REPO_ROOT, "dashboards");
  defs = await collectDashboards(dir, config);
  lock = readPanelIdLock(dir, "dashboards/panel-ids.lock.json");
  for (const folder of readdirSync(join(REPO_ROOT, "build", DASHBOARDS_DIR), { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const f of readdirSync(join(REPO_ROOT, "build", DASHBOARDS_DIR, folder.name))) {
      const path = join(DASHBOARDS_DIR, folder.name, f);
      fileOf.set(JSON.parse(readFileSync(join(REPO_ROOT, "build", path), "utf8")).uid, path);
    }
  }
  base = tree("base", (d) => d);
}, 120_000);

/** The committed build/ with every dashboard built from the definitions, each passed through `edit` first. */
function tree(name: string, edit: (d: Dashboard) => Dashboard | void): string {
  const dir = join(scratch, name);
  cpSync(join(REPO_ROOT, "build"), dir, { recursive: true });
  const edited = defs.map((def) => ({
    ...def,
    build: (ctx: Parameters<DashboardDefinition["build"]>[0]) => ({
      build: () => {
        const d = def.build(ctx).build();
        return edit(d) ?? d;
      },
    }),
  }));
  for (const b of buildDashboards(edited, config, lock)) writeFileSync(join(dir, fileOf.get(b.json.uid!)!), JSON.stringify(b.json, null, 2));
  return dir;
}

const diff = (head: string): DiffReport => compareTrees(base, head, { base: { label: "base" }, head: { label: "head" } });
const firstPanel = (d: Dashboard) => (d.panels as (Panel | RowPanel)[]).find((p) => p.type !== "row") as Panel;
const changeOf = (r: DiffReport, uid: string): DashboardChange | undefined => r.dashboards.find((d) => d.uid === uid);

describe("diff of panel ids over every dashboard", () => {
  it("a panel inserted at the top is one added panel and no id change", () => {
    const r = diff(tree("inserted", (d) => void d.panels!.unshift(new stat.PanelBuilder().title("Restarts (inserted)").span(6).height(4).build())));
    expect(fileOf.size).toBeGreaterThan(5);
    for (const uid of fileOf.keys()) {
      const c = changeOf(r, uid)!;
      expect({ uid, idChanges: c.idChanges }).toEqual({ uid, idChanges: [] });
      expect(c.panels.filter((p) => p.status !== "changed").map((p) => [p.status, p.title, p.after?.id])).toEqual([["added", "Restarts (inserted)", hashedPanelId("Restarts (inserted)")]]);
      // What follows only moved.
      expect(c.panels.filter((p) => p.status === "changed").every((p) => p.fields.length === 0 && p.queries.length === 0)).toBe(true);
    }
    expect(renderMarkdown(r)).not.toMatch(/panel ids? changed/);
  });

  it("moving panels (the order reversed) changes no id", () => {
    const r = diff(tree("moved", (d) => void d.panels!.reverse()));
    for (const uid of fileOf.keys()) {
      const c = changeOf(r, uid);
      expect({ uid, idChanges: c?.idChanges ?? [], addedOrRemoved: c?.panels.filter((p) => p.status !== "changed").length ?? 0 }).toEqual({ uid, idChanges: [], addedOrRemoved: 0 });
    }
    expect(r.dashboards.length).toBeGreaterThan(0);
  });

  it("a panel retitled without a key: its id follows the new title, and the diff says the old links break", () => {
    const before = new Map<string, Panel>();
    const r = diff(
      tree("retitled", (d) => {
        const p = firstPanel(d);
        before.set(d.uid!, { ...p });
        p.title = `${p.title} (renamed)`;
      }),
    );
    const built = new Map(buildDashboards(defs, config, lock).map((b) => [b.json.uid!, firstPanel(b.json)]));
    for (const uid of fileOf.keys()) {
      const c = changeOf(r, uid)!;
      const old = built.get(uid)!;
      const title = `${before.get(uid)!.title} (renamed)`;
      expect({ uid, idChanges: c.idChanges }).toEqual({ uid, idChanges: [{ title, titleBefore: old.title, before: old.id, after: hashedPanelId(title) }] });
      // One panel, changed in its title — not one removed and another added.
      expect(c.panels.map((p) => [p.status, p.title, p.fields.map((f) => f.field)])).toContainEqual(["changed", title, ["title"]]);
      expect(c.panels.filter((p) => p.status !== "changed")).toEqual([]);
    }
    const md = renderMarkdown(r);
    const one = [...fileOf.keys()].map((uid) => ({ uid, old: built.get(uid)! }))[0];
    expect(md).toContain(
      `**1 panel id changed** (key or title changed; links and bookmarks with the old viewPanel= id no longer open it): ${one.old.title} → ${one.old.title} (renamed) ${one.old.id}→${hashedPanelId(`${one.old.title} (renamed)`)}`,
    );
    expect(renderText(r)).toContain("1 panel id changed");
    expect(md).not.toMatch(/renumbered/);
  });

  it("a panel retitled with its old title as key keeps its id: a title change, no id change", () => {
    const r = diff(
      tree("keyed", (d) => {
        const p = firstPanel(d) as Panel & Record<string, unknown>;
        p[PANEL_KEY_FIELD] = p.title;
        p.title = `${p.title} (renamed)`;
      }),
    );
    for (const uid of fileOf.keys()) {
      const c = changeOf(r, uid)!;
      expect({ uid, idChanges: c.idChanges }).toEqual({ uid, idChanges: [] });
      const changed = c.panels.filter((p) => p.fields.some((f) => f.field === "title"));
      expect(changed).toHaveLength(1);
      expect(changed[0].before!.id).toBe(changed[0].after!.id);
    }
    expect(renderMarkdown(r)).not.toMatch(/panel ids? changed/);
  });
});
