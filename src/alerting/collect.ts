// Collects alert groups and SLOs from alerts/ (discovered like dashboards: alerts/<name>.ts or
// alerts/<name>/index.ts whose default export is a definition or a list) and expands them into rule
// groups. Every problem names the definition file and, where there is one, the alert.
import { relative } from "node:path";
import { z } from "zod";
import type { Config } from "../model/config.js";
import type { Problem } from "../errors.js";
import { definitionFiles, REPO_ROOT } from "../pipeline/collect.js";
import { importDefinition, loadFailure } from "../pipeline/importDefinition.js";
import { alertContext, SEVERITIES, type AlertGroupDefinition, type AlertingDefinition, type AlertSpec, type SloDefinition, type SloSpec } from "./define.js";
import type { AlertRule, RecordingRule, RuleGroup } from "./model.js";
import { sloRuleGroup } from "./slo.js";
import { compareText } from "../emit/textOrder.js";

const groupName = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, "must be lower-case letters, digits and '-' (it names the rule file)");
const duration = z.string().regex(/^\d+[smhd]$/, 'must be a duration such as "5m"');

const definitionSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("alert-group"),
    name: groupName,
    interval: duration.optional(),
    language: z.enum(["promql", "logql"], { errorMap: () => ({ message: 'must be "promql" or "logql"' }) }).optional(),
    alerts: z.function(),
    records: z.function().optional(),
  }),
  z.object({ kind: z.literal("slo"), name: groupName, build: z.function() }),
]);

const panelRef = z.object({ dashboard: z.string().min(1), panel: z.string().min(1) }).strict();
const dashboardLink = z.union([panelRef, z.object({ byJob: z.record(z.string().min(1), panelRef) }).strict()], {
  errorMap: () => ({ message: "must be { dashboard, panel } or { byJob: { <job>: { dashboard, panel } } }" }),
});
const alertName = z.string().regex(/^[A-Z][A-Za-z0-9]*$/, "must be PascalCase letters and digits (it is the alertname and the runbook file name)");
const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/);

const alertSpecSchema = z
  .object({
    name: alertName,
    severity: z.enum(SEVERITIES, { errorMap: () => ({ message: `must be one of ${SEVERITIES.join(", ")}` }) }),
    expr: z.string().trim().min(1, "must be a PromQL expression (LogQL in a logql group)"),
    for: duration,
    summary: z.string().trim().min(1),
    description: z.string().trim().min(1),
    labels: z
      .record(labelName, z.string())
      .refine((l) => !("severity" in l) && !("alertname" in l), "must not set severity or alertname (use the fields)")
      .optional(),
    dashboard: dashboardLink,
    variant: z.string().regex(/^[\w./-]+$/, "must be a short tag such as paged-by-slo").optional(),
  })
  .strict();

const recordSpecSchema = z
  .object({
    record: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "must be a metric name such as service:log_lines_error:rate5m"),
    expr: z.string().trim().min(1, "must be an expression"),
    labels: z.record(labelName, z.string()).optional(),
  })
  .strict();

const sloSpecSchema = z
  .object({
    alert: alertName,
    title: z.string().trim().min(1),
    objective: z.number().gt(0.5).lt(1),
    good: z.string().trim().min(1),
    total: z.string().trim().min(1),
    by: z.array(labelName).optional(),
    goodMayBeAbsent: z.boolean().optional(),
    dashboard: dashboardLink,
  })
  .strict();

function issues(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
}

