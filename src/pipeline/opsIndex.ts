// build/ops/dashboards.json: every dashboard, its variables and panels with their deep links, and
// every alert with the panel it links to, so the Ops UI's backend builds links from a file instead
// of asking Grafana or the metric stores (shape: src/model/opsIndex.ts, schemas/ops-dashboards.schema.json).
import type { Panel } from "@grafana/grafana-foundation-sdk/dashboard";
import { inStableOrder, sortKeysDeep } from "../emit/stable.js";
import type { Config } from "../model/config.js";
import type { DashboardLink, PanelRef } from "../alerting/define.js";
import { resolvePanel } from "../alerting/links.js";
import { alertRules, type RuleGroup } from "../alerting/model.js";
import { dashboardPath, dashboardUrl, opsVariables } from "../model/dashboardUrl.js";
import type { OpsAlert, OpsAlertLink, OpsDashboard, OpsIndex } from "../model/opsIndex.js";
import { allPanels, type BuiltDashboard } from "./dashboards.js";
import { compareText } from "../emit/textOrder.js";

export const OPS_INDEX_PATH = "ops/dashboards.json";

const str = (v: unknown) => (typeof v === "string" ? v : "");
const SOLO = Object.freeze({ solo: true });

export function opsDashboard(built: BuiltDashboard, folder: { uid: string; title: string }): OpsDashboard {
  const d = built.json;
  const entry = { uid: d.uid!, title: d.title ?? "", variables: opsVariables(d) };
  // Keys in the order the file lists them (here and below): the index is serialised (opsIndexParts)
  // and handed to lint (src/pipeline/index.ts) as it is, not as a sorted copy.
  const panels = allPanels(d)
    .filter((p): p is Panel => p.type !== "row")
    .map((p) => ({
      description: str(p.description),
      id: p.id!,
      kind: p.type,
      path: dashboardUrl(entry, p.id!),
      soloPath: dashboardUrl(entry, p.id!, SOLO),
      title: p.title ?? "",
    }))
    .sort((a, b) => a.id - b.id);
  return { folder: { title: folder.title, uid: folder.uid }, panels, path: dashboardPath(entry.uid, entry.title), tags: [...(d.tags ?? [])], title: entry.title, uid: entry.uid, variables: entry.variables };
}

/** The panels an alert links to, resolved as its annotations are (the build has checked that each resolves). */
function alertLinks(link: DashboardLink, dashboards: BuiltDashboard[]): OpsAlertLink[] {
  const refs: [string | undefined, PanelRef][] = "byJob" in link ? Object.keys(link.byJob).sort().map((job) => [job, link.byJob[job]]) : [[undefined, link]];
  return refs.flatMap(([job, ref]) => {
    const p = resolvePanel(ref, dashboards);
    return typeof p === "string" ? [] : [{ dashboardUid: p.dashboardUid, ...(job !== undefined ? { job } : {}), panelId: p.panelId }];
  });
}

export function opsIndex(dashboards: BuiltDashboard[], groups: RuleGroup[], config: Config): OpsIndex {
  const folders = new Map(Object.values(config.folders).map((f) => [f.uid, { uid: f.uid, title: f.title }]));
  const alerts = new Map<string, OpsAlert>();
  for (const { group, rule } of alertRules(groups)) {
    const key = `${rule.name}\u0000${rule.labels.severity}`;
    if (!alerts.has(key)) alerts.set(key, { group: group.name, links: alertLinks(rule.dashboard, dashboards), name: rule.name, severity: rule.labels.severity });
  }
  return {
    alerts: [...alerts.values()].sort((a, b) => compareText(a.name, b.name) || compareText(a.severity, b.severity)),
    dashboards: dashboards.map((b) => heldOpsDashboard(b, folders.get(b.folderUid) ?? { uid: b.folderUid, title: b.folderUid })).sort((a, b) => compareText(a.uid, b.uid)),
    env: config.env,
    generator: "grafana-as-code",
  };
}

