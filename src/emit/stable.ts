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

export function stableStringifyJson(v: unknown): string {
  return JSON.stringify(sortKeysDeep(v), null, 2) + "\n";
}

export function stableStringifyYaml(v: unknown, header?: string): string {
  const body = stringify(sortKeysDeep(v), { lineWidth: 0, indent: 2, aliasDuplicateObjects: false });
  return (header ? header.replace(/^/gm, "# ") + "\n" : "") + body;
}
