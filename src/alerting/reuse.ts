// The alerting stage through the build's cache (src/cache/stages.ts): its checks and emitted files
// (rule files, Alertmanager, Grafana alerting) are a function of the expanded rule groups with their
// links resolved, the catalog, and what every stage's key covers (the engine, the environment, the
// config). The key digests those values, not the alert definitions' sources: a definition edited
// without changing a rule (a comment, a refactor) still hits; a threshold changes an expression.
import { join } from "node:path";
import type { StageCache } from "../cache/stages.js";
import { FileDigests, stableValue } from "../cache/hash.js";
import type { Problem } from "../errors.js";
import type { CatalogIndex } from "../model/catalog.js";
import type { OutputFile } from "../model/tree.js";
import { REPO_ROOT } from "../repoRoot.mjs";
import type { ExpandedAlerting } from "./collect.js";
import { ALERTING_SCHEMA } from "./schema.js";

const KIND = "alerting";

/** What the stage yields past link resolution: its files and its problems (warnings: a failed build records nothing). */
export interface AlertingOutcome {
  files: OutputFile[];
  problems: Problem[];
}

export interface AlertingReuse {
  /** The outcome recorded under this build's key, copied (the caller's to keep). */
  hit?: AlertingOutcome;
  record(outcome: AlertingOutcome): void;
}

/** Looks the stage up: `expanded` as annotated by this build's links, `grafana` when Grafana evaluates rules (its schema file counts). */
export function alertingReuse(cache: StageCache, expanded: ExpandedAlerting, catalog: CatalogIndex, grafana: boolean): AlertingReuse {
  const key = cache.key(KIND, stableValue(expanded), stableValue(catalog), grafana ? new FileDigests().of(join(REPO_ROOT, ALERTING_SCHEMA)) : "");
  const value = cache.read(KIND, key);
  if (isOutcome(value)) {
    cache.reused(KIND, key, value);
    return { hit: { files: value.files.map((f) => ({ ...f })), problems: value.problems.map((p) => ({ ...p })) }, record: () => {} };
  }
  return { record: (outcome) => cache.record(KIND, key, outcome) };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** An entry passed its digest; its shape is still checked before it is believed. */
function isOutcome(v: unknown): v is AlertingOutcome {
  return (
    isRecord(v) &&
    Array.isArray(v.files) &&
    v.files.every((f) => isRecord(f) && typeof f.path === "string" && typeof f.content === "string") &&
    Array.isArray(v.problems) &&
    v.problems.every((p) => isRecord(p) && typeof p.code === "string" && typeof p.message === "string")
  );
}
