// The documented normalisation: building imported code gives back the original dashboard, except for
// the differences listed here. `npm run import -- --verify`, the importer itself (which keeps every
// other difference as raw JSON) and the corpus tests all use this one list.
//
//  1. instance-metadata  The dashboard's numeric `id` and its `version` are assigned by each Grafana
//                        instance on save; code does not carry them (the header comment names the
//                        version that came in).
//  2. export-metadata    `__inputs`, `__requires` and `__elements` of a UI export ("Export → JSON") and
//                        the `meta` of the HTTP API envelope describe the export, not the dashboard.
//  3. schema-version     The SDK writes its own `schemaVersion`; the one that came in is named in the
//                        header comment and reported when it is older.
//  4. datasource-uids    Datasource references that match a provisioned datasource by type (prometheus,
//                        loki, tempo, jaeger, alertmanager), including `${DS_*}` inputs of a UI export,
//                        use the provisioned uid (`ctx.datasources.<type>`); a legacy string reference
//                        to such an input becomes the `{ type, uid }` object Grafana's import and schema
//                        migration make of it. Template-variable references (`${datasource}`),
//                        references by name and Grafana's built-in datasources are kept.
//  5. constant-inputs    `${VAR_*}` constant inputs of a UI export are replaced by their value, as
//                        Grafana does when it imports the export.
//  6. sdk-defaults       Keys the original did not have that the SDK fills in with the value Grafana
//                        assumes when the key is missing (listed in SDK_DEFAULTS below: e.g. a panel's
//                        `transparent: false`, a variable's `multi: false`, a threshold base step
//                        without a value written as `value: null`). Other SDK defaults (a legend's
//                        `showLegend: false`, the `placement` of links and annotations, a dashboard's
//                        `timezone: "browser"`) are removed again in the generated code with REMOVE.
//  7. grid-origin        The SDK's DashboardBuilder moves a panel saved at gridPos x=0,y=0 to its own
//                        running position unless it is the first on the grid; Grafana saves panels
//                        inside collapsed rows that way. Only x/y of such panels may differ.
//  8. json               Dashboards are compared as JSON: key order does not matter (the build sorts
//                        keys) and the SDK's marker functions on query objects (`_implementsDataqueryVariant`)
//                        are not part of the JSON.

// The idiomatic import (the default of `npm run import`; `--exact` writes the transcript above) is
// verified by meaning (semantic.ts): what a panel, query, variable, link or time setting shows. It
// leaves out what Grafana fills in itself or ignores (pluginVersion, `current` of variables, legacy
// query fields, defaults of legend, tooltip and field styles) and writes panels with the presets, whose
// styling (legend table and calculations, line width, fill, tooltip) replaces the original's where
// it is not part of the meaning. Beyond rules 1-8 it may also:
//
//  9. datasource-variable  Name the dashboard's one Prometheus datasource variable `datasource`, the
//                          name every dashboard of the repository and prom() use; references follow.
// 10. metric-alias         Write a metric the catalog knows under an alias (a collector counter
//                          without _total) as the catalog spells it.
// 11. house-frame          Add what baseDashboard gives every dashboard: the "Dashboards" link menu,
//                          read-only, shared crosshair and the project's tags.
// 12. grafana-defaults     Read an absent unit, thresholds, colour mode, legend or time setting as the
//                          value Grafana assumes for it (e.g. thresholds green/red 80).
// 13. custom-unit          Write a unit id Grafana does not know ("read/s") as its custom unit
//                          "suffix:read/s": Grafana draws an unknown id as the number followed by a
//                          space and the id (getValueFormat → toFixedUnit), which is what "suffix:" draws.

export const IDIOMATIC_RULES: { id: string; description: string }[] = [
  { id: "datasource-uids", description: "datasource references mapped to the provisioned uids (rule 4)" },
  { id: "datasource-variable", description: "the Prometheus datasource variable is named `datasource`" },
  { id: "metric-alias", description: "metric names written as the catalog spells them" },
  { id: "house-frame", description: "the house dashboard frame's link menu is added" },
  { id: "grafana-defaults", description: "absent values read as Grafana's defaults" },
  { id: "custom-unit", description: "a unit id Grafana does not know written as the custom unit suffix:<id> that draws the same" },
];

export type Path = (string | number)[];

export interface NormalisationRule {
  id: string;
  description: string;
}

export const NORMALISATION_RULES: NormalisationRule[] = [
  { id: "instance-metadata", description: "dashboard id and version are assigned by Grafana, not written in code" },
  { id: "export-metadata", description: "__inputs/__requires/__elements of a UI export are dropped" },
  { id: "schema-version", description: "the SDK writes its own schemaVersion" },
  { id: "datasource-uids", description: "datasource references mapped to the provisioned uids" },
  { id: "constant-inputs", description: "${VAR_*} constant inputs replaced by their value" },
  { id: "sdk-defaults", description: "keys the SDK fills in with Grafana's own default" },
  { id: "grid-origin", description: "x/y of panels saved at gridPos 0,0 are placed by the DashboardBuilder" },
  { id: "json", description: "compared as JSON: key order and SDK marker functions ignored" },
];

