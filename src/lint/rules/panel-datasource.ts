// dashboard-linter's panel-datasource-rule: every Prometheus panel, query and query variable goes
// through the dashboard's datasource variable; a fixed uid ignores what the viewer picked.
import { datasourceVariables, resolveDatasourceType, variableName } from "../../validate/datasourceRefs.js";
import { atPanel, panels } from "../sites.js";
import { defineRule, type RuleFinding } from "../types.js";

type Ref = { uid?: string | null; type?: string | null } | undefined;

export default defineRule({
  id: "panel-datasource",
  severity: "error",
  purpose: "Every Prometheus panel, target and query variable uses the dashboard's datasource variable, not a fixed uid",
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const d of ctx.dashboards) {
      const promVars = [...datasourceVariables(d.json)].filter(([, t]) => t === "prometheus").map(([n]) => n);
      const wanted = promVars[0] ? `"\${${promVars[0]}}"` : "a datasource variable";
      const check = (ref: Ref, at: ReturnType<typeof atPanel>, what: string) => {
        if (resolveDatasourceType(ref as never, d.json, ctx.provisioned) !== "prometheus") return;
        const name = ref?.uid ? variableName(ref.uid) : undefined;
        if (name && promVars.includes(name)) return;
        out.push({
          ...at,
          message: `${what} uses ${ref?.uid ? `datasource uid "${ref.uid}"` : "the default datasource"} instead of the datasource variable`,
          fix: `set its datasource to { type: "prometheus", uid: ${wanted} } (prom() in src/presets/targets.ts does)`,
        });
      };
      for (const v of d.json.templating?.list ?? []) {
        if (v.type === "query") check(v.datasource as Ref, { ...atPanel(d, {}), panelTitle: `variable $${v.name}` }, `variable $${v.name}`);
      }
      for (const p of panels(d)) {
        const targets = ((p as { targets?: { refId?: string; datasource?: Ref }[] }).targets ?? []);
        if (targets.length) check(p.datasource as Ref, atPanel(d, p), "panel");
        for (const t of targets) check(t.datasource ?? (p.datasource as Ref), { ...atPanel(d, p), refId: t.refId }, `query ${t.refId ?? ""}`.trim());
      }
    }
    return out;
  },
});
