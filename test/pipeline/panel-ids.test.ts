// Panel ids follow each panel's identity (key or title), not its place: inserting, removing or moving
// panels changes no other panel's id, on every dashboard of the repository.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Dashboard, Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import { loadConfig } from "../../config/index.js";
import type { DashboardDefinition } from "../../src/definitions.js";
import { BuildError } from "../../src/errors.js";
import { collectDashboards, REPO_ROOT } from "../../src/pipeline/collect.js";
import { allPanels, buildDashboards } from "../../src/pipeline/dashboards.js";
import { assignStablePanelIds, hashedPanelId, panelKey, readPanelIdLock, type PanelIdLock } from "../../src/pipeline/panelIds.js";
import { withPanelKey } from "../../src/presets/panelKey.js";

const config = loadConfig("dev");
const dir = join(REPO_ROOT, "dashboards");
let defs: DashboardDefinition[];
let lock: PanelIdLock;

beforeAll(async () => {
  defs = await collectDashboards(dir, config);
  lock = readPanelIdLock(dir, "dashboards/panel-ids.lock.json");
});

/** The definition with its built dashboard passed through `edit` before the pipeline sees it. */
function edited(def: DashboardDefinition, edit: (d: Dashboard) => void): DashboardDefinition {
  return {
    ...def,
    build: (ctx) => ({
      build: () => {
        const d = def.build(ctx).build();
        edit(d);
        return d;
      },
    }),
  };
}

const idsByKey = (d: Dashboard) => new Map(allPanels(d).map((p) => [panelKey(p), p.id]));

function expectSameIds(before: Dashboard, after: Dashboard, except: string[] = []) {
  const a = idsByKey(after);
  for (const [key, id] of idsByKey(before)) {
    if (except.includes(key)) continue;
    expect({ dashboard: before.uid, key, id: a.get(key) }).toEqual({ dashboard: before.uid, key, id });
  }
}

const newStat = (title: string) => new stat.PanelBuilder().title(title).span(6).height(4).build();

describe("stable panel ids over every dashboard", () => {
  it("inserting a panel at the top changes no other panel's id", () => {
    const base = buildDashboards(defs, config, lock);
    const withInserted = buildDashboards(
      defs.map((def) => edited(def, (d) => d.panels!.unshift(newStat("Restarts (inserted)")))),
      config,
      lock,
    );
    expect(base.length).toBeGreaterThan(5);
    for (const [i, b] of base.entries()) {
      expectSameIds(b.json, withInserted[i].json);
      const inserted = allPanels(withInserted[i].json).find((p) => p.title === "Restarts (inserted)")!;
      expect(inserted.id).toBe(hashedPanelId("Restarts (inserted)"));
    }
  });

  it("removing the first panel or reversing the order changes no other panel's id", () => {
    const base = buildDashboards(defs, config, lock);
    const removed = buildDashboards(defs.map((def) => edited(def, (d) => d.panels!.splice(1, 1))), config, lock);
    const reversed = buildDashboards(defs.map((def) => edited(def, (d) => d.panels!.reverse())), config, lock);
    for (const [i, b] of base.entries()) {
      const gone = panelKey(b.json.panels![1] as Panel | RowPanel);
      expectSameIds(b.json, removed[i].json, [gone]);
      expect(idsByKey(removed[i].json).has(gone)).toBe(false);
      expectSameIds(b.json, reversed[i].json);
    }
  });

  it("every built panel has the id recorded for it, and ids are unique per dashboard", () => {
    for (const b of buildDashboards(defs, config, lock)) {
      const ids = allPanels(b.json).map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const p of allPanels(b.json)) {
        const recorded = lock[b.json.uid!]?.[panelKey(p)];
        expect(p.id).toBe(recorded ?? hashedPanelId(panelKey(p)));
        expect(p).not.toHaveProperty("__panelKey");
      }
    }
  });
});

const panel = (title: string, extra: Record<string, unknown> = {}) => ({ type: "stat", title, ...extra }) as unknown as Panel;
const at = { file: "dashboards/x.ts", dashboardUid: "x" };

