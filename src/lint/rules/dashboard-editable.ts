// The definition in the repository is the source of truth: a dashboard editable in Grafana invites
// changes that the next provisioning run silently throws away.
import { atDashboard } from "../sites.js";
import { defineRule } from "../types.js";

export default defineRule({
  id: "dashboard-editable",
  scope: "dashboard",
  severity: "error",
  purpose: "Dashboard is not editable in Grafana (editable: false): the code is the source of truth",
  peers: ["uneditable-dashboard"],
  check(ctx) {
    return ctx.dashboards
      .filter((d) => d.json.editable !== false)
      .map((d) => ({
        ...atDashboard(d),
        // dashboard-linter reads a missing field as false; Grafana reads it as true, so we report both.
        peerRule: d.json.editable === true ? "uneditable-dashboard" : undefined,
        message: `dashboard is editable (editable: ${d.json.editable ?? "unset, Grafana's default is true"}); edits in Grafana are lost on the next provisioning`,
        fix: "call .readonly() on the dashboard builder (baseDashboard does)",
      }));
  },
});
