// The definition's lintWaivers: the lint debt an import carries visibly instead of hiding or silently
// "fixing" it. Panels that came without a description or unit (the importer does not invent prose),
// and what lint finds in the original's own choices that the importer cannot change without changing
// what the dashboard shows or selects (queries without job/instance matchers, fixed rate windows,
// variables refreshed on load, a generated-looking uid kept so that links keep working, …). One
// waiver per rule, with the panels it concerns (none: the whole dashboard) and a reason saying what
// the original does. Written compactly (several titles a line), so the debt does not bloat the file.
import { jsString } from "../escape.js";
import type { ImportWarning } from "../warnings.js";

export interface ImportWaiver {
  rule: string;
  reason: string;
  /** Panel titles; undefined: the whole dashboard. */
  panels?: string[];
  /** How many lint findings it waives (known when lint ran over the import). */
  findings?: number;
}

/** What the original does, per rule, as the waiver's reason. */
const REASONS: Record<string, string> = {
  "panel-title-description": "imported from Grafana without a description",
  "panel-units": "imported from Grafana without a unit",
  "target-job-instance-matchers": "imported queries have no job/instance matchers; adding them changes what they select",
  "template-job-instance": "the imported dashboard has no multi-value $job/$instance variables of the house form",
  "template-refresh": "imported variables refresh on dashboard load only, not on time range change",
  "target-rate-interval": "imported queries use fixed rate windows, not $__rate_interval",
  "dashboard-uid": "the imported uid is kept so that links and bookmarks to the dashboard keep working",
  "promql-gauge-rate": "imported queries apply rate/irate/increase to series the catalog types gauge",
  "target-counter-rate": "imported queries read counters without rate/irate/increase",
  "contract-duration-seconds": "imported queries read durations in other units than seconds, as the exporter names them",
  "contract-high-cardinality": "imported queries group or label by high-cardinality labels",
  "contract-counter-total": "imported queries rate series whose exporter names them without _total",
  "panel-datasource": "imported panels use a fixed datasource, not a datasource variable",
  "template-datasource": "the imported dashboard has no datasource variable of the house form",
};

export function waiverReason(rule: string): string {
  return REASONS[rule] ?? `kept as the imported dashboard has it (lint rule ${rule})`;
}

/** `items` joined with ", " in lines of about `width` characters, each line indented by `pad`. */
function packed(items: string[], width: number, pad: string): string {
  const lines: string[] = [];
  let line = "";
  for (const item of items) {
    if (line && line.length + item.length + 2 > width) {
      lines.push(`${line},`);
      line = "";
    }
    line = line ? `${line}, ${item}` : item;
  }
  if (line) lines.push(line);
  return lines.map((l) => pad + l).join("\n");
}

/** The lintWaivers property of the definition (prettier leaves the packed lists as written), or nothing. */
export function waiverLines(waivers: readonly ImportWaiver[]): string[] {
  if (!waivers.length) return [];
  return [
    "// Lint debt carried over from the original dashboard, per rule: what it does and where. Fix it, then",
    "// take the panel (or the waiver) off the list; lint counts what is waived and names a stale waiver.",
    "// prettier-ignore",
    "lintWaivers: [",
    ...waivers.map((w) => {
      // prettier-ignore keeps the text as written after its first line: indented here as prettier would.
      const head = `    { rule: ${jsString(w.rule)}, reason: ${jsString(w.reason)}`;
      if (!w.panels) return `${head} },`;
      return `${head}, panels: [\n${packed(w.panels.map(jsString), 110, "      ")},\n    ] },`;
    }),
    "  ],",
  ];
}

export function waiverWarnings(waivers: readonly ImportWaiver[]): ImportWarning[] {
  return waivers.map((w) => {
    const what = w.panels
      ? `${w.panels.length} panel(s) (${w.panels.slice(0, 3).map((t) => JSON.stringify(t)).join(", ")}${w.panels.length > 3 ? ", …" : ""})`
      : "the dashboard";
    const count = w.findings !== undefined ? `${w.findings} finding(s) of ` : "";
    return {
      code: "lint-waiver" as const,
      where: w.panels ? `${w.panels.length} panel(s)` : "dashboard",
      message: `${count}${w.rule} on ${what}: ${w.reason}; listed in lintWaivers of index.ts`,
    };
  });
}
