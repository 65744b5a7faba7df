// Datasource references of an imported dashboard. References that match a provisioned datasource by
// type — a concrete uid or a `${DS_*}` input of a UI export — are pointed at the provisioned uid, which
// generated code spells `ctx.datasources.<type>`. Template-variable references and Grafana's built-in
// datasources stay as they are; anything else is kept and reported.
import { DATASOURCE_UIDS, type DatasourceKey } from "../datasourceUids.js";
import type { ExportInput } from "./input.js";

export interface DatasourceNote {
  action: "mapped" | "variable" | "builtin" | "kept";
  /** The reference as it came in, e.g. `${DS_PROMETHEUS}` or a uid. */
  original: string;
  type?: string;
  key?: DatasourceKey;
  count: number;
  message: string;
}

export interface MappedRef {
  /** Key of the provisioned datasource, for mapped references. */
  key?: DatasourceKey;
  /** Template variable a reference points at (`${datasource}` → "datasource"). */
  variable?: string;
}

export interface DatasourceMapping {
  /** The dashboard with mapped references (a copy). */
  dashboard: Record<string, unknown>;
  /** Reference objects in `dashboard` that are mapped or point at a variable, for readable code. */
  refs: Map<object, MappedRef>;
  /** Original uid → new uid. */
  uids: Map<string, string>;
  /** Legacy string references (`"datasource": "${DS_PROMETHEUS}"`) → the reference object written instead. */
  stringRefs: Map<string, Record<string, unknown>>;
  /** `${VAR_*}` constant inputs → value. */
  constants: Map<string, string>;
  notes: DatasourceNote[];
}

const PROVISIONED = new Set<string>(Object.keys(DATASOURCE_UIDS));
const BUILTIN_UIDS = new Set([
  "grafana",
  "-- Grafana --",
  "-- Mixed --",
  "-- Dashboard --",
  "__expr__",
  "__sql_expression__",
]);
const BUILTIN_TYPES = new Set(["datasource", "grafana", "__expr__", "dashboard", "mixed"]);

