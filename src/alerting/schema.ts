// Validation of the Grafana alerting provisioning files against schemas/alerting.schema.json, on the
// exact values written (after $ escaping and ${VAR} references).
import type { ErrorObject, ValidateFunction } from "ajv";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Problem } from "../errors.js";
import { REPO_ROOT } from "../pipeline/collect.js";

export const ALERTING_SCHEMA = "schemas/alerting.schema.json";

let validator: ValidateFunction | undefined;

function validate(): ValidateFunction {
  if (!validator) {
    // Loaded here, on the first Grafana-managed alerting file: a build without one never loads ajv.
    const { Ajv } = createRequire(import.meta.url)("ajv") as typeof import("ajv");
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, strictTypes: false, logger: false });
    // Editor keywords (yaml-language-server, VS Code) carrying readable messages.
    for (const keyword of ["errorMessage", "patternErrorMessage"]) ajv.addKeyword({ keyword, schemaType: "string" });
    validator = ajv.compile(JSON.parse(readFileSync(join(REPO_ROOT, ALERTING_SCHEMA), "utf8")));
  }
  return validator;
}

function message(e: ErrorObject): string {
  const parent = (e.parentSchema ?? {}) as { patternErrorMessage?: string; errorMessage?: string };
  if (e.keyword === "pattern" && parent.patternErrorMessage) return `${parent.patternErrorMessage} (got ${JSON.stringify(e.data)})`;
  if (e.keyword === "required") return `${e.params.missingProperty} is required`;
  if (e.keyword === "additionalProperties") return `${e.params.additionalProperty} is not an allowed property here`;
  if (e.keyword === "enum") return `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(e.data)}`;
  return e.message ?? e.keyword;
}

/** Schema issues as "<json pointer>: <message>"; [] when the document is valid. */
export function alertingSchemaIssues(doc: unknown): string[] {
  const v = validate();
  if (v(JSON.parse(JSON.stringify(doc)))) return [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of v.errors ?? []) {
    // if/anyOf wrappers repeat what their branches said.
    if (e.keyword === "if" || (e.keyword === "anyOf" && e.instancePath !== "")) continue;
    const line = `${e.instancePath || "/"}: ${message(e)}`;
    if (!seen.has(line)) {
      seen.add(line);
      out.push(line);
    }
  }
  return out;
}

export function checkAlertingFileSchema(doc: unknown, file: string): Problem[] {
  return alertingSchemaIssues(doc).map((m) => ({ code: "schema", file, message: `${m} (${ALERTING_SCHEMA})` }));
}
