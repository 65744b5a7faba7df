// Panel ids as a function of each panel's identity (its key: set with withPanelKey, else its title;
// rows are "row:<title>"), so adding, removing or moving a panel renumbers nothing and every
// /d/<uid>?viewPanel=<id> link keeps pointing at the same panel.
//
//   1. an id written in code is kept;
//   2. else the id recorded for the key in <dashboards>/panel-ids.lock.json (the ids dashboards had
//      when ids were still assigned in document order; links to them exist);
//   3. else a hash of the key in 100000..999999, clear of the small locked ids.
//
// Two panels with one key, or two panels with one id, are an error naming both: give one a key.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";
import { BuildError, type Problem } from "../errors.js";
import { PANEL_KEY_FIELD } from "../presets/panelKey.js";

export const PANEL_ID_LOCK_FILE = "panel-ids.lock.json";

/** Dashboard uid → panel key → id. */
export type PanelIdLock = Record<string, Record<string, number>>;

const HASH_MIN = 100000;
const HASH_SPAN = 900000;

/** FNV-1a (32 bit) over the key's UTF-8 bytes, folded into 100000..999999. */
export function hashedPanelId(key: string): number {
  // The bytes TextEncoder gives (a lone surrogate as U+FFFD), taken as they are made: no encoder
  // and no byte array per panel.
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    let c = key.charCodeAt(i);
    if (c < 0x80) {
      h = fnv(h, c);
      continue;
    }
    if (c < 0x800) {
      h = fnv(fnv(h, 0xc0 | (c >> 6)), 0x80 | (c & 0x3f));
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < key.length ? key.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        h = fnv(fnv(fnv(fnv(h, 0xf0 | (cp >> 18)), 0x80 | ((cp >> 12) & 0x3f)), 0x80 | ((cp >> 6) & 0x3f)), 0x80 | (cp & 0x3f));
        continue;
      }
      c = 0xfffd;
    }
    h = fnv(fnv(fnv(h, 0xe0 | (c >> 12)), 0x80 | ((c >> 6) & 0x3f)), 0x80 | (c & 0x3f));
  }
  return HASH_MIN + (h % HASH_SPAN);
}

const fnv = (h: number, byte: number) => Math.imul(h ^ byte, 0x01000193) >>> 0;

type AnyPanel = (Panel | RowPanel) & { [PANEL_KEY_FIELD]?: unknown };

/** The identity of a panel (without removing the key field). */
export function panelKey(p: Panel | RowPanel): string {
  const explicit = (p as AnyPanel)[PANEL_KEY_FIELD];
  if (typeof explicit === "string" && explicit !== "") return explicit;
  const title = typeof p.title === "string" ? p.title : "";
  return p.type === "row" ? `row:${title}` : title;
}

const hasId = (p: { id?: unknown }) => typeof p.id === "number" && Number.isInteger(p.id) && p.id > 0;

/**
 * Sets the id of every panel of one dashboard (`panels`: rows and the panels nested in them) and
 * removes the key field. Returns the collisions as problems.
 */
export function assignStablePanelIds(
  panels: (Panel | RowPanel)[],
  locked: Record<string, number>,
  at: { file?: string; dashboardUid: string },
): Problem[] {
  const problems: Problem[] = [];
  const byKey = new Map<string, Panel | RowPanel>();
  const byId = new Map<number, string>();
  const lockedKeyOf = new Map(Object.entries(locked).map(([k, id]) => [id, k]));
  for (const p of panels) {
    const explicit = (p as AnyPanel)[PANEL_KEY_FIELD];
    const key = panelKey(p);
    delete (p as AnyPanel)[PANEL_KEY_FIELD];
    if (explicit !== undefined && (typeof explicit !== "string" || explicit === "")) {
      problems.push({ ...at, code: "panel-key", panelTitle: p.title, message: "the panel key must be a non-empty string" });
      continue;
    }
    if (byKey.has(key)) {
      problems.push({
        ...at,
        code: "duplicate-panel-key",
        panelTitle: p.title,
        message: `two panels have the identity "${key}" (their title); give one a key (withPanelKey, or \`key\` in the panel presets) so each keeps its own id`,
      });
      continue;
    }
    byKey.set(key, p);
    let source = "set in code";
    if (!hasId(p)) {
      if (Object.hasOwn(locked, key)) {
        p.id = locked[key];
        source = `recorded in ${PANEL_ID_LOCK_FILE}`;
      } else {
        p.id = hashedPanelId(key);
        source = "derived from its key";
        // An id recorded for a panel that is gone stays reserved: old links must not open another panel.
        const owner = lockedKeyOf.get(p.id);
        if (owner !== undefined && owner !== key) {
          problems.push({
            ...at,
            code: "panel-id-collision",
            panelTitle: p.title,
            message: `the id derived from "${key}" (${p.id}) is recorded in ${PANEL_ID_LOCK_FILE} for "${owner}"; give the panel another key`,
          });
          continue;
        }
      }
    }
    const other = byId.get(p.id!);
    if (other !== undefined) {
      problems.push({
        ...at,
        code: "panel-id-collision",
        panelTitle: p.title,
        message: `panel id ${p.id} (${source}) is already the id of "${other}"; give one of them another key or id`,
      });
      continue;
    }
    byId.set(p.id!, key);
  }
  return problems;
}

/** Reads <dashboardsDir>/panel-ids.lock.json; none means no recorded ids. */
export function readPanelIdLock(dashboardsDir: string, label: string): PanelIdLock {
  const path = join(dashboardsDir, PANEL_ID_LOCK_FILE);
  if (!existsSync(path)) return {};
  const fail = (message: string) => new BuildError([{ code: "bad-panel-id-lock", file: label, message }]);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw fail(`not JSON: ${(e as Error).message}`);
  }
  const dashboards = (data as { dashboards?: unknown } | null)?.dashboards;
  if (typeof dashboards !== "object" || dashboards === null || Array.isArray(dashboards)) throw fail(`expected {"dashboards": {<uid>: {<panel key>: <id>}}}`);
  const lock: PanelIdLock = {};
  for (const [uid, panels] of Object.entries(dashboards)) {
    if (typeof panels !== "object" || panels === null || Array.isArray(panels)) throw fail(`dashboards.${uid}: expected an object of panel key → id`);
    const seen = new Map<number, string>();
    lock[uid] = {};
    for (const [key, id] of Object.entries(panels)) {
      if (typeof id !== "number" || !Number.isInteger(id) || id < 1 || id >= HASH_MIN) {
        throw fail(`dashboards.${uid}["${key}"]: expected an integer id from 1 to ${HASH_MIN - 1}, got ${JSON.stringify(id)}`);
      }
      if (seen.has(id)) throw fail(`dashboards.${uid}: "${key}" and "${seen.get(id)}" both have id ${id}`);
      seen.set(id, key);
      lock[uid][key] = id;
    }
  }
  return lock;
}