/** What the importer changed on purpose, needed to recognise rules 4 and 5. */
export interface NormaliseContext {
  /** Original datasource uid → uid in the generated code. */
  datasourceUids: Map<string, string>;
  /** `${VAR_X}` constant inputs → value. */
  constants: Map<string, string>;
  /** Legacy string datasource references → the reference object written instead. */
  datasourceRefs?: Map<string, unknown>;
  /** Idiomatic import: keys a builder adds that the original lacks stay (no REMOVE); meaning is verified. */
  keepSdkDefaults?: boolean;
}

export type ObjectKind = "dashboard" | "panel" | "row" | "target" | "variable" | "annotation" | "link" | "other";

/** Where a path of a dashboard points: which object and the path inside it. */
export function locate(path: Path, root: unknown): { kind: ObjectKind; rel: Path; objectPath: Path } {
  let kind: ObjectKind = "dashboard";
  let start = 0;
  let node = root as Record<string | number, unknown> | undefined;
  const at = (i: number) => path[i];
  for (let i = 0; i < path.length; i++) {
    const k = at(i);
    const next = node && typeof node === "object" ? (node[k] as Record<string | number, unknown>) : undefined;
    const parentKey = at(i - 1);
    const grandKey = at(i - 2);
    if (typeof k === "number") {
      if (parentKey === "panels" && (kind === "dashboard" || kind === "row") && i - 1 === start) {
        kind = next && typeof next === "object" && next.type === "row" ? "row" : "panel";
        start = i + 1;
      } else if (parentKey === "targets" && kind === "panel" && i - 1 === start) {
        kind = "target";
        start = i + 1;
      } else if (parentKey === "list" && grandKey === "templating" && kind === "dashboard" && i - 2 === start) {
        kind = "variable";
        start = i + 1;
      } else if (parentKey === "list" && grandKey === "annotations" && kind === "dashboard" && i - 2 === start) {
        kind = "annotation";
        start = i + 1;
      } else if (parentKey === "links" && (kind === "dashboard" || kind === "panel") && i - 1 === start) {
        kind = kind === "dashboard" ? "link" : "other";
        start = i + 1;
      }
    }
    node = next;
  }
  return { kind, rel: path.slice(start), objectPath: path.slice(0, start) };
}

/**
 * SDK defaults that equal what Grafana assumes for a missing key, by object kind and path inside it.
 * A key listed here may be present in the build although the original does not have it.
 */
export const SDK_DEFAULTS: { kind: ObjectKind; path: Path; value: unknown }[] = [
  { kind: "dashboard", path: ["editable"], value: true },
  { kind: "dashboard", path: ["graphTooltip"], value: 0 },
  { kind: "dashboard", path: ["fiscalYearStartMonth"], value: 0 },
  { kind: "dashboard", path: ["templating"], value: {} },
  { kind: "dashboard", path: ["annotations"], value: {} },
  { kind: "dashboard", path: ["timepicker", "hidden"], value: false },
  {
    kind: "dashboard",
    path: ["timepicker", "refresh_intervals"],
    value: ["5s", "10s", "30s", "1m", "5m", "15m", "30m", "1h", "2h", "1d"],
  },
  { kind: "panel", path: ["transparent"], value: false },
  { kind: "panel", path: ["repeatDirection"], value: "h" },
  { kind: "panel", path: ["fieldConfig"], value: { defaults: {}, overrides: [] } },
  { kind: "panel", path: ["fieldConfig", "defaults"], value: {} },
  { kind: "panel", path: ["fieldConfig", "overrides"], value: [] },
  // Grafana reads a threshold step without a value as the base step (-Infinity), as it does null.
  { kind: "panel", path: ["fieldConfig", "defaults", "thresholds", "steps", "*", "value"], value: null },
  // Prometheus queries: absent instant/range flags are false (the builder never writes range: false alone).
  { kind: "target", path: ["instant"], value: false },
  { kind: "target", path: ["range"], value: false },
  { kind: "row", path: ["collapsed"], value: false },
  { kind: "row", path: ["panels"], value: [] },
  { kind: "variable", path: ["skipUrlSync"], value: false },
  { kind: "variable", path: ["multi"], value: false },
  { kind: "variable", path: ["includeAll"], value: false },
  { kind: "variable", path: ["allowCustomValue"], value: true },
  { kind: "variable", path: ["auto"], value: false },
  { kind: "variable", path: ["auto_min"], value: "10s" },
  { kind: "variable", path: ["auto_count"], value: 30 },
  { kind: "annotation", path: ["enable"], value: true },
  { kind: "annotation", path: ["hide"], value: false },
  { kind: "annotation", path: ["builtIn"], value: 0 },
  { kind: "link", path: ["tooltip"], value: "" },
  { kind: "link", path: ["icon"], value: "" },
  { kind: "link", path: ["tags"], value: [] },
  { kind: "link", path: ["asDropdown"], value: false },
  { kind: "link", path: ["targetBlank"], value: false },
  { kind: "link", path: ["includeVars"], value: false },
  { kind: "link", path: ["keepTime"], value: false },
];

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => jsonEqual(ao[k], bo[k]));
}

