import { describe, expect, it } from "vitest";
import { dashboardWith, findings, tree, UID } from "../fixtures.js";

const RULE = "template-job-instance";

describe(RULE, () => {
  it("passes $job and $instance label_values variables, instance filtered by job", () => {
    expect(findings(RULE)).toEqual([]);
  });

  it("reports a missing $instance and an unchained one", () => {
    const without = dashboardWith((d) => (d.templating!.list = d.templating!.list!.filter((v) => v.name !== "instance")));
    expect(findings(RULE, tree({ dashboards: [without] }))).toMatchObject([{ dashboardUid: UID, panelTitle: "variable $instance", message: expect.stringContaining("no $instance") }]);
    const unchained = dashboardWith((d) => {
      const v = d.templating!.list!.find((x) => x.name === "instance")!;
      v.query = "label_values(http_requests_total, instance)";
    });
    expect(findings(RULE, tree({ dashboards: [unchained] }))[0].message).toContain("not of the selected $job");
  });

  it("reports a single-select $job and an instance All value of .*, as dashboard-linter's template-job-rule / template-instance-rule", () => {
    const d = dashboardWith((d) => {
      const list = d.templating!.list!;
      list.find((x) => x.name === "job")!.multi = false;
      list.find((x) => x.name === "instance")!.allValue = ".*";
    });
    const f = findings(RULE, tree({ dashboards: [d] }));
    expect(f).toMatchObject([
      { panelTitle: "variable $instance", peerRule: "template-instance-rule", message: expect.stringContaining('allValue ".*"') },
      { panelTitle: "variable $job", peerRule: "template-job-rule", message: expect.stringContaining("single-select") },
    ]);
  });
});
