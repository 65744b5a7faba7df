// --fix: the mechanical findings of a dashboard JSON file rewritten in place. Each fix is an edit of
// the file's text at the byte range of one value (or an inserted member), so key order, indentation
// and every other byte stay as they were; a second run finds nothing left to change. Fixed: query
// variables (multi, allValue `.+` for $job/$instance, refresh on time range change), editable,
// rate()/irate() ranges → $__rate_interval, and fixed datasource uids → a datasource variable of the
// same type (added, preset to that uid, when the dashboard has none).
import type { ExternalDashboard } from "./external.js";
import { dashboardPointers, pointerOf } from "./externalLint.js";
import { jsonSpans, lineIndex, type Span } from "./jsonPositions.js";
import { nodesNamed, textOf, tree } from "../query/analysis.js";
import type { Finding } from "./types.js";

export interface FixChange {
  line: number;
  rule: string;
  what: string;
}

interface Edit {
  start: number;
  end: number;
  text: string;
  seq: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const RATE_FNS = new Set(["rate", "irate"]);
const RATE_INTERVAL = /^\$(__rate_interval|\{__rate_interval\})$/;

/** The expression with every rate()/irate() range that is not $__rate_interval replaced by it. */
export function withRateInterval(expr: string): string {
  const ranges: [number, number][] = [];
  for (const call of nodesNamed(tree("promql", expr), "FunctionCall")) {
    if (!RATE_FNS.has(textOf(expr, call.getChild("FunctionIdentifier")))) continue;
    let arg = call.getChild("FunctionCallBody")?.firstChild ?? null;
    while (arg && arg.name === "ParenExpr") arg = arg.firstChild;
    if (arg?.name !== "MatrixSelector") continue;
    const sel = arg.getChild("VectorSelector");
    const open = expr.indexOf("[", sel?.to ?? arg.from);
    const close = expr.indexOf("]", open);
    if (open < 0 || close < 0 || close > arg.to) continue;
    if (!RATE_INTERVAL.test(expr.slice(open + 1, close).trim())) ranges.push([open + 1, close]);
  }
  let out = expr;
  for (const [a, b] of ranges.sort((x, y) => y[0] - x[0])) out = `${out.slice(0, a)}$__rate_interval${out.slice(b)}`;
  return out;
}

/** Get at a value of the parsed dashboard by a pointer relative to the file. */
function valueAt(d: ExternalDashboard, pointer: string): unknown {
  const rel = pointer.slice(d.pointer.length).split("/").slice(1);
  let v: unknown = d.json;
  for (const t of rel) v = isRecord(v) || Array.isArray(v) ? (v as Record<string, unknown>)[t.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
  return v;
}

export function fixDashboard(d: ExternalDashboard, findings: readonly Finding[]): { text: string; changes: FixChange[] } {
  const text = d.text;
  const spans = jsonSpans(text);
  const lineOf = lineIndex(text);
  const pointers = dashboardPointers(d);
  const children = new Map<string, string[]>();
  for (const p of spans.keys()) {
    if (!p) continue;
    const parent = p.slice(0, p.lastIndexOf("/"));
    children.set(parent, [...(children.get(parent) ?? []), p]);
  }
  const unit = /\n([ \t]+)"/.exec(text)?.[1] ?? "";
  const colon = /"\s*:\s/.test(text) ? ": " : ":";
  const edits: Edit[] = [];
  const changes: FixChange[] = [];
  const seen = new Set<string>();
  const change = (at: number, rule: string, what: string) => changes.push({ line: lineOf(at), rule, what });

  const lastChild = (ptr: string): Span | undefined => {
    const list = children.get(ptr);
    return list?.length ? spans.get(list[list.length - 1]) : undefined;
  };
  const indentOf = (offset: number) => {
    const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
    const lead = text.slice(lineStart, offset);
    return /^[ \t]*$/.test(lead) ? lead : undefined;
  };
  /** A value as JSON text at an indentation (multi-line when the file is). */
  const render = (value: unknown, indent: string) => (unit ? JSON.stringify(value, null, unit).replace(/\n/g, `\n${indent}`) : JSON.stringify(value));

  const setMember = (obj: string, key: string, value: unknown, rule: string, what: string) => {
    const id = `${obj}/${key}`;
    if (seen.has(id)) return;
    seen.add(id);
    const existing = spans.get(id);
    const json = JSON.stringify(value);
    if (existing) {
      if (text.slice(existing.start, existing.end) === json) return;
      edits.push({ start: existing.start, end: existing.end, text: json, seq: edits.length });
      change(existing.keyStart ?? existing.start, rule, `${what} (was ${text.slice(existing.start, existing.end)})`);
      return;
    }
    const host = spans.get(obj);
    const last = lastChild(obj);
    if (!host) return;
    if (!last) {
      edits.push({ start: host.start + 1, end: host.start + 1, text: `"${key}"${colon}${json}`, seq: edits.length });
      change(host.start, rule, what);
      return;
    }
    const indent = indentOf(last.keyStart ?? last.start);
    const sep = indent !== undefined && unit ? `,\n${indent}` : colon === ": " ? ", " : ",";
    edits.push({ start: last.end, end: last.end, text: `${sep}"${key}"${colon}${json}`, seq: edits.length });
    change(last.end, rule, what);
  };

  // Datasource variables by type; ones this run adds are appended to templating.list once.
  const list = valueAt(d, `${d.pointer}/templating/list`);
  const dsVars = new Map<string, string>();
  if (Array.isArray(list)) for (const v of list) if (isRecord(v) && v.type === "datasource" && typeof v.query === "string" && typeof v.name === "string" && !dsVars.has(v.query)) dsVars.set(v.query, v.name);
  const added: Record<string, unknown>[] = [];

  for (const f of findings) {
    const ptr = pointerOf(d, f, pointers);
    const v = valueAt(d, ptr);
    if (f.rule === "dashboard-editable") setMember(d.pointer, "editable", false, f.rule, "editable: false");
    else if (f.rule === "template-refresh" && isRecord(v)) setMember(ptr, "refresh", 2, f.rule, `$${String(v.name)} refreshes on time range change (refresh: 2)`);
    else if (f.rule === "template-job-instance" && isRecord(v) && v.type === "query") {
      if (v.multi !== true) setMember(ptr, "multi", true, f.rule, `$${String(v.name)} is multi-select`);
      if (v.allValue !== ".+") setMember(ptr, "allValue", ".+", f.rule, `$${String(v.name)} All value is .+`);
    } else if (f.rule === "target-rate-interval" && f.targetIndex !== undefined && isRecord(v) && typeof v.expr === "string") {
      const next = withRateInterval(v.expr);
      const span = spans.get(`${ptr}/expr`);
      if (next !== v.expr && span && !seen.has(`${ptr}/expr`)) {
        seen.add(`${ptr}/expr`);
        edits.push({ start: span.start, end: span.end, text: JSON.stringify(next), seq: edits.length });
        change(span.start, f.rule, `query ${f.refId ?? f.targetIndex}: rate()/irate() range over $__rate_interval`);
      }
    } else if (f.rule === "panel-datasource" && isRecord(v) && isRecord(v.datasource)) {
      const { uid, type } = v.datasource;
      if (typeof uid !== "string" || !uid || typeof type !== "string" || !type || uid.startsWith("$")) continue;
      let name = dsVars.get(type);
      if (!name) {
        if (!Array.isArray(list)) continue; // no templating.list to add a variable to: left as reported
        name = `${type}_datasource`;
        dsVars.set(type, name);
        const title = type.charAt(0).toUpperCase() + type.slice(1);
        added.push({ current: { text: uid, value: uid }, hide: 0, label: `${title} data source`, name, query: type, refresh: 1, type: "datasource" });
      }
      setMember(`${ptr}/datasource`, "uid", `\${${name}}`, f.rule, `datasource uid "${uid}" → \${${name}}`);
    }
  }

  if (added.length) {
    const listPtr = `${d.pointer}/templating/list`;
    const host = spans.get(listPtr)!;
    const last = lastChild(listPtr);
    const indent = last ? indentOf(last.start) ?? "" : "";
    const body = added.map((x) => render(x, indent));
    const insert = last ? `${unit ? `,\n${indent}` : ","}${body.join(unit ? `,\n${indent}` : ",")}` : body.join(",");
    edits.push({ start: last ? last.end : host.start + 1, end: last ? last.end : host.start + 1, text: insert, seq: edits.length });
    for (const x of added) change(last ? last.end : host.start, "panel-datasource", `added datasource variable $${String(x.name)} (type ${String(x.query)}, preset to uid "${String((x.current as { value: string }).value)}")`);
  }

  edits.sort((a, b) => a.start - b.start || a.seq - b.seq);
  let out = "";
  let cursor = 0;
  for (const e of edits) {
    if (e.start < cursor) continue; // overlaps an earlier edit: left for the next run
    out += text.slice(cursor, e.start) + e.text;
    cursor = e.end;
  }
  out += text.slice(cursor);
  changes.sort((a, b) => a.line - b.line);
  return { text: out, changes };
}
