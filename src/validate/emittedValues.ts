// One walk over every value the build is about to serialise (dashboards, provisioning documents,
// rule files). JSON has no NaN or Infinity (JSON.stringify writes null, YAML writes .nan/.inf, both
// silently change what Grafana and Prometheus see); a lone surrogate cannot be written as UTF-8 (Node
// substitutes U+FFFD); and a value nested without end is a bug in a definition, not a dashboard.
import type { Problem } from "../errors.js";

/** Deeper than any dashboard, rule file or provisioning document needs; keeps the walk bounded. */
export const MAX_VALUE_DEPTH = 64;

export interface ValueIssue {
  /** Path segments from the walked value's root: property names and array indices. */
  segments: (string | number)[];
  message: string;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** `fieldConfig.defaults.thresholds.steps[1].value`; odd keys quoted: `options["a b"]`. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (IDENT.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out || "(root)";
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function stringIssue(s: string): string | null {
  // Nearly every string is well-formed: the engine's own test first, the regex only to locate the fault.
  if ((s as unknown as { isWellFormed(): boolean }).isWellFormed()) return null;
  const m = LONE_SURROGATE.exec(s);
  if (!m) return null;
  const code = m[0].charCodeAt(0).toString(16).toUpperCase();
  return `has a lone surrogate U+${code} at character ${m.index}, which is not valid UTF-8`;
}

function describeNumber(n: number): string {
  return Number.isNaN(n) ? "NaN" : n > 0 ? "Infinity" : "-Infinity";
}

/**
 * Every non-finite number, string or key that is not valid UTF-8, and nesting beyond
 * MAX_VALUE_DEPTH in `value`. `skip` prunes subtrees walked separately (a dashboard's panels); it
 * is handed the walk's own path stack, to read at once, not keep.
 */
export function valueIssues(value: unknown, skip?: (segments: readonly (string | number)[], value: unknown) => boolean): ValueIssue[] {
  const issues: ValueIssue[] = [];
  // The path is one stack, copied only into an issue: a copy per node was most of the walk's garbage.
  const segments: (string | number)[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "number") {
      if (!Number.isFinite(v)) issues.push({ segments: segments.slice(), message: `is ${describeNumber(v)}; only finite numbers can be written` });
      return;
    }
    if (typeof v === "string") {
      const issue = stringIssue(v);
      if (issue) issues.push({ segments: segments.slice(), message: issue });
      return;
    }
    if (typeof v !== "object" || v === null) return;
    if (segments.length >= MAX_VALUE_DEPTH) {
      issues.push({ segments: segments.slice(), message: `is nested more than ${MAX_VALUE_DEPTH} levels deep` });
      return;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) continue; // a hole: nothing is written there
        segments.push(i);
        walk(v[i]);
        segments.pop();
      }
      return;
    }
    const o = v as Record<string, unknown>;
    for (const k in o) {
      if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
      const x = o[k];
      segments.push(k);
      if (!skip?.(segments, x)) {
        const keyIssue = stringIssue(k);
        if (keyIssue) issues.push({ segments: segments.slice(), message: `key ${keyIssue}` });
        walk(x);
      }
      segments.pop();
    }
  };
  walk(value);
  return issues;
}

/** Problems for a whole document (a provisioning file, a rule file), located by file and path. */
export function checkEmittedValue(value: unknown, at: Omit<Problem, "code" | "message">, label?: string): Problem[] {
  return valueIssues(value).map((i) => ({
    ...at,
    code: "bad-value",
    message: `${label ? `${label}: ` : ""}${formatPath(i.segments)} ${i.message}`,
  }));
}
