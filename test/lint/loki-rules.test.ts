// Loki ruler files (loki/rules/<tenant>/<group>.yaml) are rule files whose expressions are LogQL:
// lint reads their groups as source "loki" and checks their expressions as LogQL, never as PromQL.
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { createContext, type TreeFile } from "../../src/lint/context.js";
import { querySites } from "../../src/lint/sites.js";
import { REPO_CONTENT } from "../../scripts/content.js";
import { config, findings, goodAlert, REPO, tree } from "./fixtures.js";

const LOGQL = 'label_replace(sum(rate({job="docker", service="app"} | json | __error__="" | level="error" [5m])) * 60, "job", "fastapi", "", "") > 10';

function lokiFile(expr: string): TreeFile {
  return { path: "loki/rules/fake/logs.yaml", content: stringify({ groups: [{ name: "logs", rules: [goodAlert({ alert: "LogErrorBurst", expr })] }] }) };
}

describe("lint of Loki ruler files", () => {
  it("reads their groups as loki and their expressions as LogQL", () => {
    const ctx = createContext(tree({ files: [lokiFile(LOGQL)] }), { content: REPO_CONTENT, repoRoot: REPO, treeLabel: "build", env: "dev", config });
    expect(ctx.groups.map((g) => [g.source, g.name])).toEqual([
      ["loki", "logs"],
      ["prometheus", "fixture"],
    ]);
    const site = querySites(ctx).find((s) => s.rule?.group.source === "loki");
    expect(site?.lang).toBe("logql");
  });

  it("a valid LogQL rule raises no PromQL findings (a parser stage is not a counter, a rule range is not a panel's)", () => {
    for (const rule of ["query-syntax", "contract-counter-total", "target-logql-auto"]) {
      expect(findings(rule, tree({ files: [lokiFile(LOGQL)] })), rule).toEqual([]);
    }
  });

  it("a LogQL syntax error in a Loki rule file is a query-syntax finding on that rule", () => {
    const found = findings("query-syntax", tree({ files: [lokiFile('sum(rate({job="docker", service="app"} | json [5m]) > 10')] }));
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/syntax error at column \d+/);
    expect(JSON.stringify(found[0])).toContain("LogErrorBurst");
  });
});
