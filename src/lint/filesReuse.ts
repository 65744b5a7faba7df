// Lint of the tree's files other than dashboards (rule files, datasources, the Ops index...) through
// the build's cache (src/cache/stages.ts): the findings of the per-dashboard and rule-file rules over
// those files, and the rule groups read from them, are a function of the files' texts, the lint
// settings, every environment's config, the catalog, and what every stage's key covers (the engine,
// which holds the rules; the environment; the config). A hit parses no rule file: the rules across
// dashboards (alert-links) read the rule groups the entry holds, and no other file's data (a rule
// without a scope reads dashboards and rule groups only: test/lint/files-reuse.test.ts holds them to it).
import { digest, stableValue } from "../cache/hash.js";
import type { StageCache } from "../cache/stages.js";
import type { OutputFile } from "../model/tree.js";
import type { LintEnvironment, LintRuleGroup } from "./context.js";
import type { LintSettings } from "./settings.js";
import type { Finding } from "./types.js";
import { compareText } from "../emit/textOrder.js";

const KIND = "lint-files";

export interface FilesLint {
  /** Raw findings (before exclusions) of the per-dashboard and rule-file rules over the files. */
  findings: Finding[];
  /** The rule groups the files hold, as lint reads them (context.ts ruleGroupsOf). */
  groups: LintRuleGroup[];
  /** The datasources the files provision: uid, plugin type. */
  provisioned: [string, string][];
}

export interface FilesLintReuse {
  hit?: FilesLint;
  record(value: FilesLint): void;
}

export interface FilesLintInputs {
  files: readonly OutputFile[];
  settings: LintSettings;
  environments: readonly LintEnvironment[];
  /** The catalog and where the config lives, as the context reads them (RepoContent). */
  content: { catalog: unknown; configFile: string };
  /** How the tree is named in findings. */
  treeLabel: string;
}

export function filesLintReuse(cache: StageCache, inputs: FilesLintInputs): FilesLintReuse {
  const files = [...inputs.files].sort((a, b) => compareText(a.path, b.path)).map((f) => digest(f.path, f.content));
  const key = cache.key(KIND, stableValue(inputs.settings), stableValue(inputs.environments), stableValue(inputs.content.catalog), inputs.content.configFile, inputs.treeLabel, ...files);
  const value = cache.read(KIND, key);
  if (isFilesLint(value)) {
    cache.reused(KIND, key, value);
    // Copied: the caller's context and report hold them.
    return { hit: structuredClone(value), record: () => {} };
  }
  return { record: (v) => cache.record(KIND, key, v) };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isString = (v: unknown) => typeof v === "string";

/** An entry passed its digest; its shape is still checked before it is believed. */
function isFilesLint(v: unknown): v is FilesLint {
  return (
    isRecord(v) &&
    Array.isArray(v.findings) &&
    v.findings.every((f) => isRecord(f) && isString(f.rule) && (f.severity === "error" || f.severity === "warning") && isString(f.file) && isString(f.message)) &&
    Array.isArray(v.provisioned) &&
    v.provisioned.every((p) => Array.isArray(p) && p.length === 2 && isString(p[0]) && isString(p[1])) &&
    Array.isArray(v.groups) &&
    v.groups.every((g) => isRecord(g) && isString(g.name) && isString(g.file) && isString(g.output) && ["prometheus", "grafana", "loki"].includes(g.source as string) && Array.isArray(g.rules) && g.rules.every((r) => isRecord(r) && isString(r.name) && isString(r.expr) && isRecord(r.labels) && isRecord(r.annotations)))
  );
}