export function variableName(s: string): string | undefined {
  const m = /^\$\{([\w.]+)(?::[\w]+)?\}$/.exec(s) ?? /^\$([\w]+)$/.exec(s) ?? /^\[\[([\w]+)\]\]$/.exec(s);
  return m?.[1];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * `variablesFirst` (the idiomatic import): an input that is also the name of a datasource variable of
 * the dashboard (`${DS_PROMETHEUS}` both) stays a reference to the variable, so panels follow the
 * datasource picker the dashboard declares. Grafana's own import, and --exact, put the chosen uid in.
 */
export function mapDatasources(
  dashboard: Record<string, unknown>,
  inputs: ExportInput[],
  opts: { variablesFirst?: boolean } = {},
): DatasourceMapping {
  const list = isObject(dashboard.templating) ? dashboard.templating.list : undefined;
  const dsVariables = new Set(
    (Array.isArray(list) ? list : [])
      .filter((v) => isObject(v) && v.type === "datasource" && typeof v.name === "string")
      .map((v) => (v as { name: string }).name),
  );
  const variables = new Set(
    (Array.isArray(list) ? list : [])
      .map((v) => (isObject(v) ? v.name : undefined))
      .filter((n): n is string => typeof n === "string" && !!n),
  );
  const dsInputs = new Map(
    inputs
      .filter((i) => i.type === "datasource" && !(opts.variablesFirst && dsVariables.has(i.name)))
      .map((i) => [i.name, i]),
  );
  const constants = new Map(
    inputs
      .filter((i) => i.type === "constant" && i.value !== undefined)
      .map((i) => [i.name, i.value!] as [string, string]),
  );
  const refs = new Map<object, MappedRef>();
  const uids = new Map<string, string>();
  const notes = new Map<string, DatasourceNote>();
  const note = (n: Omit<DatasourceNote, "count">) => {
    const k = `${n.action}\u0000${n.original}\u0000${n.type ?? ""}`;
    const seen = notes.get(k);
    if (seen) seen.count++;
    else notes.set(k, { ...n, count: 1 });
  };

  const substitute = (s: string): string =>
    constants.size ? s.replace(/\$\{(\w+)\}/g, (m, name: string) => constants.get(name) ?? m) : s;

  const mapRef = (ref: Record<string, unknown>): Record<string, unknown> => {
    const uid = typeof ref.uid === "string" ? ref.uid : undefined;
    const type = typeof ref.type === "string" ? ref.type : undefined;
    if (uid === undefined) return ref;
    const name = variableName(uid);
    if (name !== undefined && dsInputs.has(name)) {
      const input = dsInputs.get(name)!;
      const pluginId = input.pluginId ?? type;
      if (pluginId && PROVISIONED.has(pluginId) && (!type || type === pluginId)) {
        const key = pluginId as DatasourceKey;
        uids.set(uid, DATASOURCE_UIDS[key]);
        note({
          action: "mapped",
          original: uid,
          type: pluginId,
          key,
          message: `input ${uid} (${pluginId}) → provisioned "${DATASOURCE_UIDS[key]}" (ctx.datasources.${key})`,
        });
        const mapped = { ...ref, uid: DATASOURCE_UIDS[key] };
        refs.set(mapped, { key });
        return mapped;
      }
      note({
        action: "kept",
        original: uid,
        type: pluginId,
        message: `input ${uid} (${pluginId ?? "unknown type"}) has no provisioned datasource of that type; kept as is`,
      });
      return ref;
    }
    if (name !== undefined) {
      if (variables.has(name)) {
        note({
          action: "variable",
          original: uid,
          type,
          message: `${uid} refers to the dashboard variable "${name}"; kept`,
        });
        const copy = { ...ref };
        refs.set(copy, { variable: name });
        return copy;
      }
      note({
        action: "kept",
        original: uid,
        type,
        message: `${uid} is neither an input nor a dashboard variable; kept as is`,
      });
      return ref;
    }
    if (BUILTIN_UIDS.has(uid) || (type && BUILTIN_TYPES.has(type))) {
      note({ action: "builtin", original: uid, type, message: `built-in datasource ${uid}; kept` });
      return ref;
    }
    if (type && PROVISIONED.has(type)) {
      const key = type as DatasourceKey;
      if (uid !== DATASOURCE_UIDS[key]) uids.set(uid, DATASOURCE_UIDS[key]);
      note({
        action: "mapped",
        original: uid,
        type,
        key,
        message: `uid "${uid}" (${type}) → provisioned "${DATASOURCE_UIDS[key]}" (ctx.datasources.${key})`,
      });
      const mapped = { ...ref, uid: DATASOURCE_UIDS[key] };
      refs.set(mapped, { key });
      return mapped;
    }
    const provisionedKey = (Object.keys(DATASOURCE_UIDS) as DatasourceKey[]).find((k) => DATASOURCE_UIDS[k] === uid);
    if (provisionedKey && !type) {
      note({ action: "mapped", original: uid, key: provisionedKey, message: `uid "${uid}" is provisioned already` });
      const copy = { ...ref };
      refs.set(copy, { key: provisionedKey });
      return copy;
    }
    note({
      action: "kept",
      original: uid,
      type,
      message: `uid "${uid}" (${type ?? "no type"}) matches no provisioned datasource; kept as is`,
    });
    return ref;
  };

  const stringRefs = new Map<string, Record<string, unknown>>();
  // Legacy references by name. A `${DS_*}` input of a provisioned type becomes the {type, uid} reference
  // Grafana would make of it on import (and its schema migration 33); names are kept.
  const mapStringRef = (s: string): unknown => {
    const name = variableName(s);
    const input = name !== undefined ? dsInputs.get(name) : undefined;
    if (input?.pluginId && PROVISIONED.has(input.pluginId)) {
      const key = input.pluginId as DatasourceKey;
      const ref = { type: key, uid: DATASOURCE_UIDS[key] };
      refs.set(ref, { key });
      stringRefs.set(s, ref);
      note({
        action: "mapped",
        original: s,
        type: key,
        key,
        message: `legacy reference "${s}" (input, ${key}) → { type: "${key}", uid: ctx.datasources.${key} }`,
      });
      return ref;
    }
    if (name !== undefined && variables.has(name))
      note({
        action: "variable",
        original: s,
        message: `legacy reference "${s}" names the dashboard variable "${name}"; kept`,
      });
    else if (BUILTIN_UIDS.has(s)) note({ action: "builtin", original: s, message: `built-in datasource ${s}; kept` });
    else
      note({
        action: "kept",
        original: s,
        message: `legacy datasource reference by name "${s}"; kept as is (Grafana looks it up by name)`,
      });
    return substitute(s);
  };

  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === "string") return key === "datasource" ? mapStringRef(v) : substitute(v);
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (!isObject(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === "__inputs" || k === "__requires" || k === "__elements") {
        out[k] = x;
        continue;
      }
      out[k] = walk(x, k);
    }
    if (key === "datasource") return mapRef(out);
    return out;
  };
  const mapped = walk(dashboard) as Record<string, unknown>;
  return { dashboard: mapped, refs, uids, stringRefs, constants, notes: [...notes.values()] };
}
