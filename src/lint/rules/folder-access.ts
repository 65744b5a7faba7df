// Access is decided per folder (src/model/access.ts): a folder with no mapping would keep whatever
// Grafana gives a new folder (Viewer: View, Editor: Edit for everyone), which is not a decision.
import { defineRule, type RuleFinding } from "../types.js";

export default defineRule({
  id: "folder-access",
  scope: "rule-files",
  severity: "error",
  purpose: "Every dashboard folder has an explicit role mapping in access.folders (empty = admin only)",
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const env of ctx.environments) {
      if (!env.config) continue;
      const mapped = env.config.access?.folders ?? {};
      for (const [key, folder] of Object.entries(env.config.folders)) {
        if (Object.hasOwn(mapped, key)) continue;
        out.push({
          file: ctx.configFile,
          message: `${env.name}: folder "${folder.title}" (folders.${key}) has no role mapping in access.folders`,
          fix: `add access.folders.${key}: {} for admin only, or the teams that may see it, e.g. { teams: { ops: "View" } }`,
        });
      }
    }
    return out;
  },
});
