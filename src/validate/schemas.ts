// JSON Schema validation of everything the build writes.
//
// Our own schemas (schemas/*.schema.json) describe the provisioning files Grafana has no published
// schema for, and the stricter shape our dashboards must have. Grafana's generated schemas (the
// Foundation SDK's jsonschema/ folder) are used as a second, independent check of built dashboards
// and of each panel's plugin options. Validators are compiled on first use and cached: Grafana's
// dashboard schema takes long enough to compile that doing it per dashboard would dominate a build.
import type { Ajv, ErrorObject, ValidateFunction } from "ajv";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { REPO_ROOT } from "../repoRoot.mjs";
import { newAjv, ownValidator } from "./ownSchemas.js";

export type FileKind = "datasources" | "dashboard-providers" | "dashboard" | "ops-dashboards";

export interface SchemaIssue {
  /** JSON pointer into the validated document, e.g. /datasources/2/secureJsonData/basicAuthPassword. */
  pointer: string;
  message: string;
}

export interface ReferenceIssue extends SchemaIssue {
  /** Title of the panel the issue is in; absent for dashboard-level issues. */
  panelTitle?: string;
}

// ---------------------------------------------------------------------------------------------
// Error reporting shared by both kinds of validation

function escapePointerToken(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

function describe(value: unknown): string {
  const json = JSON.stringify(value);
  const shown = json === undefined ? String(value) : json.length > 60 ? json.slice(0, 57) + "..." : json;
  return `${value === null ? "null" : Array.isArray(value) ? "array" : typeof value} ${shown}`;
}

function toIssue(e: ErrorObject, prefix: string): SchemaIssue {
  const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
  let pointer = prefix + e.instancePath;
  let message: string;
  switch (e.keyword) {
    case "required":
      pointer += "/" + escapePointerToken(e.params.missingProperty);
      message = "is required";
      break;
    case "additionalProperties":
      pointer += "/" + escapePointerToken(e.params.additionalProperty);
      message = "is not an allowed property here";
      break;
    case "enum":
      message = `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}, got ${describe(e.data)}`;
      break;
    case "const":
      message = `must be ${JSON.stringify(e.params.allowedValue)}, got ${describe(e.data)}`;
      break;
    case "type":
      message = `must be ${e.params.type}, got ${describe(e.data)}`;
      break;
    case "pattern":
      message = `must match ${e.params.pattern}, got ${describe(e.data)}`;
      break;
    default:
      message = e.message ?? e.keyword;
  }
  const custom = e.keyword === "pattern" ? (parent.patternErrorMessage ?? parent.errorMessage) : parent.errorMessage;
  if (typeof custom === "string") message = `${custom} (got ${describe(e.data)})`;
  return { pointer: pointer || "/", message };
}

function toIssues(errors: ErrorObject[] | null | undefined, prefix = ""): SchemaIssue[] {
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  const wrongType = new Set((errors ?? []).filter((e) => e.keyword === "type").map((e) => e.instancePath));
  for (const e of errors ?? []) {
    // "must match then schema" only repeats the errors found inside the then branch.
    if (e.keyword === "if") continue;
    // A value of the wrong type also fails its enum; the type error says it already.
    if ((e.keyword === "enum" || e.keyword === "const") && wrongType.has(e.instancePath)) continue;
    const issue = toIssue(e, prefix);
    const key = issue.pointer + "\0" + issue.message;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

/**
 * Whether `v` is already what JSON gives back (plain objects and arrays of strings, finite numbers,
 * booleans and null, no undefined member, no hole): then it is validated as it is, without the copy
 * (the Ops index of a large estate is megabytes).
 */
function isJsonClean(v: unknown, depth = 0): boolean {
  if (v === null || typeof v === "string" || typeof v === "boolean") return true;
  if (typeof v === "number") return Number.isFinite(v);
  if (typeof v !== "object" || depth > 1000) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!(i in v) || !isJsonClean(v[i], depth + 1)) return false;
    return true;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k) || k === "toJSON" || k === "__proto__" || !isJsonClean((v as Record<string, unknown>)[k], depth + 1)) return false;
  }
  return true;
}

/** What Grafana reads: JSON drops undefined members and functions, so validate the serialised form. */
function asJson(data: unknown): unknown {
  if (isJsonClean(data)) return data;
  const text = JSON.stringify(data);
  return text === undefined ? undefined : JSON.parse(text);
}

// ---------------------------------------------------------------------------------------------
// Our schemas

/** What `validate` (ownSchemas.ts) finds wrong with `data`, as validateFile reports it. */
export function schemaIssues(validate: ValidateFunction, data: unknown): SchemaIssue[] {
  return validate(data) ? [] : toIssues(validate.errors);
}

