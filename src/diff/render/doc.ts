// A renderer-neutral outline of a report: headings, lists of items made of inline pieces (text,
// code, strong, word diffs) and formatted query diffs. The Markdown and text renderers both draw it.
import { formatQuery, type QueryLanguage } from "../format.js";
import type { DashboardChange, DatasourceChange, DiffReport, FieldChange, NamedChange, PanelChange, PanelRef, QueryChange, RuleChange } from "../model.js";
import { lineDiff, type DiffLine, type Segment } from "../text.js";
import { isObject, show, type Json, type ValueChange } from "../values.js";

export type Inline =
  | string
  | { code: string }
  | { strong: string }
  | { em: string }
  | { words: Segment[] }
  | { link: string; href: string }
  | { image: string; href: string };

export interface Item {
  text: Inline[];
  children?: Item[];
}

export type Block =
  | { heading: Inline[]; level: number }
  | { para: Inline[] }
  | { list: Item[] }
  /** Formatted before/after query text, collapsed in Markdown. */
  | { diffs: { title: Inline[]; lines: DiffLine[] }[]; summary: string };

const MAX_VALUE = 160;

/** One line (multi-line queries joined with single spaces), cut at `max` characters. */
export function clip(s: string, max = MAX_VALUE): string {
  const line = s.replace(/\s*\n\s*/g, " ");
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

const LANG: Record<QueryLanguage, string> = { promql: "PromQL", logql: "LogQL", traceql: "TraceQL", other: "query" };

function thresholds(v: Json | undefined): string {
  if (!isObject(v)) return show(v);
  const steps = Array.isArray(v.steps) ? v.steps.filter(isObject) : [];
  const text = steps.map((s) => (s.value === null || s.value === undefined ? String(s.color) : `${String(s.color)} ≥ ${String(s.value)}`)).join(", ");
  return v.mode === "percentage" ? `${text} (percent)` : text || show(v);
}

/** before → after for one field, values shown as code; secrets only as "changed". */
export function fieldInline(f: FieldChange | ValueChange, label?: string): Inline[] {
  const name = label ?? ("field" in f ? f.field : f.path);
  // A JSON path (a.b[x=y].c) reads best as code; a plain name as text.
  const path = /^(.*?)(\S*[._[]\S*)$/.exec(name);
  const head: Inline[] = !name ? [] : path ? [path[1], { code: path[2] }, ": "] : [`${name}: `];
  if (f.secret) return [...head, { strong: "changed" }, " (secret-related; value not shown)"];
  const fmt = (v: Json | undefined) => ("field" in f && f.field === "thresholds" ? thresholds(v) : show(v));
  if ("words" in f && f.words) return [...head, { words: f.words }];
  if (f.before === undefined) return [...head, "set to ", { code: clip(fmt(f.after)) }];
  if (f.after === undefined) return [...head, "removed (was ", { code: clip(fmt(f.before)) }, ")"];
  return [...head, { code: clip(fmt(f.before)) }, " → ", { code: clip(fmt(f.after)) }];
}

const SIMPLE = new Set(["title", "description", "unit", "thresholds", "visualisation", "row", "min", "max", "decimals", "datasource"]);

/** How a changed field is named in a report: its meaning when known, else its JSON path. */
export function fieldLabel(f: FieldChange): string {
  if (f.path === "legendFormat") return "legend format";
  if (SIMPLE.has(f.field) && !f.path.includes("[")) return f.field;
  if (f.field === "legend") return `legend ${f.path.replace(/^options\.legend\.?/, "")}`.trim();
  return f.path || f.field;
}

function fieldItems(fields: FieldChange[]): Item[] {
  return fields.map((f) => ({ text: fieldInline(f, fieldLabel(f)) }));
}

const where = (p?: PanelRef) => (p?.gridPos ? `${p.gridPos.w}×${p.gridPos.h} at x ${p.gridPos.x}, y ${p.gridPos.y}` : "");

function queryItem(q: QueryChange): Item {
  const lang = LANG[q.lang];
  if (q.status !== "changed") {
    const text = q.status === "added" ? q.after : q.before;
    return { text: [`query ${q.refId} ${q.status}`, text !== undefined ? ` (${lang}): ` : "", ...(text !== undefined ? [{ code: clip(text, 400) }] : [])] };
  }
  const children = fieldItems(q.fields);
  if (q.words) return { text: [`query ${q.refId} (${lang}): `, { words: q.words }], children };
  return { text: [`query ${q.refId} settings`], children };
}

function panelLabel(p: PanelChange): Inline[] {
  const ref = (p.after ?? p.before)!;
  const kind = p.kind === "row" ? "row" : ref.type;
  const id = ref.id !== undefined ? `, id ${ref.id}` : "";
  return [{ strong: p.title || "(untitled)" }, ` (${kind}${id})`];
}

/** Panels whose only change is the same vertical shift: one line instead of one each. */
function reflowGroups(panels: PanelChange[]): { dy: number; panels: PanelChange[] }[] {
  const groups = new Map<number, PanelChange[]>();
  for (const p of panels) {
    const a = p.before?.gridPos;
    const b = p.after?.gridPos;
    if (p.status !== "changed" || p.fields.length || p.queries.length || p.resized || !a || !b || a.x !== b.x) continue;
    groups.set(b.y - a.y, [...(groups.get(b.y - a.y) ?? []), p]);
  }
  return [...groups.entries()].map(([dy, list]) => ({ dy, panels: list }));
}

function panelItems(d: DashboardChange): Item[] {
  const items: Item[] = [];
  const grouped = new Set<PanelChange>();
  for (const g of reflowGroups(d.panels)) {
    if (g.panels.length < 2) continue;
    g.panels.forEach((p) => grouped.add(p));
    items.push({
      text: [
        { strong: `${g.panels.length} ${g.panels.some((p) => p.kind === "panel") ? "panels and rows" : "rows"} shifted ${g.dy > 0 ? "down" : "up"} by ${Math.abs(g.dy)}` },
        " (layout reflow): ",
        g.panels.map((p) => p.title || "(untitled)").join(", "),
      ],
    });
  }
  for (const p of d.panels) {
    if (grouped.has(p)) continue;
    const noun = p.kind === "row" ? "Row" : "Panel";
    if (p.status === "added") {
      items.push({
        text: [{ strong: `${noun} added` }, ": ", ...panelLabel(p), where(p.after) ? `, ${where(p.after)}` : "", p.after?.row ? ` in row ${p.after.row}` : ""],
        children: p.queries.map(queryItem),
      });
    } else if (p.status === "removed") {
      items.push({ text: [{ strong: `${noun} removed` }, ": ", ...panelLabel(p), p.before?.row ? ` from row ${p.before.row}` : ""] });
    } else {
      const children: Item[] = [];
      if (p.moved || p.resized) {
        children.push({ text: [p.moved && p.resized ? "moved and resized: " : p.moved ? "moved: " : "resized: ", { code: where(p.before) }, " → ", { code: where(p.after) }] });
      }
      children.push(...fieldItems(p.fields), ...p.queries.map(queryItem));
      const renamed = p.before && p.before.title !== p.after?.title ? [" (was ", { em: p.before.title }, ")"] : [];
      items.push({ text: [{ strong: `${noun} changed` }, ": ", ...panelLabel(p), ...renamed], children });
    }
  }
  return items;
}

function namedItems(list: NamedChange[], noun: string, prefix = ""): Item[] {
  return list.map((n) => {
    const name: Inline = { code: `${prefix}${n.name}` };
    if (n.status !== "changed") {
      const v = n.value;
      const detail = isObject(v) && typeof (v.query ?? v.url) === "string" ? [" — ", { code: clip(String(v.query ?? v.url)) }] : [];
      return { text: [{ strong: `${noun} ${n.status}` }, ": ", name, ...detail] };
    }
    return { text: [{ strong: `${noun} changed` }, ": ", name], children: fieldItems(n.fields) };
  });
}

function dashboardBlocks(d: DashboardChange, report: DiffReport, images: ImageLinks): Block[] {
  const blocks: Block[] = [{ heading: [d.title || d.uid, " ", { code: d.uid }, ` — ${d.status}`], level: 4 }];
  const items: Item[] = [];
  if (d.status === "added") {
    items.push({ text: [`new dashboard in folder `, { code: d.folder.after ?? "" }, ` with ${d.panelCount.after} panels`] });
  } else if (d.status === "removed") {
    items.push({ text: [`removed from folder `, { code: d.folder.before ?? "" }, ` (had ${d.panelCount.before} panels)`] });
  } else {
    if (d.titleBefore !== undefined) items.push({ text: [{ strong: "Renamed" }, ": ", { code: d.titleBefore }, " → ", { code: d.title }] });
    if (d.folder.before !== d.folder.after) items.push({ text: [{ strong: "Moved to another folder" }, ": ", { code: d.folder.before ?? "" }, " → ", { code: d.folder.after ?? "" }] });
    items.push(...panelItems(d));
    items.push(...namedItems(d.variables, "Variable", "$"));
    items.push(...namedItems(d.links, "Link"));
    items.push(...namedItems(d.annotations, "Annotation"));
    if (d.settings.length) items.push({ text: [{ strong: "Dashboard settings" }], children: fieldItems(d.settings) });
    if (d.idChanges.length) {
      const n = d.idChanges.length;
      items.push({
        text: [
          { strong: n === 1 ? "1 panel id changed" : `${n} panel ids changed` },
          ` (key or title changed; links and bookmarks with the old viewPanel= id no longer open ${n === 1 ? "it" : "them"}): `,
          d.idChanges.map((r) => `${r.titleBefore !== undefined ? `${r.titleBefore} → ` : ""}${r.title} ${r.before}→${r.after}`).join(", "),
        ],
      });
    }
  }
  const img = images(d);
  if (img) items.push({ text: img });
  blocks.push({ list: items });
  const diffs = queryDiffs(d);
  if (diffs.length) blocks.push({ diffs, summary: `Changed queries, formatted (${diffs.length})` });
  void report;
  return blocks;
}

function queryDiffs(d: DashboardChange): { title: Inline[]; lines: DiffLine[] }[] {
  const out: { title: Inline[]; lines: DiffLine[] }[] = [];
  for (const p of d.panels) {
    for (const q of p.queries) {
      if (q.status !== "changed" || q.before === undefined || q.after === undefined || q.before === q.after) continue;
      out.push({ title: [{ strong: p.title }, ` · ${q.refId}`], lines: lineDiff(formatQuery(q.before, q.lang), formatQuery(q.after, q.lang)) });
    }
  }
  return out;
}

function datasourceItems(list: DatasourceChange[]): Item[] {
  return list.map((d) => {
    const label: Inline[] = [{ strong: d.name }, " (", { code: d.uid }, `, ${d.type})`];
    if (d.status === "added") {
      const secrets = d.secretFields?.length ? [`; secret-related fields set: `, d.secretFields.join(", ")] : [];
      return { text: [{ strong: "Datasource added" }, ": ", ...label, ...(d.url.after ? [" at ", { code: d.url.after }] : []), ...secrets] };
    }
    if (d.status === "removed") return { text: [{ strong: "Datasource removed" }, ": ", ...label] };
    const children = d.fields.map((f) => {
      const cat = f.category === "correlation" ? "correlation " : f.category === "secret" ? "secret " : f.category === "setting" ? "" : "";
      return { text: fieldInline(f, f.category === "url" ? "URL" : `${cat}${f.path}`) };
    });
    return { text: [{ strong: "Datasource changed" }, ": ", ...label], children };
  });
}

function ruleItems(list: RuleChange[]): Item[] {
  return list.map((r) => {
    const noun = r.kind === "alert" ? "Alert" : "Recording rule";
    const label: Inline[] = [{ code: r.name }, " in group ", { code: r.group }, r.source === "grafana" ? " (Grafana-managed)" : ""];
    if (r.status !== "changed") {
      const children: Item[] = [];
      if (r.expr.before ?? r.expr.after) children.push({ text: ["expr: ", { code: clip((r.expr.after ?? r.expr.before)!, 400) }] });
      if (r.for?.after ?? r.for?.before) children.push({ text: ["for: ", { code: (r.for.after ?? r.for.before)! }] });
      const sev = r.severity?.after ?? r.severity?.before;
      if (sev) children.push({ text: ["severity: ", { code: sev }] });
      return { text: [{ strong: `${noun} ${r.status}` }, ": ", ...label], children };
    }
    const children: Item[] = [];
    const title: Inline[] = [{ strong: `${noun} changed` }, ": ", ...label];
    if (r.threshold) {
      // The same level in several places (one per job, say) reads as one value.
      const same = (xs: string[]) => xs.length > 1 && xs.every((x) => x === xs[0]);
      const { before, after } = r.threshold;
      const uniform = same(before) && same(after) && before.length === after.length;
      const show = (xs: string[]) => (uniform ? xs[0] : xs.join(", "));
      children.push({
        text: [{ strong: "threshold" }, ": ", { code: show(before) }, " → ", { code: show(after) }, uniform ? ` (in ${before.length} places)` : ""],
      });
    }
    if (r.severity) {
      children.push({ text: ["⚠️ ", { strong: "severity" }, ": ", { code: r.severity.before ?? "(none)" }, " → ", { code: r.severity.after ?? "(none)" }] });
    }
    if (r.expr.words) children.push({ text: ["expr: ", { words: r.expr.words }] });
    if (r.for) children.push({ text: ["for: ", { code: r.for.before ?? "(none)" }, " → ", { code: r.for.after ?? "(none)" }] });
    children.push(...r.labels.filter((l) => l.path !== "severity").map((l) => ({ text: fieldInline(l, `label ${l.path}`) })));
    children.push(...r.annotations.map((a) => ({ text: fieldInline(a, `annotation ${a.path}`) })));
    children.push(...fieldItems(r.fields));
    children.push(...(r.queries ?? []).map(queryItem));
    return { text: title, children };
  });
}

const LIST_NOUN: Record<string, string> = {
  folders: "Folder",
  scrape_configs: "Scrape job",
  receivers: "Receiver",
  inhibit_rules: "Inhibit rule",
  time_intervals: "Time interval",
  contactPoints: "Contact point",
  policies: "Notification policy",
  templates: "Template",
  muteTimes: "Mute timing",
  deleteRules: "Rule deletion",
  deleteContactPoints: "Contact point deletion",
};

/** Inline pieces linking (or embedding) a dashboard's layout picture; undefined when there is none. */
export type ImageLinks = (d: DashboardChange) => Inline[] | undefined;

export function sideLabel(s: DiffReport["base"]): string {
  return s.commit && s.ref && !s.commit.startsWith(s.ref) ? `${s.ref} (${s.commit.slice(0, 7)})` : s.label;
}

export function reportBlocks(r: DiffReport, images: ImageLinks = () => undefined): Block[] {
  const blocks: Block[] = [];
  blocks.push({ para: [{ code: sideLabel(r.base) }, " → ", { code: sideLabel(r.head) }] });
  if (!r.changed) {
    blocks.push({ para: [{ strong: "No changes" }, ": dashboards, datasources, alerts and configuration are semantically identical."] });
    return blocks;
  }
  blocks.push({ para: [{ strong: r.headline }] });
  if (r.dashboards.length) {
    blocks.push({ heading: ["Dashboards"], level: 3 });
    for (const d of r.dashboards) blocks.push(...dashboardBlocks(d, r, images));
  }
  if (r.alerts.length || r.ruleGroups.length) {
    blocks.push({ heading: ["Alerts and rules"], level: 3 });
    // Rules of an added or removed group are listed under it; the others on their own.
    const whole = new Set(r.ruleGroups.filter((g) => g.status !== "changed").map((g) => `${g.source}|${g.group}`));
    const inGroup = (a: RuleChange) => whole.has(`${a.source}|${a.group}`);
    const groups: Item[] = r.ruleGroups.map((g) => {
      const rules = r.alerts.filter((a) => a.source === g.source && a.group === g.group && inGroup(a));
      const alerts = rules.filter((a) => a.kind === "alert").length;
      const counts = g.status === "changed" ? "" : ` (${alerts} alert${alerts === 1 ? "" : "s"}, ${rules.length - alerts} recording rule${rules.length - alerts === 1 ? "" : "s"})`;
      return {
        text: [{ strong: `Rule group ${g.status}` }, ": ", { code: g.group }, g.source === "grafana" ? " (Grafana-managed)" : "", counts],
        children: [...g.fields.map((f) => ({ text: fieldInline(f) })), ...ruleItems(rules)],
      };
    });
    blocks.push({ list: [...groups, ...ruleItems(r.alerts.filter((a) => !inGroup(a)))] });
    const diffs = r.alerts
      .filter((a) => a.expr.words && a.expr.before !== undefined && a.expr.after !== undefined)
      .map((a) => ({ title: [{ strong: a.name }] as Inline[], lines: lineDiff(formatQuery(a.expr.before!, a.expr.lang), formatQuery(a.expr.after!, a.expr.lang)) }));
    if (diffs.length) blocks.push({ diffs, summary: `Changed alert expressions, formatted (${diffs.length})` });
  }
  if (r.datasources.length) {
    blocks.push({ heading: ["Datasources"], level: 3 });
    blocks.push({ list: datasourceItems(r.datasources) });
  }
  for (const s of r.sections) {
    blocks.push({ heading: [s.section], level: 3 });
    const items = s.items.flatMap((i) => namedItems([i], LIST_NOUN[i.list ?? ""] ?? "Item"));
    blocks.push({ list: [...items, ...s.settings.map((c) => ({ text: fieldInline(c) }))] });
  }
  if (r.files.length) {
    blocks.push({ heading: ["Other files"], level: 3 });
    blocks.push({ list: r.files.map((f) => ({ text: [{ strong: `${f.status}` }, ": ", { code: f.path }] })) });
  }
  if (r.warnings.length) {
    blocks.push({ heading: ["Warnings"], level: 3 });
    blocks.push({ list: r.warnings.map((w) => ({ text: [w] })) });
  }
  return blocks;
}
