// Dashboards lint reads are untrusted JSON (a tree on disk, someone else's export). Rules are written
// against the SDK's types, so the context hands them a copy in which every field a rule reads has the
// type the rules expect (the dashboard itself when every field has); a field of another type is left out of that copy and reported (rule
// dashboard-shape) with dashboard, panel and the field's path. Other fields are kept as they are.
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { formatPath } from "../validate/emittedValues.js";

export interface ShapeIssue {
  panelTitle?: string;
  path: string;
  message: string;
}

type Kind = "string" | "number" | "boolean" | "object" | "array" | "string|object" | "string|number" | "number|string|boolean";
/** A field's kind, or for an object its fields, or for a list the shape of its items. */
type Spec = Kind | { fields: Record<string, Spec> } | { items: Spec };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  return `${JSON.stringify(v)} (a ${typeof v})`;
}

// Each kind as a test (compile below makes each spec's test once).
const KIND_TEST: Record<string, (v: unknown) => boolean> = {
  object: isRecord,
  array: Array.isArray,
  string: (v) => typeof v === "string",
  number: (v) => typeof v === "number",
  boolean: (v) => typeof v === "boolean",
};

const LINK: Spec = { fields: { url: "string", title: "string" } };
const LINKS: Spec = { items: LINK };
const DATASOURCE: Spec = "string|object";
const TARGET: Spec = { fields: { expr: "string", refId: "string", legendFormat: "string", query: "string|object", datasource: DATASOURCE } };
const FIELD_CONFIG: Spec = {
  fields: {
    defaults: { fields: { links: LINKS, thresholds: "object", custom: "object" } },
    overrides: { items: { fields: { matcher: "object", properties: { items: { fields: { id: "string" } } } } } },
  },
};
const PANEL_FIELDS: Record<string, Spec> = {
  type: "string",
  title: "string",
  description: "string",
  id: "number",
  gridPos: "object",
  datasource: DATASOURCE,
  targets: { items: TARGET },
  links: LINKS,
  fieldConfig: FIELD_CONFIG,
  options: "object",
  collapsed: "boolean",
};
const PANEL: Spec = { fields: { ...PANEL_FIELDS, panels: { items: { fields: PANEL_FIELDS } } } };
const VARIABLE: Spec = {
  fields: { name: "string", type: "string", label: "string", query: "string|object", definition: "string", datasource: DATASOURCE, refresh: "string|number", regex: "string", includeAll: "boolean", multi: "boolean", current: "object", options: "array" },
};
const DASHBOARD: Spec = {
  fields: {
    uid: "string",
    title: "string",
    description: "string",
    tags: { items: "string" },
    editable: "boolean",
    refresh: "string|number",
    links: LINKS,
    panels: { items: PANEL },
    templating: { fields: { list: { items: VARIABLE } } },
    annotations: { fields: { list: { items: "object" } } },
  },
};

/**
 * A spec made ready for the walk, once: a kind's test and what a finding says it expected, a list's
 * item, an object's fields as lists (the walk ran at every field of every dashboard lint reads,
 * looking kinds up by name and listing each spec's fields again).
 */
// One object shape for every node, told apart by `kind`, so that the walk's reads stay monomorphic.
export interface Compiled {
  kind: "value" | "list" | "object";
  test: (v: unknown) => boolean;
  /** A value's kinds as bits (kindBit), for the walk of the whole document (documentWalk.ts). */
  mask: number;
  expected: string;
  item: Compiled | undefined;
  keys: string[];
  specs: Compiled[];
  /** `keys` → `specs`, for a walk that meets the keys in the document's order. */
  fields: Map<string, Compiled>;
}

const KIND_BIT: Record<string, number> = { string: 1, number: 2, boolean: 4, object: 8, array: 16 };

/** A value's kind as one of KIND_BIT's bits; 0 for null, undefined and what JSON has not. */
export function kindBit(v: unknown): number {
  switch (typeof v) {
    case "string":
      return 1;
    case "number":
      return 2;
    case "boolean":
      return 4;
    case "object":
      return v === null ? 0 : Array.isArray(v) ? 16 : 8;
    default:
      return 0;
  }
}

/** Whether `v` has the kind `spec` expects (what the copy below keeps without looking inside). */
export function fits(spec: Compiled, v: unknown): boolean {
  return (spec.mask & kindBit(v)) !== 0;
}