/** `pattern` may use "*" for any list index. */
function samePath(pattern: Path, b: Path): boolean {
  return pattern.length === b.length && pattern.every((x, i) => x === b[i] || (x === "*" && typeof b[i] === "number"));
}

function getAt(v: unknown, path: Path): unknown {
  let cur = v as Record<string | number, unknown> | undefined;
  for (const k of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = cur[k] as Record<string | number, unknown> | undefined;
  }
  return cur;
}

function substituteConstants(s: string, constants: Map<string, string>): string {
  return s.replace(/\$\{(\w+)\}/g, (m, name: string) => constants.get(name) ?? m);
}

/**
 * Which rule, if any, accounts for a difference at `path` between the original dashboard (`original`,
 * value `a`, undefined when absent) and the build (value `b`, undefined when absent).
 */
export function explainDifference(
  path: Path,
  a: unknown,
  b: unknown,
  original: unknown,
  ctx: NormaliseContext,
): string | undefined {
  if (path.length === 1 && (path[0] === "id" || path[0] === "version") && b === undefined) return "instance-metadata";
  if (path.length === 1 && typeof path[0] === "string" && path[0].startsWith("__") && b === undefined)
    return "export-metadata";
  if (path.length === 1 && path[0] === "schemaVersion") return "schema-version";
  if (path[path.length - 1] === "uid" && typeof a === "string" && ctx.datasourceUids.get(a) === b && b !== undefined)
    return "datasource-uids";
  if (
    typeof a === "string" &&
    path[path.length - 1] === "datasource" &&
    ctx.datasourceRefs?.has(a) &&
    jsonEqual(ctx.datasourceRefs.get(a), b)
  )
    return "datasource-uids";
  if (
    typeof a === "string" &&
    typeof b === "string" &&
    ctx.constants.size &&
    substituteConstants(a, ctx.constants) === b
  )
    return "constant-inputs";
  const where = locate(path, original);
  if (a === undefined && b !== undefined) {
    for (const d of SDK_DEFAULTS)
      if (d.kind === where.kind && samePath(d.path, where.rel) && jsonEqual(d.value, b)) return "sdk-defaults";
  }
  if (
    (where.kind === "panel" || where.kind === "row") &&
    where.rel.length === 2 &&
    where.rel[0] === "gridPos" &&
    (where.rel[1] === "x" || where.rel[1] === "y")
  ) {
    const grid = getAt(original, [...where.objectPath, "gridPos"]) as { x?: number; y?: number } | undefined;
    if (grid && grid.x === 0 && grid.y === 0) return "grid-origin";
  }
  return undefined;
}

export interface Difference {
  path: Path;
  /** Value in the original dashboard (undefined: absent). */
  original: unknown;
  /** Value in the build (undefined: absent). */
  built: unknown;
  /** The normalisation rule that accounts for it; undefined for a real difference. */
  rule?: string;
}

/** All differences between the original dashboard and a build, each with the rule that explains it. */
export function compareDashboards(original: unknown, built: unknown, ctx: NormaliseContext): Difference[] {
  const out: Difference[] = [];
  const walk = (a: unknown, b: unknown, path: Path) => {
    if (jsonEqual(a, b)) return;
    const isObj = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
    if (isObj(a) && isObj(b)) {
      const ao = a as Record<string, unknown>;
      const bo = b as Record<string, unknown>;
      for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) walk(ao[k], bo[k], [...path, k]);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      a.forEach((x, i) => walk(x, b[i], [...path, i]));
      return;
    }
    out.push({ path, original: a, built: b, rule: explainDifference(path, a, b, original, ctx) });
  };
  walk(toJson(original), toJson(built), []);
  return out;
}

export function toJson<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export function formatPath(path: Path): string {
  return path
    .map((k, i) =>
      typeof k === "number" ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? (i ? `.${k}` : k) : `[${JSON.stringify(k)}]`,
    )
    .join("");
}

export function formatDifference(d: Difference): string {
  const show = (v: unknown) => (v === undefined ? "(absent)" : truncate(JSON.stringify(v), 120));
  return `${formatPath(d.path) || "(root)"}: original ${show(d.original)}, built ${show(d.built)}`;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** Counts of differences per rule, for reports. */
export function summariseRules(diffs: Difference[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of diffs) if (d.rule) m.set(d.rule, (m.get(d.rule) ?? 0) + 1);
  return m;
}
