// A definition's lint waivers (src/definitions.ts) applied to the build's structure problems: a
// missing description or unit of a waived panel does not stop the build. Lint still finds them and
// counts them as excluded (src/lint/waivers.ts), so the debt stays in every report.
import type { Problem } from "../errors.js";
import { WAIVABLE_RULES, type BuiltDashboard } from "../model/dashboard.js";

/** The problems no waiver of their dashboard's definition covers. */
export function withoutWaived(problems: Problem[], dashboards: BuiltDashboard[]): Problem[] {
  const waived = new Set<string>();
  for (const d of dashboards)
    for (const w of d.definition.lintWaivers ?? [])
      for (const panel of w.panels) waived.add([d.json.uid, WAIVABLE_RULES[w.rule], panel].join("\u0000"));
  if (!waived.size) return problems;
  return problems.filter((p) => !waived.has([p.dashboardUid, p.code, p.panelTitle].join("\u0000")));
}