/** Imports the definition files in `dir`; a file that fails to load or exports the wrong shape is a problem. */
export async function collectAlerting(dir: string): Promise<{ definitions: AlertingDefinition[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const definitions: AlertingDefinition[] = [];
  for (const path of definitionFiles(dir)) {
    const file = relative(REPO_ROOT, path);
    let exported: unknown;
    try {
      exported = (await importDefinition(path)).default;
    } catch (e) {
      problems.push(loadFailure(path, e, REPO_ROOT));
      continue;
    }
    for (const def of Array.isArray(exported) ? exported : [exported]) {
      const parsed = definitionSchema.safeParse(def);
      if (!parsed.success) {
        problems.push({
          code: "bad-definition",
          file,
          message: `${issues(parsed.error)} (export default defineAlertGroup({...}), defineSlo({...}) or a list of them)`,
        });
        continue;
      }
      definitions.push({ ...(def as AlertingDefinition), file });
    }
  }
  return { definitions, problems };
}

function alertRule(spec: AlertSpec): AlertRule {
  return {
    kind: "alert",
    name: spec.name,
    expr: spec.expr.trim(),
    for: spec.for,
    labels: { ...(spec.labels ?? {}), severity: spec.severity },
    annotations: { summary: spec.summary.trim(), description: spec.description.trim() },
    dashboard: spec.dashboard,
    ...(spec.variant ? { variant: spec.variant } : {}),
  };
}

function expandGroup(def: AlertGroupDefinition, config: Config, problems: Problem[]): RuleGroup | null {
  const file = def.file ?? "";
  let specs: unknown;
  try {
    specs = def.alerts(alertContext(config));
  } catch (e) {
    problems.push({ code: "definition-build", file, message: `alert group "${def.name}": ${(e as Error).message}` });
    return null;
  }
  if (!Array.isArray(specs)) {
    problems.push({ code: "bad-definition", file, message: `alert group "${def.name}": alerts() must return a list of alerts` });
    return null;
  }
  const rules: (AlertRule | RecordingRule)[] = [];
  specs.forEach((spec, i) => {
    const parsed = alertSpecSchema.safeParse(spec);
    const name = typeof (spec as AlertSpec)?.name === "string" ? (spec as AlertSpec).name : `alert #${i + 1} of group "${def.name}"`;
    if (!parsed.success) {
      problems.push({ code: "bad-alert", file, rule: name, message: issues(parsed.error) });
      return;
    }
    rules.push(alertRule(parsed.data as AlertSpec));
  });
  rules.push(...expandRecords(def, config, problems));
  return { name: def.name, file, interval: def.interval, ...(def.language === "logql" ? { language: "logql" as const } : {}), rules };
}

/** The group's recording rules (records()), each checked like an alert. */
function expandRecords(def: AlertGroupDefinition, config: Config, problems: Problem[]): RecordingRule[] {
  const file = def.file ?? "";
  if (!def.records) return [];
  let specs: unknown;
  try {
    specs = def.records(alertContext(config));
  } catch (e) {
    problems.push({ code: "definition-build", file, message: `alert group "${def.name}": records(): ${(e as Error).message}` });
    return [];
  }
  if (!Array.isArray(specs)) {
    problems.push({ code: "bad-definition", file, message: `alert group "${def.name}": records() must return a list of recording rules` });
    return [];
  }
  return specs.flatMap((spec: unknown, i) => {
    const parsed = recordSpecSchema.safeParse(spec);
    if (parsed.success) return [{ kind: "record" as const, record: parsed.data.record, expr: parsed.data.expr.trim(), labels: parsed.data.labels ?? {} }];
    const record = (spec as { record?: unknown } | null)?.record;
    problems.push({ code: "bad-record", file, rule: typeof record === "string" ? record : `recording rule #${i + 1} of group "${def.name}"`, message: issues(parsed.error) });
    return [];
  });
}

function expandSlo(def: SloDefinition, config: Config, problems: Problem[]): { group: RuleGroup; spec: SloSpec } | null {
  const file = def.file ?? "";
  let spec: unknown;
  try {
    spec = def.build(alertContext(config));
  } catch (e) {
    problems.push({ code: "definition-build", file, message: `SLO "${def.name}": ${(e as Error).message}` });
    return null;
  }
  const parsed = sloSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const alert = (spec as SloSpec | undefined)?.alert;
    problems.push({ code: "bad-slo", file, rule: typeof alert === "string" ? alert : undefined, message: `SLO "${def.name}": ${issues(parsed.error)}` });
    return null;
  }
  return { group: sloRuleGroup(def.name, parsed.data as SloSpec, file, config.alerting.thresholds.minRequestsPerMinute), spec: parsed.data as SloSpec };
}

export interface ExpandedAlerting {
  groups: RuleGroup[];
  slos: { name: string; file: string; spec: SloSpec }[];
}

/** Runs every definition and checks what it returns; groups sorted by name. */
export function expandDefinitions(definitions: AlertingDefinition[], config: Config): { expanded: ExpandedAlerting; problems: Problem[] } {
  const problems: Problem[] = [];
  const groups: RuleGroup[] = [];
  const slos: ExpandedAlerting["slos"] = [];
  for (const def of definitions) {
    if (def.kind === "alert-group") {
      const g = expandGroup(def, config, problems);
      if (g) groups.push(g);
    } else {
      const s = expandSlo(def, config, problems);
      if (s) {
        groups.push(s.group);
        slos.push({ name: def.name, file: def.file ?? "", spec: s.spec });
      }
    }
  }
  const seenGroup = new Map<string, string>();
  for (const g of groups) {
    const other = seenGroup.get(g.name);
    if (other !== undefined) problems.push({ code: "duplicate-group", file: g.file, message: `rule group "${g.name}" is also defined in ${other}` });
    seenGroup.set(g.name, g.file);
  }
  // An alertname belongs to one definition (an SLO's window pairs share theirs on purpose).
  const owner = new Map<string, string>();
  for (const g of groups) {
    for (const name of new Set(g.rules.filter((r) => r.kind === "alert").map((r) => (r as AlertRule).name))) {
      const other = owner.get(name);
      if (other !== undefined) problems.push({ code: "duplicate-alert", file: g.file, rule: name, message: `alert "${name}" is also defined in ${other}` });
      else owner.set(name, `${g.file} (group ${g.name})`);
    }
  }
  problems.push(...duplicateAlertsInGroup(groups));
  return { expanded: { groups: groups.sort((a, b) => compareText(a.name, b.name)), slos }, problems };
}

/**
 * Within one group an alertname appears once (an SLO's window pairs differ by variant): Prometheus
 * would evaluate both and promtool's lint rejects the file; which one fires is anyone's guess.
 */
function duplicateAlertsInGroup(groups: RuleGroup[]): Problem[] {
  const problems: Problem[] = [];
  for (const g of groups) {
    const first = new Map<string, number>();
    g.rules.forEach((r, i) => {
      if (r.kind !== "alert") return;
      const key = `${r.name}\u0000${r.variant ?? ""}`;
      const earlier = first.get(key);
      if (earlier === undefined) return void first.set(key, i);
      problems.push({
        code: "duplicate-alert",
        file: g.file,
        rule: r.name,
        message: `alert "${r.name}" is defined twice in group "${g.name}": rule #${earlier + 1} and rule #${i + 1} of ${g.file}`,
      });
    });
  }
  return problems;
}

export async function loadAlerting(dir: string, config: Config): Promise<{ expanded: ExpandedAlerting; problems: Problem[] }> {
  const collected = await collectAlerting(dir);
  const { expanded, problems } = expandDefinitions(collected.definitions, config);
  return { expanded, problems: [...collected.problems, ...problems] };
}

