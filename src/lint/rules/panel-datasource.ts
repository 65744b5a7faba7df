// dashboard-linter's panel-datasource-rule: every panel, query and query variable goes through a
// datasource variable of the dashboard, whatever the datasource (Prometheus, Loki, Tempo, Jaeger):
// a fixed uid ignores what the viewer picked and ties the dashboard to one Grafana's uids.
import { resolveDatasourceType, variableName } from "../../validate/datasourceRefs.js";
import { board } from "../boards.js";
import { PEER_DATASOURCE_PANELS } from "../peers.js";
import { atPanel } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

/** Grafana's pseudo datasources: not a datasource a viewer could point elsewhere. */
const BUILT_IN = new Set(["-- Grafana --", "-- Mixed --", "-- Dashboard --", "grafana", "__expr__", "datasource"]);

type Ref = { uid?: unknown; type?: unknown } | string | null | undefined;

/** uid and type of a reference as Grafana stores it (an object, or a name in old dashboards). */
function parts(ref: Ref): { uid: string; type: string } {
  if (typeof ref === "string") return { uid: ref, type: "" };
  if (!ref || typeof ref !== "object") return { uid: "", type: "" };
  return { uid: typeof ref.uid === "string" ? ref.uid : "", type: typeof ref.type === "string" ? ref.type : "" };
}

export default defineRule({
  id: "panel-datasource",
  scope: "dashboard",
  severity: "error",
  purpose: "Every panel, target and query variable uses a datasource variable of its type, not a fixed uid",
  peers: ["panel-datasource-rule"],
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const d of ctx.dashboards) {
      const b = board(ctx, d);
      const vars = b.datasourceVariables;
      const suggest = (type: string) => {
        const existing = [...vars].find(([, t]) => t === type)?.[0];
        return existing ? `"\${${existing}}"` : type ? `"\${${type}_datasource}" (a datasource variable of type ${type})` : "a datasource variable";
      };
      /** Why the reference is not through a datasource variable, or undefined when it is (or is built in). */
      const problem = (ref: Ref): { text: string; type: string } | undefined => {
        const { uid, type: declared } = parts(ref);
        if (BUILT_IN.has(uid) || BUILT_IN.has(declared)) return undefined;
        const name = uid ? variableName(uid) : undefined;
        if (name && vars.has(name)) return undefined;
        const type = resolveDatasourceType(typeof ref === "object" && ref ? (ref as never) : { uid }, d.json, ctx.provisioned) ?? declared;
        return { text: uid ? `datasource uid "${uid}"` : "the default datasource", type };
      };
      for (const v of b.variables) {
        if (v.type !== "query") continue;
        const p = problem(v.datasource as Ref);
        if (p) out.push({ ...atPanel(d, {}), panelTitle: `variable $${v.name}`, message: `variable $${v.name} uses ${p.text} instead of a datasource variable`, fix: `set its datasource uid to ${suggest(p.type)}` });
      }
      for (const panel of b.panels) {
        const targets = (panel as { targets?: unknown }).targets;
        const list = Array.isArray(targets) ? (targets as { refId?: string; datasource?: Ref }[]) : [];
        if (!list.length) continue;
        const p = problem(panel.datasource as Ref);
        if (p) {
          out.push({
            ...atPanel(d, panel),
            peerRule: PEER_DATASOURCE_PANELS.has(panel.type) ? "panel-datasource-rule" : undefined,
            message: `${panel.type} panel uses ${p.text} instead of a datasource variable`,
            fix: `set its datasource uid to ${suggest(p.type)} (prom(), logql(), traceql() in src/presets/targets.ts do)`,
          });
        }
        list.forEach((t, i) => {
          if (!t || typeof t !== "object" || t.datasource === undefined) return;
          const q = problem(t.datasource);
          if (q) out.push({ ...atPanel(d, panel), refId: t.refId, targetIndex: i, message: `query ${t.refId ?? i} uses ${q.text} instead of a datasource variable`, fix: `set its datasource uid to ${suggest(q.type)}` });
        });
      }
    }
    return out;
  },
});
