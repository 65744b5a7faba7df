import { describe, expect, it } from "vitest";
import { dashboardWith, findings, tree, UID } from "../fixtures.js";

const RULE = "template-datasource";

describe(RULE, () => {
  it("passes a Prometheus dashboard with a prometheus datasource variable", () => {
    expect(findings(RULE)).toEqual([]);
  });

  it("reports a Prometheus dashboard without one", () => {
    const d = dashboardWith((d) => {
      d.templating!.list = d.templating!.list!.filter((v) => v.type !== "datasource");
      for (const p of d.panels) {
        if (p.type === "row") continue;
        if ((p.datasource as { type?: string })?.type === "prometheus") p.datasource = { type: "prometheus", uid: "prometheus" };
        for (const t of (p.targets as { datasource?: { type?: string; uid?: string } }[]) ?? []) {
          if (t.datasource?.type === "prometheus") t.datasource.uid = "prometheus";
        }
      }
    });
    const f = findings(RULE, tree({ dashboards: [d] }));
    expect(f).toMatchObject([{ rule: RULE, dashboardUid: UID }]);
    expect(f[0].fix).toContain("datasourceVariable()");
  });

  it("with several datasource variables, reports one not named <type>_datasource, as template-datasource-rule", () => {
    const d = dashboardWith((d) => {
      d.templating!.list!.find((v) => v.name === "prometheus_datasource")!.name = "datasource";
    });
    expect(findings(RULE, tree({ dashboards: [d] }))).toMatchObject([{ panelTitle: "variable $datasource", peerRule: "template-datasource-rule", message: expect.stringContaining("should be named prometheus_datasource") }]);
  });
});
