// One reading of an emitted tree for lint, diff and push: where Grafana expands `$` (and reads
// "$$" as "$") and where it keeps a value as written (alert rule annotations, query models).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadConfig } from "../../config/index.js";
import { loadTree } from "../../src/diff/load.js";
import { createContext } from "../../src/lint/context.js";
import { LoadError, parseBuild, readBuildDir } from "../../src/push/load.js";
import { asGrafanaReads, literalDollars, provisioningKind } from "../../src/emit/dollars.js";
import { readTree, readTreeFile, type UnreadableFile } from "../../src/tree/read.js";
import { REPO_CONTENT } from "../../scripts/content.js";

const REPO = resolve(import.meta.dirname, "../..");
const ANNOTATION = "costs $$5 for $VAR and ${VAR} via $__env{X}: {{ $labels.job }}";
const EXPR = 'sum(rate(up{job="$$x"}[5m]))';
const RULES = "grafana/provisioning/alerting/rules.yaml";

const alerting = {
  apiVersion: 1,
  groups: [
    {
      orgId: 1,
      name: "group $$1",
      folder: "Alerts",
      interval: "1m",
      rules: [
        {
          uid: "r1",
          title: "Price $$ rule",
          condition: "A",
          data: [{ refId: "A", datasourceUid: "prometheus", relativeTimeRange: { from: 600, to: 0 }, model: { refId: "A", expr: EXPR } }],
          for: "5m",
          labels: { severity: "$$warning" },
          annotations: { summary: ANNOTATION },
        },
      ],
    },
  ],
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function writeTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "tree-read-"));
  dirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe("the $ rule per provisioning file kind", () => {
  it("names the kind of each tree path", () => {
    expect(provisioningKind("grafana/provisioning/datasources/datasources.yaml")).toBe("datasources");
    expect(provisioningKind("grafana/provisioning/dashboards/dashboards.yaml")).toBe("providers");
    expect(provisioningKind("grafana/provisioning/dashboards/ml/x.json")).toBe("dashboard");
    expect(provisioningKind(RULES)).toBe("alerting");
    expect(provisioningKind("prometheus/rules/x.yml")).toBe("other");
  });

  it("reads $$ as $ in datasources and providers, never in dashboard JSON or Prometheus files", () => {
    const doc = { datasources: [{ name: "a$$b", jsonData: { list: ["$$x", 1, true] } }] };
    expect(asGrafanaReads("grafana/provisioning/datasources/d.yaml", doc)).toEqual({ datasources: [{ name: "a$b", jsonData: { list: ["$x", 1, true] } }] });
    expect(asGrafanaReads("grafana/provisioning/dashboards/dashboards.yaml", { providers: [{ folder: "F$$" }] })).toEqual({ providers: [{ folder: "F$" }] });
    expect(asGrafanaReads("grafana/provisioning/dashboards/f/d.json", { title: "a$$b" })).toEqual({ title: "a$$b" });
    expect(asGrafanaReads("prometheus/rules/r.yml", { groups: [{ name: "a$$b" }] })).toEqual({ groups: [{ name: "a$$b" }] });
  });

  it("keeps alert rule annotations and query models as written, expands the rest of the rule", () => {
    const read = asGrafanaReads(RULES, alerting) as typeof alerting;
    const rule = read.groups[0].rules[0];
    expect(read.groups[0].name).toBe("group $1");
    expect(rule.title).toBe("Price $ rule");
    expect(rule.labels.severity).toBe("$warning");
    expect(rule.annotations.summary).toBe(ANNOTATION);
    expect(rule.data[0].model.expr).toBe(EXPR);
    // Key order survives, so output built from it stays deterministic.
    expect(Object.keys(rule)).toEqual(Object.keys(alerting.groups[0].rules[0]));
  });

  it("literalDollars leaves variables as references", () => {
    expect(literalDollars("$$a $b ${c} $__env{D}", "")).toBe("$a $b ${c} $__env{D}");
  });
});

describe("lint, diff and push read a Grafana-managed alert rule alike", () => {
  const root = writeTree({ [RULES]: stringify(alerting), ".manifest.json": "{}" });
  const env = { VAR: "value", X: "secret-x" };

  it("all three see the annotation exactly as written, and the title with $$ read as $", () => {
    const files = readTree(root);
    expect(files.map((f) => f.path)).toEqual([RULES]);

    const ctx = createContext(files, { content: REPO_CONTENT, repoRoot: REPO, treeLabel: "build", env: "dev", config: loadConfig("dev"), environments: [] });
    const lintRule = ctx.groups[0].rules[0];

    const diffRule = (loadTree(root).grafanaRuleGroups.get("Alerts/group $1")!.group.rules as { title: string; annotations: Record<string, string> }[])[0];

    const pushRule = parseBuild(files, env).ruleGroups[0].rules[0];

    expect(lintRule.annotations.summary).toBe(ANNOTATION);
    expect(diffRule.annotations.summary).toBe(ANNOTATION);
    expect(pushRule.annotations.summary).toBe(ANNOTATION);
    expect([lintRule.name, diffRule.title, pushRule.title]).toEqual(["Price $ rule", "Price $ rule", "Price $ rule"]);
    expect(lintRule.expr).toBe(EXPR);
    expect(pushRule.data[0].model).toMatchObject({ expr: EXPR });
  });

  it("readTreeFile returns undefined for a file that does not parse", () => {
    expect(readTreeFile({ path: RULES, content: "a: [" })).toBeUndefined();
    expect(readTreeFile({ path: "x.json", content: "{" })).toBeUndefined();
  });
});

describe("one file reader for lint and push", () => {
  it("both name the same byte of a file that is not UTF-8", async () => {
    const path = "grafana/provisioning/datasources/datasources.yaml";
    const root = writeTree({ [RULES]: stringify(alerting), [path]: "" });
    writeFileSync(join(root, path), Buffer.concat([Buffer.from("apiVersion: 1\nname: a"), Buffer.from([0xc3, 0x28])]));
    const unreadable: UnreadableFile[] = [];
    readTree(root, unreadable);
    expect(unreadable).toMatchObject([{ path, utf8Offset: 21, message: "byte offset 21 is not valid UTF-8" }]);
    const err = await readBuildDir(root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoadError);
    expect((err as LoadError).message).toBe(`${path}: not valid UTF-8 at byte 21`);
  });

  it("push reads the provisioning files only, leaving out the manifest and temp files", async () => {
    const root = writeTree({ [RULES]: stringify(alerting), ".manifest.json": "{}", "grafana/provisioning/alerting/x.yaml.tmp-1": "junk", "prometheus/prometheus.yml": "x: 1" });
    expect((await readBuildDir(root)).map((f) => f.path)).toEqual([RULES]);
  });
});
