// Raw-JSON escape hatch for imported dashboards. The Foundation SDK has builders for most of a
// dashboard, but not for everything Grafana stores (legacy panels, plugin panels, fields the SDK does
// not model, SDK defaults the original did not have). Imported code keeps those parts here, as JSON,
// so that nothing is dropped on the way from Grafana to code and back.
//
// This module is imported by generated definition files at build time; keep it free of heavy
// dependencies.
import type { Builder } from "@grafana/grafana-foundation-sdk/cog";

/** Marks a key the SDK fills in but the imported dashboard did not have: it is deleted. */
export const REMOVE = Symbol("remove");

/** A deep patch: nested objects merge, arrays are patched by index with `{ "3": {...} }`, anything else replaces. */
export type RawPatch = { [key: string]: unknown };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isIndexPatch(v: unknown): v is Record<string, unknown> {
  return isPlainObject(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => /^\d+$/.test(k));
}

function copy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(copy) as T;
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)])) as T;
  return v;
}

/** Applies `patch` to `target` in place and returns it. */
export function applyRawPatch<T>(target: T, patch: RawPatch): T {
  const into = target as Record<string, unknown> | unknown[];
  for (const [key, value] of Object.entries(patch)) {
    const current = (into as Record<string, unknown>)[key];
    if (value === REMOVE) {
      if (Array.isArray(into)) into[Number(key)] = undefined;
      else delete into[key];
    } else if (isPlainObject(value) && (isPlainObject(current) || (Array.isArray(current) && isIndexPatch(value)))) {
      applyRawPatch(current, value);
    } else {
      (into as Record<string, unknown>)[key] = copy(value);
    }
  }
  return target;
}

/**
 * Wraps an SDK builder: what it builds, with `patch` merged in. Used for the fields of an imported
 * dashboard that the builder has no method for.
 */
export function withRaw<T>(builder: Builder<T>, patch: RawPatch): Builder<T> {
  // A copy: builders keep references to what they were given (a datasource object shared by many
  // panels), and the patch must not change those.
  return { build: () => applyRawPatch(copy(builder.build()), patch) };
}

/**
 * A builder for an object kept entirely as JSON, e.g. a legacy "graph" panel or a plugin panel the
 * SDK has no builder for.
 */
export function raw<T = any>(json: Record<string, unknown>): Builder<T> {
  return { build: () => copy(json) as T };
}
