// Access to logs, traces and dashboards is restricted by role (admin, then an ops team). The dev
// stacks run Grafana with anonymous Admin; a production environment must not hand a folder to every
// Viewer or Editor of the org.
import { defineRule, type RuleFinding } from "../types.js";

export default defineRule({
  id: "prod-folder-access",
  scope: "rule-files",
  severity: "error",
  purpose: "Production environments grant no folder to everyone (the Viewer or Editor basic role); grants go to teams",
  check(ctx) {
    const out: RuleFinding[] = [];
    const prod = ctx.settings.productionEnvironments;
    for (const env of ctx.environments.filter((e) => prod.includes(e.name) && e.config)) {
      for (const [key, grants] of Object.entries(env.config!.access?.folders ?? {})) {
        for (const [role, permission] of Object.entries(grants.roles ?? {})) {
          if (permission === undefined) continue;
          out.push({
            file: ctx.configFile,
            message: `${env.name}: access.folders.${key} grants ${permission} to every ${role} of the org`,
            fix: `remove access.folders.${key}.roles.${role} and grant a team instead (access.teams)`,
          });
        }
      }
    }
    return out;
  },
});