const never = () => false;

function compile(spec: Spec): Compiled {
  const node: Compiled = { kind: "value", test: never, mask: 0, expected: "", item: undefined, keys: [], specs: [], fields: new Map() };
  if (typeof spec === "string") {
    node.mask = spec.split("|").reduce((m, k) => m | KIND_BIT[k], 0);
    const tests = spec.split("|").map((k) => KIND_TEST[k]);
    node.test = tests.length === 1 ? tests[0] : (x) => tests.some((t) => t(x));
    node.expected = spec.replace(/\|/g, " or ").replace("array", "a list").replace("object", "an object");
  } else if ("items" in spec) {
    node.kind = "list";
    node.mask = KIND_BIT.array;
    node.item = compile(spec.items);
  } else {
    node.kind = "object";
    node.mask = KIND_BIT.object;
    node.keys = Object.keys(spec.fields);
    node.specs = node.keys.map((k) => compile(spec.fields[k]));
    node.fields = new Map(node.keys.map((k, i) => [k, node.specs[i]]));
  }
  return node;
}

export const COMPILED_DASHBOARD = compile(DASHBOARD);

/** What a field of the wrong kind becomes: left out of the copy. */
const LEFT_OUT: unique symbol = Symbol("left out");

/** A copy of `json` in which the fields rules read have the expected types, and what was left out. */
export function lintableDashboard(json: Record<string, unknown>): { json: Dashboard; issues: ShapeIssue[] } {
  const issues: ShapeIssue[] = [];
  const panelTitleAt = (segments: (string | number)[]): string | undefined => {
    if (segments[0] !== "panels" || typeof segments[1] !== "number") return undefined;
    const top = (json.panels as unknown[])[segments[1]];
    const nested = segments[2] === "panels" && typeof segments[3] === "number" && isRecord(top) && Array.isArray(top.panels) ? top.panels[segments[3]] : undefined;
    const p = nested ?? top;
    const title = isRecord(p) && typeof p.title === "string" ? p.title : undefined;
    return title || `(panel at ${formatPath(segments.slice(0, nested ? 4 : 2))})`;
  };
  // The path of the value being checked, as a stack (copied only for an issue). A value whose
  // fields all have their kind comes back as it is, not copied: a built dashboard always does.
  const segments: (string | number)[] = [];
  const report = (v: unknown, expected: string): typeof LEFT_OUT => {
    const at = [...segments];
    const panelTitle = panelTitleAt(at);
    issues.push({ ...(panelTitle ? { panelTitle } : {}), path: formatPath(at), message: `${formatPath(at)} is ${kindOf(v)}; expected ${expected}` });
    return LEFT_OUT;
  };
  // The value to keep (`v` itself when it has its kind throughout), or LEFT_OUT.
  const shape = (v: unknown, spec: Compiled): unknown => {
    if (spec.kind === "value") return spec.test(v) ? v : report(v, spec.expected);
    if (spec.kind === "list") {
      if (!Array.isArray(v)) return report(v, "a list");
      let items: unknown[] | undefined; // a copy, once an item differs
      for (let i = 0; i < v.length; i++) {
        segments.push(i);
        const r = shape(v[i], spec.item!);
        segments.pop();
        if (r === v[i] && !items) continue;
        items ??= v.slice(0, i);
        if (r !== LEFT_OUT) items.push(r);
      }
      return items ?? v;
    }
    if (!isRecord(v)) return report(v, "an object");
    let out: Record<string, unknown> | undefined; // a copy, once a field differs
    const { keys, specs } = spec;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const x = v[key];
      if (x === undefined || !(key in v)) continue;
      // Grafana reads null as "not set" (exports are full of datasource: null): absent, not an issue.
      if (x === null) {
        out ??= { ...v };
        delete out[key];
        continue;
      }
      segments.push(key);
      const r = shape(x, specs[i]);
      segments.pop();
      if (r === x) continue;
      out ??= { ...v };
      if (r !== LEFT_OUT) out[key] = r;
      else delete out[key];
    }
    return out ?? v;
  };
  const r = shape(json, COMPILED_DASHBOARD);
  return { json: (r === LEFT_OUT ? {} : r) as Dashboard, issues };
}
