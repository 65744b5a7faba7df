// dashboard-linter's panel-no-targets-rule: a panel that draws data has at least one query.
import { PEER_DATA_PANELS } from "../peers.js";
import { board } from "../boards.js";
import { atPanel } from "../sites.js";
import { defineRule } from "../types.js";

/** Panel types that show no query results. */
const WITHOUT_DATA = new Set(["text", "news", "dashlist", "alertlist", "annolist", "welcome", "gettingstarted", "live"]);

export default defineRule({
  id: "panel-targets",
  scope: "dashboard",
  severity: "error",
  purpose: "Every panel that shows data has at least one target (query)",
  peers: ["panel-no-targets-rule"],
  check(ctx) {
    return ctx.dashboards.flatMap((d) =>
      board(ctx, d)
        .panels.filter((p) => !WITHOUT_DATA.has(p.type) && !p.libraryPanel && !((p as { targets?: unknown[] }).targets ?? []).length)
        .map((p) => ({
          ...atPanel(d, p),
          // dashboard-linter accepts an empty list (it only sees a missing one).
          peerRule: PEER_DATA_PANELS.has(p.type) && !Array.isArray((p as { targets?: unknown }).targets) ? "panel-no-targets-rule" : undefined,
          message: `${p.type} panel has no targets: it shows "No data" forever`,
          fix: "give it a query (targets: [prom(...)]) or remove the panel",
        })),
    );
  },
});
