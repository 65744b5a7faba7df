// dashboard-linter's panel-title-description-rule: a panel says what it shows (title) and how to
// read it (description, Grafana's (i) tooltip). The structure check of the build finds them; this
// rule reports the same findings for trees linted on their own.
import { board } from "../boards.js";
import { PEER_DATA_PANELS } from "../peers.js";
import { atPanel, panels } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

const CODES: Record<string, string> = {
  "missing-panel-title": 'give the panel a title that names the quantity, e.g. "Requests/s by status"',
  "missing-description": "add a description: what the panel shows, its unit and what a bad value looks like",
};

export default defineRule({
  id: "panel-title-description",
  scope: "dashboard",
  severity: "error",
  purpose: "Every panel has a title and a description",
  enforcedByBuild: "src/validate/dashboardStructure.ts",
  peers: ["panel-title-description-rule"],
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const d of ctx.dashboards) {
      const types = new Map(panels(d).map((p) => [p.title ?? "", p.type]));
      for (const p of board(ctx, d).structure()) {
        const peerRule = PEER_DATA_PANELS.has(types.get(p.panelTitle ?? "") ?? "") ? "panel-title-description-rule" : undefined;
        if (p.code in CODES) out.push({ ...atPanel(d, { title: p.panelTitle }), peerRule, message: p.message, fix: CODES[p.code] });
      }
    }
    return out;
  },
});