/**
 * Validates a provisioning file's or built dashboard's content against schemas/<kind>.schema.json.
 * `jsonClean`: the data is already what JSON gives back (a built dashboard, see plainCopy in
 * src/pipeline/dashboards.ts), so the serialise-and-parse copy is skipped; its non-finite numbers
 * are the value check's to report (src/validate/dashboardValues.ts).
 */
export function validateFile(kind: FileKind, data: unknown, { jsonClean = false } = {}): SchemaIssue[] {
  return schemaIssues(ownValidator(kind), jsonClean ? data : asJson(data));
}

// ---------------------------------------------------------------------------------------------
// Grafana's reference schemas

/**
 * Grafana's generated schemas (../shared/schemas/grafana-foundation-sdk relative to the repo root,
 * or $GRAFANA_REFERENCE_SCHEMAS): null when the folder is absent.
 */
export function referenceSchemasDir(): string | null {
  const fromEnv = process.env.GRAFANA_REFERENCE_SCHEMAS;
  const dir = fromEnv ? resolve(fromEnv) : resolve(REPO_ROOT, "../shared/schemas/grafana-foundation-sdk");
  return existsSync(join(dir, "dashboard.jsonschema.json")) ? dir : null;
}

/** Panel plugin ids whose schema file is not named after them. */
const PANEL_SCHEMA_FILES: Record<string, string> = {
  annolist: "annotationslist",
  dashlist: "dashboardlist",
  nodeGraph: "nodegraph",
  "state-timeline": "statetimeline",
  "status-history": "statushistory",
};

/**
 * Corrections to Grafana's generated schemas, each where the generator lost information that
 * Grafana's own types (and the Foundation SDK's) carry. Without them the schemas reject output that
 * Grafana writes itself. Applied by definition name to whichever file defines it.
 */
const REFERENCE_CORRECTIONS: Record<string, (def: any, definitions: Record<string, any>) => void> = {
  // CUE `options?: _` (any value) came out as `type: object`, but the byName, byRegexp, byType and
  // byFrameRefID matchers take a string: {"id": "byName", "options": "errors"}.
  MatcherConfig: (def) => {
    def.properties.options = { description: def.properties.options?.description };
  },
  // CUE `value?: _` came out as `type: object`, but most override values are strings, numbers or
  // booleans: {"id": "unit", "value": "s"}.
  DynamicConfigValue: (def) => {
    def.properties.value = { description: def.properties.value?.description };
  },
  // A oneOf whose branches only differ by the literal `type` each stands for, but the literal was
  // emitted as a default of the whole TableCellDisplayMode enum, so a value like
  // {"type": "color-background"} matches several branches and fails oneOf. Restore the literal.
  TableCellOptions: (def, definitions) => {
    for (const branch of def.oneOf ?? []) {
      const target = definitions[String(branch.$ref).replace("#/definitions/", "")];
      const type = target?.properties?.type;
      if (type && typeof type.default === "string" && type.const === undefined) type.const = type.default;
    }
  },
};

function loadReference(dir: string, file: string): any | null {
  const path = join(dir, `${file}.jsonschema.json`);
  if (!existsSync(path)) return null;
  const schema = JSON.parse(readFileSync(path, "utf8"));
  const definitions = schema.definitions ?? {};
  for (const [name, correct] of Object.entries(REFERENCE_CORRECTIONS)) {
    if (definitions[name]) correct(definitions[name], definitions);
  }
  return schema;
}

interface PluginValidators {
  options?: ValidateFunction;
  fieldConfig?: ValidateFunction;
}

class ReferenceSet {
  private readonly ajv: Ajv;
  private dashboardParts?: { dashboard: ValidateFunction; panel: ValidateFunction; row: ValidateFunction };
  private readonly plugins = new Map<string, PluginValidators | null>();

