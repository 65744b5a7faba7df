// Deterministic serialisation: keys sorted at every depth, fixed indentation, trailing newline, so a
// pull request diff shows only real changes.
import { stringify } from "yaml";

/**
 * `keys` sorted in place as `keys.sort()` sorts them (UTF-16 code units), and returned. Objects have
 * a few keys: an insertion sort allocates nothing, where Array.prototype.sort allocates its work
 * arrays on every call (a fifth of what a 1,000-dashboard build allocated went to sorting keys).
 */
export function sortKeys(keys: string[]): string[] {
  if (keys.length > 32) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i];
    let j = i - 1;
    if (!(k < keys[j])) continue;
    while (j >= 0 && k < keys[j]) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

export function sortKeysDeep<T>(v: T): T {
  // The build's value walk (src/validate/emittedValues.ts) reports these with their place; reaching
  // here means a value skipped it, and JSON would silently turn it into null.
  if (typeof v === "number" && !Number.isFinite(v)) throw new Error(`refusing to serialise ${v}: only finite numbers can be written`);
  if (Array.isArray(v)) return v.map(sortKeysDeep) as T;
  if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const k of sortKeys(Object.keys(v))) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeysDeep(x);
    }
    return out as T;
  }
  return v;
}

export function stableStringifyJson(v: unknown): string {
  return JSON.stringify(inStableOrder(v), null, 2) + "\n";
}

// Values whose maker put every key in order at every depth and never changes them again (a
// dashboard the build has just copied out of the SDK and completed, src/pipeline/dashboards.ts).
const IN_ORDER = new WeakSet<object>();

/** Declares `v` in stableStringifyJson's order at every depth, and that nothing will change it. */
export function markInStableOrder(v: object): void {
  IN_ORDER.add(v);
}

/**
 * stableStringifyJson of a value the build's value walk (src/validate/emittedValues.ts) passed: a
 * value marked by markInStableOrder is serialised as it is, without a walk to check its order.
 */
export function stableStringifyChecked(v: unknown): string {
  return typeof v === "object" && v !== null && IN_ORDER.has(v) ? JSON.stringify(v, null, 2) + "\n" : stableStringifyJson(v);
}

/**
 * What sortKeysDeep gives for serialising, but sharing every part of `v` already in that order
 * instead of copying it: a built dashboard comes out of the build with its keys sorted
 * (src/pipeline/dashboards.ts), so serialising it makes no second copy. The result is not a copy:
 * for writing out at once, or for a reader that changes neither it nor `v`.
 */
export function inStableOrder<T>(v: T): T {
  if (typeof v === "number" && !Number.isFinite(v)) throw new Error(`refusing to serialise ${v}: only finite numbers can be written`);
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = inStableOrder(v[i]);
      if (x !== v[i] && !out) out = v.slice(0, i);
      if (out) out.push(x);
    }
    return (out ?? v) as T;
  }
  if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const keys = Object.keys(v);
    const o = v as Record<string, unknown>;
    // Each value visited once; a new object for this level only when its keys are out of order, one
    // is undefined (the copy drops it) or a value below changed: its values still share what is in order.
    let values: unknown[] | undefined;
    for (let i = 0; i < keys.length; i++) {
      const x = o[keys[i]];
      const y = x === undefined ? x : inStableOrder(x);
      if (!values && (y !== x || x === undefined || (i > 0 && !(keys[i - 1] < keys[i])))) values = keys.slice(0, i).map((k) => o[k]);
      if (values) values.push(y);
    }
    if (!values) return v;
    const at = new Map(keys.map((k, i) => [k, values![i]]));
    const out: Record<string, unknown> = {};
    for (const k of sortKeys(keys)) if (at.get(k) !== undefined) out[k] = at.get(k);
    return out as T;
  }
  return v;
}

export function stableStringifyYaml(v: unknown, header?: string): string {
  const sorted = sortKeysDeep(v);
  const body = stringify(sorted, { lineWidth: 0, indent: 2, aliasDuplicateObjects: false });
  const text = (header ? header.replace(/^/gm, "# ") + "\n" : "") + body;
  if (isPlainData(sorted)) remember(text, sorted);
  return text;
}

// The build lints the YAML files it has just written (rule files, provisioning), and parsing YAML
// text is slow (a third of the lint of this repository's build). A text stableStringifyYaml wrote in
// this process is answered from the value it was written from: for plain data, parsing the text
// gives that value back exactly (test/emit/stable-yaml.test.ts). A few hundred recent texts are kept,
// so a long --watch session does not grow.
const RECENT_YAML = new Map<string, unknown>();
const RECENT_YAML_MAX = 256;

function remember(text: string, value: unknown): void {
  RECENT_YAML.delete(text);
  RECENT_YAML.set(text, value);
  if (RECENT_YAML.size > RECENT_YAML_MAX) RECENT_YAML.delete(RECENT_YAML.keys().next().value!);
}

/**
 * What parsing `text` as YAML gives, when stableStringifyYaml wrote that exact text lately in this
 * process (a copy the caller may change); undefined otherwise (then parse it).
 */
export function writtenYaml(text: string): { value: unknown } | undefined {
  return RECENT_YAML.has(text) ? { value: structuredClone(RECENT_YAML.get(text)) } : undefined;
}

/**
 * JSON-like data YAML reads back as written: strings (well-formed UTF-16, no U+FEFF), finite numbers but -0,
 * booleans, null, arrays and plain objects (no "__proto__" key) of those.
 */
function isPlainData(v: unknown): boolean {
  if (v === null || typeof v === "boolean") return true;
  // A lone surrogate; a byte order mark (a parser drops one that starts the document).
  if (typeof v === "string") return !/\p{Cs}|\uFEFF/u.test(v);
  if (typeof v === "number") return Number.isFinite(v) && !Object.is(v, -0);
  if (Array.isArray(v)) return v.every(isPlainData);
  if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    return !Object.hasOwn(v, "__proto__") && Object.entries(v).every(([k, x]) => isPlainData(k) && isPlainData(x));
  }
  return false;
}
