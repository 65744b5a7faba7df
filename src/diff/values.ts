// Generic structural comparison of parsed JSON/YAML values: leaf-level changes with readable paths,
// arrays of objects matched by their identity field, and secret-looking fields redacted.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** One leaf that differs. `before` absent: the setting was added; `after` absent: removed. */
export interface ValueChange {
  path: string;
  before?: Json;
  after?: Json;
  /** The value is secret-related: only the fact that it changed is reported, never a value. */
  secret?: true;
}

export const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** Fields that identify an element of a list, tried in this order. */
const IDENTITY_FIELDS = ["uid", "refId", "name", "job_name", "alert", "record", "title", "key"];

function identityField(a: Json[], b: Json[]): string | undefined {
  const all = [...a, ...b];
  if (!all.length || !all.every(isObject)) return undefined;
  for (const f of IDENTITY_FIELDS) {
    const ok = [a, b].every((list) => {
      const keys = list.map((x) => (x as JsonObject)[f]);
      // Short, template-free values only: a key is for reading in a path.
      const readable = (k: Json) => typeof k === "number" || (typeof k === "string" && k.length > 0 && k.length <= 64 && !/[{}\[\]\n]/.test(k));
      return keys.every(readable) && new Set(keys).size === keys.length;
    });
    if (ok) return f;
  }
  return undefined;
}

export function equal(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => equal(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => equal(a[k], b[k]));
  }
  return false;
}

const segment = (key: string) => (/^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key));
export const joinPath = (path: string, key: string) => (path ? `${path}.${segment(key)}` : segment(key));

export interface DiffOptions {
  /** Paths (as produced here) whose value is compared as a whole, never descended into. */
  atomic?: (path: string) => boolean;
  /** Is this path secret-related? Default: isSecretPath. */
  secret?: (path: string) => boolean;
  /** Compare an object (or a list of identified objects) with nothing as with an empty one, leaf by leaf. */
  descendMissing?: boolean;
}

/**
 * Leaf-level differences between two values. Objects are compared key by key; lists of objects
 * with a unique identity field (uid, refId, name, ...) element by element under `list[id=value]`;
 * other lists of the same length index by index; anything else as a whole.
 */
export function deepDiff(before: Json | undefined, after: Json | undefined, path = "", opts: DiffOptions = {}): ValueChange[] {
  const secret = opts.secret ?? isSecretPath;
  if (equal(before, after)) return [];
  const leaf = (): ValueChange[] => {
    const c: ValueChange = { path };
    if (secret(path)) c.secret = true;
    else {
      if (before !== undefined) c.before = redactDeep(before, path, secret);
      if (after !== undefined) c.after = redactDeep(after, path, secret);
    }
    return [c];
  };
  if (opts.atomic?.(path)) return leaf();
  if (opts.descendMissing && !secret(path)) {
    if (before === undefined && isObject(after)) before = {};
    if (after === undefined && isObject(before)) after = {};
    if (before === undefined && Array.isArray(after) && identityField([], after)) before = [];
    if (after === undefined && Array.isArray(before) && identityField(before, [])) after = [];
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => deepDiff(before[k], after[k], joinPath(path, k), opts));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const id = identityField(before, after);
    if (id) {
      const key = (x: Json) => String((x as JsonObject)[id]);
      const a = new Map(before.map((x) => [key(x), x]));
      const b = new Map(after.map((x) => [key(x), x]));
      const keys = [...new Set([...a.keys(), ...b.keys()])];
      // An element on one side only is reported whole (as added or removed).
      const out = keys.flatMap((k) =>
        deepDiff(a.get(k), b.get(k), `${path}[${id}=${k}]`, a.has(k) && b.has(k) ? opts : { ...opts, descendMissing: false }),
      );
      // Same elements in another order.
      if (!out.length) return leaf();
      return out;
    }
    if (before.length === after.length && before.some((x) => isObject(x) || Array.isArray(x))) {
      return before.flatMap((x, i) => deepDiff(x, after[i], `${path}[${i}]`, opts));
    }
  }
  return leaf();
}

export const REDACTED = "***";

/** A copy of a value with every secret-related field inside it replaced by ***. */
export function redactDeep(v: Json, path = "", secret: (path: string) => boolean = isSecretPath): Json {
  if (Array.isArray(v)) return v.map((x, i) => redactDeep(x, `${path}[${i}]`, secret));
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) {
      const p = joinPath(path, k);
      out[k] = secret(p) ? REDACTED : redactDeep(x, p, secret);
    }
    return out;
  }
  return v;
}

/** Field names whose values are secrets or credentials (matched on every path segment). */
const SECRET_SEGMENT = /password|passwd|token|secret|key|credential|^basicAuthUser$|^httpHeaderValue|^secureJsonData$|^(api|webhook)_?url$|_url_file$|^authorization$/i;

/** Does any segment of the path name a secret-related field? */
export function isSecretPath(path: string): boolean {
  return pathSegments(path).some((s) => SECRET_SEGMENT.test(s));
}

/** `a.b[name=x].c` → ["a", "b", "c"] (list identities are values, not field names). */
export function pathSegments(path: string): string[] {
  return path
    .replace(/\[[^\]]*\]/g, "")
    .split(".")
    .map((s) => s.replace(/^"|"$/g, ""))
    .filter(Boolean);
}

/** Hides the password (and a user name next to it) of a URL, e.g. https://user:pass@host. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@\s]+)@/i, "$1***@");
}

/** Compact one-line rendering of a value for reports. */
export function show(v: Json | undefined): string {
  if (v === undefined) return "(unset)";
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}