describe("assignStablePanelIds", () => {
  it("keeps ids set in code, takes recorded ids, derives the rest from the key", () => {
    const panels = [panel("A", { id: 7 }), panel("B"), panel("C"), { type: "row", title: "B", id: 0 } as unknown as RowPanel];
    expect(assignStablePanelIds(panels, { B: 3 }, at)).toEqual([]);
    expect(panels.map((p) => p.id)).toEqual([7, 3, hashedPanelId("C"), hashedPanelId("row:B")]);
  });

  it("a retitled panel keeps its id with a key; the key field is not emitted", () => {
    const p = withPanelKey(new stat.PanelBuilder().title("Error ratio (5xx)"), "Error ratio").build() as Panel;
    expect(assignStablePanelIds([p], { "Error ratio": 12 }, at)).toEqual([]);
    expect(p.id).toBe(12);
    expect(Object.keys(p)).not.toContain("__panelKey");
  });

  it("two panels with one title are an error naming the dashboard and the panel", () => {
    const problems = assignStablePanelIds([panel("Latency"), panel("Latency")], {}, at);
    expect(problems).toEqual([expect.objectContaining({ code: "duplicate-panel-key", dashboardUid: "x", panelTitle: "Latency", file: "dashboards/x.ts" })]);
    expect(problems[0].message).toMatch(/give one a key/);
  });

  it("two keys hashing to one id are an error, as is a derived id recorded for a panel that is gone", () => {
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const key = `panel ${i}`;
      const id = hashedPanelId(key);
      if (seen.has(id)) pair = [seen.get(id)!, key];
      seen.set(id, key);
    }
    const collision = assignStablePanelIds([panel(pair[0]), panel(pair[1])], {}, at);
    expect(collision).toEqual([expect.objectContaining({ code: "panel-id-collision", panelTitle: pair[1] })]);
    expect(collision[0].message).toContain(`"${pair[0]}"`);
  });

  it("hashes a key's UTF-8 bytes as TextEncoder writes them (FNV-1a), whatever characters it holds", () => {
    const reference = (key: string) => {
      let h = 0x811c9dc5;
      for (const byte of new TextEncoder().encode(key)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
      return 100000 + (h % 900000);
    };
    const keys = ["", "Requests", "row:Latency", "Größe", "延迟 p95", "🔥 errors", "a\u{10FFFF}b", "\uD800", "x\uD800y", "\uDC00x", "\uD83D\uD83D\uDD25", "\u07FF\u0800\uFFFF"];
    // And random strings over every range a UTF-16 unit can be in, lone surrogates included.
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
    // One byte, two, three, a high surrogate, a low one: each as likely.
    const ranges = [[0, 0x80], [0x80, 0x800], [0x800, 0xd800], [0xd800, 0xdc00], [0xdc00, 0xe000], [0xe000, 0x10000]];
    const unit = () => {
      const [from, to] = ranges[next() % ranges.length];
      return from + (next() % (to - from));
    };
    for (let i = 0; i < 500; i++) keys.push(String.fromCharCode(...Array.from({ length: 1 + (i % 9) }, unit)));
    for (const key of keys) expect(hashedPanelId(key), JSON.stringify(key)).toBe(reference(key));
  });

  it("a duplicate id set in code is an error", () => {
    const problems = assignStablePanelIds([panel("A", { id: 2 }), panel("B")], { B: 2 }, at);
    expect(problems).toEqual([expect.objectContaining({ code: "panel-id-collision", panelTitle: "B" })]);
  });
});

describe("the lock file", () => {
  const lockDir = (content: string) => {
    const d = mkdtempSync(join(tmpdir(), "lock-"));
    writeFileSync(join(d, "panel-ids.lock.json"), content);
    return d;
  };

  it("is optional", () => {
    expect(readPanelIdLock(mkdtempSync(join(tmpdir(), "lock-")), "l.json")).toEqual({});
  });

  it.each([
    ["not JSON", "{", /not JSON/],
    ["no dashboards", "{}", /expected \{"dashboards"/],
    ["a string id", '{"dashboards":{"home":{"Up":"1"}}}', /dashboards.home\["Up"\]: expected an integer id/],
    ["a hashed-range id", '{"dashboards":{"home":{"Up":123456}}}', /expected an integer id from 1 to 99999/],
    ["one id twice", '{"dashboards":{"home":{"Up":1,"Down":1}}}', /"Down" and "Up" both have id 1/],
  ])("refuses %s, naming the file", (_, content, message) => {
    let err: unknown;
    try {
      readPanelIdLock(lockDir(content), "dashboards/panel-ids.lock.json");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BuildError);
    expect((err as BuildError).problems[0]).toMatchObject({ code: "bad-panel-id-lock", file: "dashboards/panel-ids.lock.json" });
    expect((err as BuildError).message).toMatch(message);
  });
});
