// Dashboards that are not our definitions: JSON files named on the command line (a Grafana export, a
// `{ "dashboard": … }` API response, or a Kubernetes-style resource). The file is untrusted: size,
// nesting, panel count and shape are checked before anything reads it, and each refusal is one line
// naming the file and the field.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export const MAX_DASHBOARD_BYTES = 8 * 1024 * 1024;
export const MAX_PANELS = 1000;
export const MAX_JSON_DEPTH = 64;

/** A file lint cannot read as a dashboard (exit 2). */
export interface Unreadable {
  file: string;
  message: string;
}

export interface ExternalDashboard {
  /** As shown in findings (relative to the working directory when inside it). */
  file: string;
  /** The file's text, for lines, SARIF regions and --fix. */
  text: string;
  form: "export" | "api" | "kubernetes";
  /** JSON Pointer of the dashboard object inside the file: "", "/dashboard" or "/spec". */
  pointer: string;
  json: Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Files named on the command line: files as they are, directories walked for *.json (sorted, dot-folders and node_modules skipped). */
export function inputFiles(args: readonly string[], cwd: string): { files: { path: string; label: string }[]; unreadable: Unreadable[] } {
  const files: { path: string; label: string }[] = [];
  const unreadable: Unreadable[] = [];
  const label = (p: string) => {
    const r = relative(cwd, p);
    return r && !r.startsWith("..") ? r : p;
  };
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch (e) {
      unreadable.push({ file: label(dir), message: `cannot read the directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules") walk(p);
      else if (e.isFile() && e.name.endsWith(".json")) files.push({ path: p, label: label(p) });
    }
  };
  for (const arg of args) {
    const p = join(arg.startsWith("/") ? "" : cwd, arg);
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      unreadable.push({ file: arg, message: (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : `cannot read it (${(e as Error).message})` });
      continue;
    }
    if (st.isDirectory()) walk(p);
    else files.push({ path: p, label: label(p) });
  }
  return { files, unreadable };
}

/** Deepest nesting of objects and arrays, scanning the text (strings skipped); stops past `limit`. */
function depthOver(text: string, limit: number): { line: number } | undefined {
  let depth = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 34) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 123 || c === 91) {
      if (++depth > limit) return { line };
    } else if (c === 125 || c === 93) depth--;
  }
  return undefined;
}

function kind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a JSON array";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

/** The dashboard inside a parsed file, or why there is none. */
export function extractDashboard(value: unknown): { form: ExternalDashboard["form"]; pointer: string; json: Record<string, unknown> } | { error: string } {
  if (!isRecord(value)) return { error: `the file is ${kind(value)}, not a dashboard object` };
  if (typeof value.apiVersion === "string" && value.apiVersion.startsWith("dashboard.grafana.app/")) {
    if (!isRecord(value.spec)) return { error: `spec: ${kind(value.spec)}, expected the dashboard object of the ${value.apiVersion} resource` };
    if ("elements" in value.spec || "layout" in value.spec) return { error: `spec: the v2 dashboard schema (elements/layout) of ${value.apiVersion} is not supported; export the dashboard as classic JSON` };
    const json = { ...value.spec };
    const name = isRecord(value.metadata) ? value.metadata.name : undefined;
    if (json.uid === undefined && typeof name === "string") json.uid = name;
    return { form: "kubernetes", pointer: "/spec", json };
  }
  if ("dashboard" in value && !("panels" in value) && !("templating" in value)) {
    if (!isRecord(value.dashboard)) return { error: `dashboard: ${kind(value.dashboard)}, expected the dashboard object of an API response` };
    return { form: "api", pointer: "/dashboard", json: value.dashboard };
  }
  if (!("panels" in value) && !("templating" in value) && !("rows" in value)) {
    return { error: "not a Grafana dashboard: no panels, templating or rows field (nor dashboard, nor a dashboard.grafana.app resource)" };
  }
  return { form: "export", pointer: "", json: value };
}

function countPanels(json: Record<string, unknown>): number | string {
  let n = 0;
  const lists: [unknown, string][] = [[json.panels, "panels"]];
  if (Array.isArray(json.rows)) json.rows.forEach((r, i) => lists.push([isRecord(r) ? r.panels : undefined, `rows[${i}].panels`]));
  while (lists.length) {
    const [list, where] = lists.pop()!;
    if (list === undefined) continue;
    if (!Array.isArray(list)) return `${where}: ${kind(list)}, expected a list of panels`;
    n += list.length;
    list.forEach((p, i) => {
      if (isRecord(p) && p.panels !== undefined) lists.push([p.panels, `${where}[${i}].panels`]);
    });
  }
  return n;
}

/** Reads one file as a dashboard; a string back is why it cannot be linted. */
export function readDashboardFile(path: string, label: string): ExternalDashboard | string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    return `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  if (size > MAX_DASHBOARD_BYTES) return `${size} bytes is over the limit of ${MAX_DASHBOARD_BYTES} bytes for a dashboard`;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return "is not valid UTF-8";
  }
  const deep = depthOver(text, MAX_JSON_DEPTH);
  if (deep) return `line ${deep.line}: nested more than ${MAX_JSON_DEPTH} levels deep`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return `invalid JSON: ${(e as Error).message.split("\n")[0]}`;
  }
  const found = extractDashboard(value);
  if ("error" in found) return found.error;
  const panels = countPanels(found.json);
  if (typeof panels === "string") return panels;
  if (panels > MAX_PANELS) return `panels: ${panels} panels is over the limit of ${MAX_PANELS} for one dashboard`;
  if (found.json.templating !== undefined && !(isRecord(found.json.templating) && (found.json.templating.list === undefined || Array.isArray(found.json.templating.list)))) {
    return `templating: expected an object with a list of variables`;
  }
  return { file: label, text, ...found };
}
