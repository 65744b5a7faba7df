import { describe, expect, it } from "vitest";
import { findings, goodAlert, ruleFile, tree, UID } from "../fixtures.js";

const RULE = "alert-links";
const withAnnotations = (a: Record<string, string | undefined>) => {
  const annotations = Object.fromEntries(Object.entries({ ...goodAlert().annotations, ...a }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return tree({ rules: [ruleFile([{ name: "fixture", rules: [goodAlert({ annotations })] }])] });
};

describe(RULE, () => {
  it("passes a runbook in docs/runbooks and a panel of this tree, also through a job template", () => {
    expect(findings(RULE)).toEqual([]);
    const templated = `{{ if eq $labels.job "fastapi" }}http://localhost:3000/d/${UID}?viewPanel=3{{ else }}http://localhost:3000/d/${UID}?viewPanel=2{{ end }}`;
    expect(findings(RULE, withAnnotations({ dashboard_url: templated }))).toEqual([]);
  });

  it("reports missing links, a runbook file that does not exist, an unknown dashboard and panel", () => {
    expect(findings(RULE, withAnnotations({ runbook_url: undefined, dashboard_url: undefined })).map((f) => f.message)).toEqual(["alert has no runbook_url annotation", "alert has no dashboard_url annotation"]);
    const f = findings(
      RULE,
      withAnnotations({
        runbook_url: "https://github.com/example-org/grafana-as-code/blob/main/docs/runbooks/NoSuchAlert.md",
        dashboard_url: `http://localhost:3000/d/${UID}?viewPanel=77{{ if true }}{{ end }} http://localhost:3000/d/gone?viewPanel=1`,
      }),
    );
    expect(f.map((x) => x.message)).toEqual([
      expect.stringContaining("names docs/runbooks/NoSuchAlert.md, which does not exist"),
      `dashboard_url asks for viewPanel=77, which dashboard "${UID}" does not have`,
      expect.stringContaining("links /d/gone, which this tree does not provision"),
    ]);
    expect(findings(RULE, withAnnotations({ dashboard_url: `https://grafana.example.com/d/${UID}?viewPanel=2` }))[0].message).toContain("is not on this environment's Grafana");
  });
});
