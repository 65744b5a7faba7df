// lint-exclusions.yaml: findings a team accepts, each with a reason and optionally an expiry date,
// plus overrides of the rules' settings. The file is validated with zod; a bad file is one clear
// error naming the line, never a silently ignored exclusion.
//
//   settings:
//     maxRulesPerGroup: 20
//   exclusions:
//     - rule: contract-duration-seconds
//       metric: model_inference_latency_ms
//       reason: The model service exports milliseconds (the model service stack); renaming needs a release of it.
//       expires: 2026-06-30
import { existsSync, readFileSync, statSync } from "node:fs";
import { LineCounter, parseDocument, isSeq, visit, type Node } from "yaml";
import { invalidUtf8Offset } from "../pipeline/sources.mjs";
import { z } from "zod";
import { cachedExclusions } from "./exclusionsCache.js";
import { settingsSchema, type LintSettings } from "./settings.js";
import type { Finding } from "./types.js";

export const EXCLUSIONS_FILE = "lint-exclusions.yaml";
/** Limits that keep a hostile file from exhausting memory: its size, and alias expansions (YAML's "billion laughs"). */
export const MAX_EXCLUSIONS_BYTES = 1024 * 1024;
export const MAX_YAML_ALIASES = 100;

/** What an exclusion can be scoped to, and the finding field each matches. */
export const SCOPES = {
  dashboard: "dashboardUid",
  panel: "panelTitle",
  alert: "alert",
  group: "group",
  metric: "metric",
  file: "file",
} as const;
type ScopeKey = keyof typeof SCOPES;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "is not a calendar date");

function fileSchema(ruleIds: readonly string[]) {
  const scope = z.string().trim().min(1, "must not be empty (use * to match any value)");
  const exclusion = z
    .object({
      rule: z.string().refine((r) => ruleIds.includes(r), (r) => ({ message: `unknown rule "${r}" (npm run lint -- --rules lists them)` })),
      dashboard: scope.optional(),
      panel: scope.optional(),
      alert: scope.optional(),
      group: scope.optional(),
      metric: scope.optional(),
      file: scope.optional(),
      reason: z
        .string({ required_error: "is required: say why the finding is accepted" })
        .trim()
        .min(15, "must say why the finding is accepted, in a sentence"),
      expires: z.preprocess((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v), isoDate).optional(),
    })
    .strict()
    .refine((e) => Object.keys(SCOPES).some((k) => e[k as ScopeKey] !== undefined), {
      message: `needs a scope: one or more of ${Object.keys(SCOPES).join(", ")}`,
    });
  return z
    .object({
      settings: settingsSchema.default({}),
      exclusions: z.array(exclusion).nullable().default([]),
    })
    .strict();
}

export interface Exclusion {
  rule: string;
  scope: Partial<Record<ScopeKey, string>>;
  reason: string;
  expires?: string;
  /** 1-based line of the entry in the file. */
  line: number;
  /** Where it is declared when not in the exclusions file: a dashboard definition's lintWaivers. */
  file?: string;
  /** Scope values are matched as written, not as patterns (a definition's waivers name titles). */
  exact?: boolean;
}

export interface ExclusionsFile {
  file: string;
  settings: LintSettings;
  exclusions: Exclusion[];
}

export class ExclusionsError extends Error {
  constructor(
    readonly file: string,
    readonly issues: { line?: number; message: string }[],
  ) {
    super(issues.map((i) => `${file}${i.line ? `:${i.line}` : ""}: ${i.message}`).join("\n"));
    this.name = "ExclusionsError";
  }
}

/** Parses and validates the exclusions file's text; `file` is how it is named in messages. */
export function parseExclusions(text: string, file: string, ruleIds: readonly string[]): ExclusionsFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : lines.linePos(offset).line);
  if (doc.errors.length) {
    throw new ExclusionsError(file, doc.errors.map((e) => ({ line: lineAt(e.pos[0]), message: `not valid YAML: ${e.message.split("\n")[0]}` })));
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    // The yaml library's resource-exhaustion guard, or an alias to an anchor it cannot resolve.
    let line: number | undefined;
    visit(doc, {
      Alias(_, node) {
        line = lineAt(node.range?.[0]);
        return visit.BREAK;
      },
    });
    const message = /alias count/i.test(e.message)
      ? `its aliases expand to more than ${MAX_YAML_ALIASES} copies (an alias bomb?); write the values out`
      : `not valid YAML: ${e.message.split("\n")[0]}`;
    throw new ExclusionsError(file, [{ line, message }]);
  }
  const parsed = fileSchema(ruleIds).safeParse(value ?? {});
  if (!parsed.success) {
    throw new ExclusionsError(
      file,
      parsed.error.issues.map((i) => {
        // The line of the deepest node the issue's path still reaches.
        let line: number | undefined;
        for (let n = i.path.length; n >= 0 && line === undefined; n--) {
          const node = doc.getIn(i.path.slice(0, n), true) as Node | undefined;
          line = lineAt(node?.range?.[0]);
        }
        return { line, message: `${i.path.join(".") || "(root)"}: ${i.message}` };
      }),
    );
  }
  const items = doc.get("exclusions", true);
  const exclusions = (parsed.data.exclusions ?? []).map((e, i): Exclusion => {
    const node = isSeq(items) ? (items.items[i] as Node | undefined) : undefined;
    const scope = Object.fromEntries(Object.keys(SCOPES).filter((k) => e[k as ScopeKey] !== undefined).map((k) => [k, e[k as ScopeKey]!]));
    return { rule: e.rule, scope, reason: e.reason, expires: e.expires, line: lineAt(node?.range?.[0]) ?? 1 };
  });
  return { file, settings: parsed.data.settings, exclusions };
}

/** Reads the file; a missing file is an empty one; one too large or not UTF-8 is an ExclusionsError. */
export function loadExclusions(path: string, file: string, ruleIds: readonly string[]): ExclusionsFile {
  if (!existsSync(path)) return { file, settings: settingsSchema.parse({}), exclusions: [] };
  const size = statSync(path).size;
  if (size > MAX_EXCLUSIONS_BYTES) throw new ExclusionsError(file, [{ message: `${size} bytes is more than the limit of ${MAX_EXCLUSIONS_BYTES}` }]);
  const bytes = readFileSync(path);
  const bad = invalidUtf8Offset(bytes);
  if (bad >= 0) throw new ExclusionsError(file, [{ message: `byte offset ${bad} is not valid UTF-8` }]);
  const text = bytes.toString("utf8");
  return cachedExclusions(text, file, ruleIds, () => parseExclusions(text, file, ruleIds));
}

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}

export function matches(e: Exclusion, f: Finding): boolean {
  if (e.rule !== f.rule) return false;
  return Object.entries(e.scope).every(([key, pattern]) => {
    const field = SCOPES[key as ScopeKey];
    const values = key === "file" ? [f.file, f.output] : [f[field]];
    return values.some((v) => v !== undefined && (e.exact ? v === pattern : glob(pattern).test(v)));
  });
}

/** Whether the exclusion has expired on `today` (YYYY-MM-DD): it applies through its expiry date. */
export function isExpired(e: Exclusion, today: string): boolean {
  return e.expires !== undefined && today > e.expires;
}

export function describeScope(e: Exclusion): string {
  return Object.entries(e.scope)
    .map(([k, v]) => `${k} "${v}"`)
    .join(", ");
}