  constructor(private readonly dir: string) {
    // strict: false because the generated schemas use annotation keywords such as
    // x-deprecation-message that ajv would otherwise refuse.
    this.ajv = newAjv(false);
    // Only Snapshot.created/updated use a format; RFC 3339 date-time as Grafana writes it.
    this.ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$/);
  }

  private id(file: string): string {
    return `https://reference.grafana-as-code.invalid/${file}.json`;
  }

  /** Validators for the dashboard without its panels, for a panel, and for a row. */
  dashboard() {
    if (!this.dashboardParts) {
      const schema = loadReference(this.dir, "dashboard");
      if (!schema) throw new Error(`${join(this.dir, "dashboard.jsonschema.json")} is missing`);
      const id = this.id("dashboard");
      this.ajv.addSchema({ ...schema, $id: id });
      const get = (ref: string) => {
        const v = this.ajv.getSchema(id + ref);
        if (!v) throw new Error(`no ${ref} in ${this.dir}/dashboard.jsonschema.json`);
        return v;
      };
      this.dashboardParts = { dashboard: get(""), panel: get("#/definitions/Panel"), row: get("#/definitions/RowPanel") };
    }
    return this.dashboardParts;
  }

  plugin(type: string): PluginValidators | null {
    if (!this.plugins.has(type)) {
      const file = PANEL_SCHEMA_FILES[type] ?? type;
      const schema = /^[a-zA-Z0-9_-]+$/.test(file) ? loadReference(this.dir, file) : null;
      // Only panel plugin schemas define Options; this keeps e.g. "dashboard" or "prometheus" out.
      if (!schema?.definitions?.Options) {
        this.plugins.set(type, null);
      } else {
        const id = this.id(file);
        // Two type spellings can share a file (nodeGraph / nodegraph); add it once.
        if (!this.ajv.schemas[id]) this.ajv.addSchema({ ...schema, $id: id });
        this.plugins.set(type, {
          options: this.ajv.getSchema(`${id}#/definitions/Options`),
          fieldConfig: schema.definitions.FieldConfig ? this.ajv.getSchema(`${id}#/definitions/FieldConfig`) : undefined,
        });
      }
    }
    return this.plugins.get(type)!;
  }
}

const referenceSets = new Map<string, ReferenceSet>();

function referenceSet(dir: string): ReferenceSet {
  const key = resolve(dir);
  let set = referenceSets.get(key);
  if (!set) {
    set = new ReferenceSet(key);
    referenceSets.set(key, set);
  }
  return set;
}

function run(validate: ValidateFunction, data: unknown, prefix: string, panelTitle?: string): ReferenceIssue[] {
  if (validate(data)) return [];
  return toIssues(validate.errors, prefix).map((i) => (panelTitle === undefined ? i : { panelTitle, ...i }));
}

function titleOf(panel: any): string | undefined {
  return typeof panel?.title === "string" ? panel.title : undefined;
}

/** Plugin-level checks of one (non-row) panel: options and fieldConfig.defaults.custom. */
function checkPlugin(set: ReferenceSet, panel: any, pointer: string): ReferenceIssue[] {
  if (typeof panel?.type !== "string" || panel.type === "row") return [];
  const plugin = set.plugin(panel.type);
  if (!plugin) return [];
  const title = titleOf(panel);
  const issues: ReferenceIssue[] = [];
  // Absent options or custom field config are filled with the plugin's defaults by Grafana.
  if (plugin.options && panel.options !== undefined) issues.push(...run(plugin.options, panel.options, `${pointer}/options`, title));
  const custom = panel.fieldConfig?.defaults?.custom;
  if (plugin.fieldConfig && custom !== undefined) {
    issues.push(...run(plugin.fieldConfig, custom, `${pointer}/fieldConfig/defaults/custom`, title));
  }
  return issues;
}

/**
 * Validates a built dashboard against Grafana's dashboard.jsonschema.json and each panel's options /
 * fieldConfig.defaults.custom against its plugin's `Options` / `FieldConfig` definitions (panel type
 * → <type>.jsonschema.json; unknown types and row panels are skipped). Issues inside a panel name it.
 */
export function validateAgainstReference(dashboard: any, dir: string): ReferenceIssue[] {
  const set = referenceSet(dir);
  const parts = set.dashboard();
  const data = asJson(dashboard) as any;
  const issues: ReferenceIssue[] = [];
  const panels: unknown = data?.panels;
  if (!Array.isArray(panels)) return run(parts.dashboard, data, "");

  // Grafana's schema takes each panel as oneOf [Panel, RowPanel], and on failure ajv reports the
  // errors of both branches. Checking each panel against the branch its type selects gives the
  // same verdict (a non-row panel can never match RowPanel) with only the relevant errors.
  issues.push(...run(parts.dashboard, { ...data, panels: [] }, ""));
  panels.forEach((panel: any, i) => {
    const pointer = `/panels/${i}`;
    const isRow = panel?.type === "row";
    for (const issue of run(isRow ? parts.row : parts.panel, panel, pointer, titleOf(panel))) {
      // Errors inside a collapsed row's panels name that panel, not the row.
      const nested = isRow ? new RegExp(`^${pointer}/panels/(\\d+)(/|$)`).exec(issue.pointer) : null;
      const title = nested ? titleOf(panel.panels[Number(nested[1])]) : issue.panelTitle;
      issues.push(title === undefined ? { pointer: issue.pointer, message: issue.message } : { ...issue, panelTitle: title });
    }
    if (isRow && Array.isArray(panel.panels)) {
      panel.panels.forEach((nested: any, j: number) => issues.push(...checkPlugin(set, nested, `${pointer}/panels/${j}`)));
    } else {
      issues.push(...checkPlugin(set, panel, pointer));
    }
  });
  return issues;
}
