// Comparing a rule group in a file with the one a ruler holds: the ruler re-serialises what it
// stores (durations as "5m", empty maps and zero durations left out, keys in its own order), so
// both sides are reduced to one canonical form first. Two groups are equal when these are.
import { stringify } from "yaml";
import { formatDuration, parseDurationSeconds } from "../emit/duration.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

function duration(v: unknown): string | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  try {
    const s = parseDurationSeconds(typeof v === "number" ? v : String(v));
    return s === 0 ? undefined : formatDuration(s);
  } catch {
    return String(v);
  }
}

function sortedStrings(v: unknown): Record<string, string> | undefined {
  if (!isObj(v)) return undefined;
  const keys = Object.keys(v).sort();
  if (keys.length === 0) return undefined;
  return Object.fromEntries(keys.map((k) => [k, String(v[k])]));
}

function clean(o: Obj): Obj {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function canonicalRule(r: Obj): Obj {
  return clean({
    record: r.record === undefined ? undefined : String(r.record),
    alert: r.alert === undefined ? undefined : String(r.alert),
    expr: String(r.expr ?? "").trim(),
    for: duration(r.for),
    keep_firing_for: duration(r.keep_firing_for),
    labels: sortedStrings(r.labels),
    annotations: sortedStrings(r.annotations),
  });
}

/** The fields a ruler stores, in one order, with durations and empty values in one form. */
export function canonicalGroup(g: Obj): Obj {
  const tenants = Array.isArray(g.source_tenants) ? g.source_tenants.map(String).sort() : [];
  return clean({
    name: String(g.name ?? ""),
    interval: duration(g.interval),
    query_offset: duration(g.query_offset),
    limit: g.limit ? Number(g.limit) : undefined,
    source_tenants: tenants.length ? tenants : undefined,
    rules: (Array.isArray(g.rules) ? g.rules : []).map((r) => canonicalRule(isObj(r) ? r : {})),
  });
}

export function sameGroup(a: Obj, b: Obj): boolean {
  return JSON.stringify(canonicalGroup(a)) === JSON.stringify(canonicalGroup(b));
}

/** A unified line diff of the two groups' canonical YAML ("-" live, "+" build), for --dry-run. */
export function groupDiff(live: Obj | undefined, desired: Obj | undefined): string[] {
  const lines = (g: Obj | undefined) => (g ? stringify(canonicalGroup(g), { lineWidth: 0 }).trimEnd().split("\n") : []);
  const a = lines(live);
  const b = lines(desired);
  // Longest common subsequence over lines: groups are small (a few dozen lines).
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) out.push(`+ ${b[j++]}`);
    else out.push(`- ${a[i++]}`);
  }
  return out;
}
