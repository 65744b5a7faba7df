// Lint dashboards read from JSON files (external.ts) with the same rules and engine as a tree: each
// dashboard becomes one file of an in-memory tree, findings are mapped back to the file and the line
// of the panel, variable or query they are about. Stack-specific rules run only when named.
import type { ExclusionsFile } from "./exclusions.js";
import type { ExternalDashboard } from "./external.js";
import { lintTree, type LintReport, type LintTreeOptions } from "./index.js";
import { jsonSpans, lineIndex, type Span } from "./jsonPositions.js";
import { RULES } from "./registry.js";
import { DEFAULT_SETTINGS } from "./settings.js";
import type { Finding } from "./types.js";

export interface ExternalLintOptions {
  dashboards: ExternalDashboard[];
  repoRoot: string;
  /** The repository's content (scripts/content.ts): the rules' configuration and catalog. */
  content: LintTreeOptions["content"];
  /** The environment whose configuration applies (default dev). */
  env?: string;
  /** Rule ids; default every rule that is not stack-specific. */
  only?: readonly string[];
  exclusions?: ExclusionsFile;
  today?: string;
}

const PREFIX = "grafana/provisioning/dashboards/external/";

/** The rules that run on dashboards that are not ours when none is named. */
export const PORTABLE_RULES: readonly string[] = RULES.filter((r) => !r.stackSpecific).map((r) => r.id);

export function lintExternal(opts: ExternalLintOptions): LintReport {
  const files = opts.dashboards.map((_, i) => ({ path: `${PREFIX}${i}.json`, content: "" }));
  const report = lintTree({
    content: opts.content,
    files,
    env: opts.env ?? "dev",
    repoRoot: opts.repoRoot,
    treeLabel: "",
    sources: new Map(files.map((f, i) => [f.path, opts.dashboards[i].file])),
    parsed: new Map(files.map((f, i) => [f.path, opts.dashboards[i].json as unknown])),
    exclusions: opts.exclusions ?? { file: "(none)", settings: DEFAULT_SETTINGS, exclusions: [] },
    only: opts.only ?? PORTABLE_RULES,
    today: opts.today,
    environments: [],
  });
  const locators = new Map<number, (f: Finding) => number | undefined>();
  const place = (f: Finding): Finding => {
    if (!f.output?.startsWith(PREFIX)) return f;
    const i = Number(f.output.slice(PREFIX.length, -".json".length));
    let locate = locators.get(i);
    if (!locate) {
      locate = locator(opts.dashboards[i]);
      locators.set(i, locate);
    }
    const { output: _, ...rest } = f;
    return { ...rest, line: f.line ?? locate(f) };
  };
  return {
    ...report,
    findings: report.findings.map(place),
    excluded: report.excluded.map((x) => ({ ...x, finding: place(x.finding) })),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Pointers of a dashboard's panels by title (first wins) and of its variables by name. */
export function dashboardPointers(d: ExternalDashboard): { panels: Map<string, string>; variables: Map<string, string> } {
  const panels = new Map<string, string>();
  const walk = (list: unknown, at: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((p, i) => {
      if (!isRecord(p)) return;
      const title = typeof p.title === "string" ? p.title : "";
      if (!panels.has(title)) panels.set(title, `${at}/${i}`);
      walk(p.panels, `${at}/${i}/panels`);
    });
  };
  walk(d.json.panels, `${d.pointer}/panels`);
  const variables = new Map<string, string>();
  const list = isRecord(d.json.templating) ? d.json.templating.list : undefined;
  if (Array.isArray(list)) list.forEach((v, i) => isRecord(v) && typeof v.name === "string" && !variables.has(v.name) && variables.set(v.name, `${d.pointer}/templating/list/${i}`));
  return { panels, variables };
}

/** The JSON Pointer a finding is about inside its dashboard. */
export function pointerOf(d: ExternalDashboard, f: Finding, pointers = dashboardPointers(d)): string {
  const title = f.panelTitle;
  if (title?.startsWith("variable $")) return pointers.variables.get(title.slice("variable $".length)) ?? d.pointer;
  if (title !== undefined) {
    const panel = pointers.panels.get(title) ?? pointers.panels.get("");
    if (panel) return f.targetIndex !== undefined ? `${panel}/targets/${f.targetIndex}` : panel;
  }
  return d.pointer;
}

function locator(d: ExternalDashboard): (f: Finding) => number | undefined {
  const spans = jsonSpans(d.text);
  const line = lineIndex(d.text);
  const pointers = dashboardPointers(d);
  const at = (s: Span | undefined) => (s ? line(s.keyStart ?? s.start) : undefined);
  return (f) => at(spans.get(pointerOf(d, f, pointers))) ?? at(spans.get(d.pointer));
}