// The index lists every dashboard, so each build would derive, check and serialise all of them
// again for one that changed. A dashboard kept from an earlier build (--watch holds them, see
// src/cache/memory.ts) is the same object, never mutated after it is built: its entry and its
// entry's serialised bytes are kept with it (weakly: they go when it goes); its schema verdict, see
// src/validate/opsIndexSchema.ts.
const entries = new WeakMap<object, { folder: { uid: string; title: string }; entry: OpsDashboard }>();
const texts = new WeakMap<OpsDashboard, Buffer>();

function heldOpsDashboard(built: BuiltDashboard, folder: { uid: string; title: string }): OpsDashboard {
  const held = entries.get(built.json);
  if (held && held.folder.uid === folder.uid && held.folder.title === folder.title) return held.entry;
  const entry = opsDashboard(built, folder);
  entries.set(built.json, { folder: { ...folder }, entry });
  return entry;
}

const SEPARATOR = Buffer.from(",\n    ");
const ENTRY_START = '{\n  "dashboards": [\n    ';
const ENTRY_END = "\n  ]\n}";

/**
 * The bytes of stableStringifyJson(ops) (UTF-8) in parts: the top, each dashboard's entry (serialised
 * and encoded once, the same Buffer while the dashboard is held), the separators, the rest.
 */
export function opsIndexParts(ops: OpsIndex): Buffer[] {
  const skeleton = JSON.stringify(sortKeysDeep({ ...ops, dashboards: [] }), null, 2) + "\n";
  if (!ops.dashboards.length) return [Buffer.from(skeleton, "utf8")];
  // Top-level keys are the only ones two spaces in.
  const empty = '\n  "dashboards": [],';
  const at = skeleton.indexOf(empty);
  const parts: Buffer[] = [Buffer.from(`${skeleton.slice(0, at)}\n  "dashboards": [\n    `, "utf8")];
  for (const [i, d] of ops.dashboards.entries()) {
    let b = texts.get(d);
    // An element of a top-level array sits four spaces in: serialised there, then cut out (no
    // second copy of the text to indent it).
    if (b === undefined) {
      const text = JSON.stringify({ dashboards: [inStableOrder(d)] }, null, 2);
      texts.set(d, (b = encoded(text, ENTRY_START.length, text.length - ENTRY_END.length)));
    }
    if (i) parts.push(SEPARATOR);
    parts.push(b);
  }
  parts.push(Buffer.from(`\n  ],${skeleton.slice(at + empty.length)}`, "utf8"));
  return parts;
}

// Entries are encoded into shared slabs (a Buffer of its own for each was a thousand allocations
// outside the heap at 1,000 dashboards); an entry's bytes are a view of its slab.
const SLAB = 1 << 20;
let slab = Buffer.allocUnsafeSlow(SLAB);
let used = 0;

/** The UTF-8 bytes of text[from, to). */
function encoded(text: string, from: number, to: number): Buffer {
  // No UTF-16 unit takes more than three bytes.
  const most = (to - from) * 3;
  if (most > SLAB) return Buffer.from(text.slice(from, to), "utf8");
  if (used + most > slab.length) {
    slab = Buffer.allocUnsafeSlow(SLAB);
    used = 0;
  }
  const n = slab.write(text.slice(from, to), used, "utf8");
  const bytes = slab.subarray(used, used + n);
  used += n;
  return bytes;
}

/** The bytes of stableStringifyJson(ops) (UTF-8), in one buffer. */
export function opsIndexBytes(ops: OpsIndex): Buffer {
  return Buffer.concat(opsIndexParts(ops));
}

/**
 * build/ops/dashboards.json as an output file: its bytes in parts (megabytes at 1,000 dashboards,
 * mostly unchanged from one --watch rebuild to the next), which the writer compares and writes as
 * they are; its text decoded only for a reader that asks (lint, --check).
 */
export function opsIndexFile(ops: OpsIndex): { path: string; content: string; parts: readonly Buffer[] } {
  const parts = opsIndexParts(ops);
  let text: string | undefined;
  return {
    path: OPS_INDEX_PATH,
    parts,
    get content() {
      return (text ??= Buffer.concat(parts).toString("utf8"));
    },
  };
}
