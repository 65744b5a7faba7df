// A dashboard's uid is its address (/d/<uid>): links, bookmarks, alerts' dashboard_url and the
// provisioned file name all depend on it. It must be set, valid, readable and unique, and the
// emitted file must be named after it.
import { checkDashboardUids } from "../../validate/dashboardStructure.js";
import { atDashboard } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

const SLUG = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;

export default defineRule({
  id: "dashboard-uid",
  severity: "error",
  purpose: "Dashboard uid is set, a readable slug of at most 40 characters, unique, and names the emitted file",
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const d of ctx.dashboards) {
      const at = atDashboard(d);
      if (!d.uid) {
        out.push({ ...at, message: "dashboard has no uid: Grafana invents one on import, and every link to it breaks on the next import", fix: 'set uid in the definition, e.g. uid: "payments-overview"' });
        continue;
      }
      if (!SLUG.test(d.uid)) {
        out.push({ ...at, message: `uid "${d.uid}" is not a lower-case slug; generated-looking uids cannot be told apart in links and URLs`, fix: "use lower-case words joined by - (e.g. fastapi-overview)" });
      }
      const name = d.output.split("/").pop()!;
      if (name !== `${d.uid}.json`) {
        out.push({ ...at, message: `emitted as ${name} but its uid is "${d.uid}"`, fix: `name the file ${d.uid}.json` });
      }
    }
    // The build's uid checks (length, uniqueness): one piece of code for both.
    for (const p of checkDashboardUids(ctx.dashboards.map((d) => d.built))) {
      const d = ctx.dashboards.find((x) => x.uid === p.dashboardUid)!;
      out.push({ ...atDashboard(d), message: p.message, fix: "give each dashboard its own uid of at most 40 characters" });
    }
    return out;
  },
});
