// Two panels with one title in the same row cannot be told apart — not by a reader, not by an
// alert's dashboard link (panels are found by title), not in a search.
import { panelsOf } from "../../pipeline/dashboards.js";
import type { RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";
import { atPanel } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

export default defineRule({
  id: "panel-title-unique",
  scope: "dashboard",
  severity: "error",
  purpose: "No two panels of one row share a title",
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const d of ctx.dashboards) {
      // Rows in document order: the panels before the first row, then each row's panels
      // (a collapsed row holds them, an open row is followed by them).
      const rows: { title: string; panels: { title?: string; type?: string; id?: number }[] }[] = [{ title: "(top)", panels: [] }];
      for (const p of panelsOf(d.json)) {
        if (p.type === "row") rows.push({ title: p.title ?? "", panels: [...((p as RowPanel).panels ?? [])] });
        else rows.at(-1)!.panels.push(p);
      }
      for (const row of rows) {
        const seen = new Set<string>();
        for (const p of row.panels) {
          const title = (p.title ?? "").trim();
          if (!title) continue;
          if (seen.has(title)) {
            out.push({ ...atPanel(d, p), message: `row "${row.title}" has more than one panel titled "${title}"`, fix: "make the titles say what differs (e.g. the label split or the quantile)" });
          }
          seen.add(title);
        }
      }
    }
    return out;
  },
});
