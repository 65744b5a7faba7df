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
 * MAX_VALUE_DEPTH in `value`. `skip` prunes subtrees walked separately (a dashboard's panels).
 */
export function valueIssues(value: unknown, skip?: (segments: readonly (string | number)[], value: unknown) => boolean): ValueIssue[] {
  const issues: ValueIssue[] = [];
  const walk = (v: unknown, segments: (string | number)[]) => {
    if (typeof v === "number") {
      if (!Number.isFinite(v)) issues.push({ segments, message: `is ${describeNumber(v)}; only finite numbers can be written` });
      return;
    }
    if (typeof v === "string") {
      const issue = stringIssue(v);
      if (issue) issues.push({ segments, message: issue });
      return;
    }
    if (typeof v !== "object" || v === null) return;
    if (segments.length >= MAX_VALUE_DEPTH) {
      issues.push({ segments, message: `is nested more than ${MAX_VALUE_DEPTH} levels deep` });
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, [...segments, i]));
      return;
    }
    for (const [k, x] of Object.entries(v)) {
      const at = [...segments, k];
      if (skip?.(at, x)) continue;
      const keyIssue = stringIssue(k);
      if (keyIssue) issues.push({ segments: at, message: `key ${keyIssue}` });
      walk(x, at);
    }
  };
  walk(value, []);
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
