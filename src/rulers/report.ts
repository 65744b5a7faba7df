// What a ruler sync prints: per ruler and tenant a count line, then each group that changes (with
// its diff on --dry-run) and each failure.
import type { RulerKind } from "./source.js";
import type { GroupResult } from "./sync.js";

export interface RulerReport {
  kind: RulerKind;
  url: string;
  tenant?: string;
  groups: GroupResult[];
  aborted?: string;
  note?: string;
}

const SIGN = { create: "+", update: "~", delete: "-", unchanged: "=" } as const;

export function renderRulerReport(reports: RulerReport[], dryRun: boolean): string {
  const lines: string[] = [];
  for (const r of reports) {
    const head = `${r.kind} ruler${r.url ? ` ${r.url}` : ""}${r.tenant ? ` (tenant ${r.tenant})` : ""}`;
    if (r.note) {
      lines.push(`${head}: ${r.note}`);
      continue;
    }
    const n = (op: GroupResult["op"]) => r.groups.filter((g) => g.op === op && g.status !== "failed").length;
    const failed = r.groups.filter((g) => g.status === "failed").length;
    const verb = dryRun ? "would be " : "";
    lines.push(
      `${head}: ${n("create")} ${verb}created, ${n("update")} ${verb}updated, ${n("delete")} ${verb}deleted, ${n("unchanged")} unchanged${failed ? `, ${failed} failed` : ""}`,
    );
    if (r.aborted) lines.push(`  stopped: ${r.aborted}`);
    for (const g of r.groups) {
      if (g.op === "unchanged" && g.status !== "failed") continue;
      lines.push(`  ${g.status === "failed" ? "✗" : SIGN[g.op]} ${g.op} ${g.namespace}/${g.group}${g.error ? `: ${g.error}` : ""}`);
      for (const d of g.diff ?? []) lines.push(`      ${d}`);
    }
  }
  return lines.join("\n") + "\n";
}
