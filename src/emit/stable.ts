// Deterministic serialisation: keys sorted at every depth, fixed indentation, trailing newline, so a
// pull request diff shows only real changes.
import { stringify } from "yaml";

export function sortKeysDeep<T>(v: T): T {
  // The build's value walk (src/validate/emittedValues.ts) reports these with their place; reaching
  // here means a value skipped it, and JSON would silently turn it into null.
  if (typeof v === "number" && !Number.isFinite(v)) throw new Error(`refusing to serialise ${v}: only finite numbers can be written`);
  if (Array.isArray(v)) return v.map(sortKeysDeep) as T;
  if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeysDeep(x);
    }
    return out as T;
  }
  return v;
}

/**
 * JSON.stringify(sortKeysDeep(v), null, 2) + "\n" in one pass: the text is written while the keys
 * are sorted, without the sorted copy of the whole value (a second dashboard in memory, and garbage
 * to collect, for every file of a large build). test/emit/stable.test.ts holds the two equal.
 */
export function stableStringifyJson(v: unknown): string {
  if (!isPlain(v) && !Array.isArray(v)) return JSON.stringify(sortKeysDeep(v), null, 2) + "\n";
  return write(v, "")! + "\n";
}

const isPlain = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;
/** An array index, which an object lists before its other keys whatever the order they were added in. */
const INDEX = /^(?:0|[1-9]\d{0,9})$/;

/** The JSON text of `v` at indentation `indent` (a member's value or an array item); undefined where JSON has none. */
function write(v: unknown, indent: string): string | undefined {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) sortKeysDeep(v); // throws its error
    return JSON.stringify(v);
  }
  if (typeof v === "boolean" || v === null) return String(v);
  const inner = indent + "  ";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    let out = "[\n" + inner;
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out += ",\n" + inner;
      const x = v[i];
      out += (x === undefined || typeof x === "function" || typeof x === "symbol" ? undefined : write(x, inner)) ?? "null";
    }
    return out + "\n" + indent + "]";
  }
  // Anything else (class instances, objects with toJSON, BigInt) as sortKeysDeep and JSON.stringify
  // treat it, indented where it sits.
  if (!isPlain(v) || typeof v.toJSON === "function") return JSON.stringify(sortKeysDeep(v), null, 2)?.replace(/\n/g, "\n" + indent);
  let out = "";
  for (const k of orderedKeys(v)) {
    const x = v[k];
    if (x === undefined || typeof x === "function" || typeof x === "symbol") continue;
    const text = write(x, inner);
    if (text !== undefined) out += (out ? ",\n" : "{\n") + inner + JSON.stringify(k) + ": " + text;
  }
  return out ? out + "\n" + indent + "}" : "{}";
}

/** Keys in the order the sorted copy lists them: array indexes first (numerically), then the rest sorted. */
function orderedKeys(v: Record<string, unknown>): string[] {
  const keys = Object.keys(v).sort();
  // Assigning __proto__ to the copy sets its prototype instead of adding a member: it never appears.
  const indexes = keys.filter((k) => INDEX.test(k) && Number(k) < 4294967295);
  if (!indexes.length && !keys.includes("__proto__")) return keys;
  const rest = keys.filter((k) => k !== "__proto__" && !(INDEX.test(k) && Number(k) < 4294967295));
  return [...indexes.sort((a, b) => Number(a) - Number(b)), ...rest];
}

export function stableStringifyYaml(v: unknown, header?: string): string {
  const body = stringify(sortKeysDeep(v), { lineWidth: 0, indent: 2, aliasDuplicateObjects: false });
  return (header ? header.replace(/^/gm, "# ") + "\n" : "") + body;
}
