// Validators of our own schemas (schemas/*.schema.json) and the ajv instances of both kinds of
// validation. ajv itself is loaded only to compile a schema: a build whose compiled validators are
// cached (the usual case) runs them without it, and loading ajv's hundred modules was a visible part
// of startup.
import type { Ajv, ValidateFunction } from "ajv";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { loadCommonJs } from "../pipeline/codeCache.mjs";
import { CACHE_DIR as PROJECT_CACHE_DIR, REPO_ROOT } from "../repoRoot.mjs";
import type { FileKind } from "./schemas.js";

const requireCjs = createRequire(import.meta.url);
const AJV_VERSION = (requireCjs("ajv/package.json") as { version: string }).version;
type StandaloneCode = typeof import("ajv/dist/standalone/index.js").default;
const standaloneCode: StandaloneCode = (...args) => {
  const m = requireCjs("ajv/dist/standalone/index.js") as StandaloneCode & { default?: StandaloneCode };
  return (m.default ?? m)(...args);
};

const SCHEMA_DIR = join(REPO_ROOT, "schemas");
const SCHEMA_FILES: Record<FileKind, string> = {
  datasources: "datasources.schema.json",
  "dashboard-providers": "dashboard-providers.schema.json",
  dashboard: "dashboard.schema.json",
  "ops-dashboards": "ops-dashboards.schema.json",
};

/** Editor keywords (VS Code, yaml-language-server) that carry a readable message; ajv ignores them. */
const MESSAGE_KEYWORDS = ["errorMessage", "patternErrorMessage"] as const;

export function newAjv(strict: boolean, standalone = false): Ajv {
  // strictRequired stays off: it refuses `anyOf: [{required: [a]}, {required: [b]}]`.
  const { Ajv: AjvClass } = requireCjs("ajv") as typeof import("ajv");
  const ajv = new AjvClass({
    allErrors: true,
    verbose: true,
    strict,
    strictRequired: false,
    logger: false,
    ...(standalone ? { code: { source: true } } : {}),
  });
  for (const keyword of MESSAGE_KEYWORDS) ajv.addKeyword({ keyword, schemaType: "string" });
  return ajv;
}

let ownAjv: Ajv | undefined;
const ownValidators = new Map<FileKind, ValidateFunction>();

// Compiling our schemas costs more than the rest of a small build, so the compiled validators are
// kept as standalone modules in node_modules/.cache, keyed by the schema text and the ajv version,
// and later builds load them instead of compiling, through V8's code cache as the launcher's
// bundles are (src/pipeline/codeCache.mjs): the modules are large and compiling them was most of
// their cost.
const CACHE_DIR = join(PROJECT_CACHE_DIR, "ajv");

export function ownValidator(kind: FileKind): ValidateFunction {
  let validate = ownValidators.get(kind);
  if (!validate) {
    validate = ownValidatorIn(kind, CACHE_DIR).validate;
    ownValidators.set(kind, validate);
  }
  return validate;
}

/**
 * The validator of schemas/<kind>.schema.json: the standalone module kept in `dir` for this schema
 * text and ajv version ("cached"), or compiled now and kept there for the next run ("compiled").
 */
export function ownValidatorIn(kind: FileKind, dir: string): { validate: ValidateFunction; from: "cached" | "compiled" } {
  const text = readFileSync(join(SCHEMA_DIR, SCHEMA_FILES[kind]), "utf8");
  const key = createHash("sha256").update(`${AJV_VERSION}\0${text}`).digest("hex").slice(0, 16);
  const cached = join(dir, `${kind}-${key}.cjs`);
  if (existsSync(cached)) return { validate: (loadCommonJs(cached) as { default: ValidateFunction }).default, from: "cached" };
  ownAjv ??= newAjv(true, true);
  const validate = ownAjv.compile(JSON.parse(text));
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${cached}.${process.pid}`;
    writeFileSync(tmp, standaloneCode(ownAjv, validate));
    renameSync(tmp, cached);
  } catch {
    // A read-only node_modules only costs the compile next time.
  }
  return { validate, from: "compiled" };
}
