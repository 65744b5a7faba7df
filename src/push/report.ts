// What the push prints: a plan or result table per kind, the objects that change, the failures;
// or one JSON document for tools. Everything passes through `redact` on its way out.
import { KINDS, type ItemResult, type Kind } from "./types.js";

export interface Report {
  url: string;
  dryRun: boolean;
  prune: boolean;
  items: ItemResult[];
  warnings: string[];
  aborted?: string;
  durationMs: number;
}

type Counts = Record<"created" | "updated" | "unchanged" | "deleted" | "failed", number>;

export function summarize(items: ItemResult[]): Record<Kind, Counts> {
  const out = {} as Record<Kind, Counts>;
  for (const k of KINDS) out[k] = { created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0 };
  for (const i of items) {
    const c = out[i.kind];
    if (i.status === "failed") c.failed++;
    else if (i.status === "planned") {
      if (i.op === "create") c.created++;
      else if (i.op === "update") c.updated++;
      else if (i.op === "delete") c.deleted++;
      else c.unchanged++;
    } else c[i.status]++;
  }
  return out;
}

export function isOk(r: Report): boolean {
  return !r.aborted && r.items.every((i) => i.status !== "failed");
}

export function renderJson(r: Report): string {
  return (
    JSON.stringify(
      {
        url: r.url,
        dryRun: r.dryRun,
        prune: r.prune,
        ok: isOk(r),
        aborted: r.aborted,
        durationMs: r.durationMs,
        summary: summarize(r.items),
        items: r.items,
        warnings: r.warnings,
      },
      null,
      2,
    ) + "\n"
  );
}

const label = (i: ItemResult) => `${i.kind.padEnd(15)} ${i.id}${i.title && i.title !== i.id ? `  "${i.title}"` : ""}`;

export function renderText(r: Report): string {
  const lines: string[] = [];
  lines.push(`Grafana push → ${r.url}${r.dryRun ? "  (dry run: nothing is written)" : ""}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  const deletions = r.items.filter((i) => i.op === "delete" && i.status !== "failed");
  const changes = r.items.filter((i) => (i.op === "create" || i.op === "update") && i.status !== "failed");
  const failures = r.items.filter((i) => i.status === "failed");
  if (deletions.length) {
    lines.push("", r.dryRun ? "Would delete:" : "Deleted:");
    for (const i of deletions) lines.push(`  - ${label(i)}${i.note ? `  (${i.note})` : ""}`);
  }
  if (changes.length) {
    lines.push("", r.dryRun ? "Would change:" : "Changed:");
    for (const i of changes) {
      const what = i.op === "update" && i.changes?.length ? `: ${i.changes.slice(0, 6).join(", ")}${i.changes.length > 6 ? ", …" : ""}` : "";
      lines.push(`  ${i.op === "create" ? "+" : "~"} ${label(i)}${what}${i.note ? `  (${i.note})` : ""}`);
    }
  }
  if (failures.length) {
    lines.push("", "Failed:");
    for (const i of failures) lines.push(`  ✗ ${label(i)}: ${i.error ?? "failed"}`);
  }
  const s = summarize(r.items);
  const heads = r.dryRun
    ? ["create", "update", "unchanged", "delete", "failed"]
    : ["created", "updated", "unchanged", "deleted", "failed"];
  const keys = ["created", "updated", "unchanged", "deleted", "failed"] as const;
  lines.push("", `${"kind".padEnd(16)}${heads.map((h) => h.padStart(11)).join("")}`);
  const total: Counts = { created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0 };
  for (const k of KINDS) {
    const c = s[k];
    if (keys.every((key) => c[key] === 0)) continue;
    for (const key of keys) total[key] += c[key];
    lines.push(`${k.padEnd(16)}${keys.map((key) => String(c[key]).padStart(11)).join("")}`);
  }
  lines.push(`${"total".padEnd(16)}${keys.map((key) => String(total[key]).padStart(11)).join("")}`);
  if (r.aborted) lines.push("", `Stopped: ${r.aborted}`);
  const writes = total.created + total.updated + total.deleted;
  lines.push(
    "",
    r.dryRun
      ? `${writes === 0 && total.failed === 0 ? "Nothing to do" : `${writes} change${writes === 1 ? "" : "s"} planned`}. (${(r.durationMs / 1000).toFixed(1)} s)`
      : `${isOk(r) ? "Done" : "Finished with failures"}: ${writes} change${writes === 1 ? "" : "s"}, ${total.failed} failed. (${(r.durationMs / 1000).toFixed(1)} s)`,
  );
  return lines.join("\n") + "\n";
}

export { makeRedactor } from "../http/redact.js";
