// Grafana-managed alerting (alerting.mode grafana | both): the provisioning files are in Grafana's
// file shape, match schemas/alerting.schema.json, every query parses, and Grafana reads back exactly
// the templates and expressions the Prometheus rules carry.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig, type Config } from "../../config/index.js";
import { GRAFANA_FILES, grafanaAnnotation, grafanaRuleGroups, grafanaRuleTitle, grafanaRuleUid } from "../../src/alerting/grafana.js";
import { alertRules } from "../../src/alerting/model.js";
import { alertingSchemaIssues } from "../../src/alerting/schema.js";
import { runBuild } from "../../src/commands/build.js";
import { type BuildResult } from "../../src/pipeline/index.js";
import { checkQuery } from "../../src/query/parse.js";
import { renderLinkTemplate } from "../fixtures/alerts/promtool.js";
import { REPO_CONTENT } from "../../scripts/content.js";

const tmp = mkdtempSync(join(tmpdir(), "alerting-grafana-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const withMode = (mode: Config["alerting"]["mode"]) => loadConfig("dev", (c) => ({ ...c, alerting: { ...c.alerting, mode } }));

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(join(d, e.name).slice(dir.length + 1));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Grafana's reading of an alerting provisioning file (pkg/services/provisioning/values and
 * provisioning/alerting/rules_types.go): every string is expanded ($$ → $, $VAR / ${VAR} → env),
 * except a rule's annotations and its queries' models, which are taken raw.
 */
function grafanaReads(doc: any, env: Record<string, string>): any {
  const expand = (v: string) =>
    v
      .split("$$")
      .map((part) => part.replace(/\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g, (_, a, b) => env[a ?? b] ?? ""))
      .join("$");
  const deep = (v: any): any =>
    typeof v === "string" ? expand(v) : Array.isArray(v) ? v.map(deep) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deep(x)])) : v;
  if (!doc.groups) return deep(doc);
  return {
    ...deep({ ...doc, groups: [] }),
    groups: doc.groups.map((g: any) => ({
      ...deep({ ...g, rules: [] }),
      rules: g.rules.map(({ annotations, data, ...rest }: any) => ({
        ...deep(rest),
        annotations,
        data: data.map(({ model, ...q }: any) => ({ ...deep(q), model })),
      })),
    })),
  };
}

describe("mode grafana", () => {
  let r: BuildResult;
  let out: string;
  let rules: any;
  let contactPoints: any;
  let policies: any;

  beforeAll(async () => {
    out = join(tmp, "grafana");
    r = await runBuild({ content: REPO_CONTENT, out, config: withMode("grafana") });
    rules = parse(readFileSync(join(out, GRAFANA_FILES.rules), "utf8"));
    contactPoints = parse(readFileSync(join(out, GRAFANA_FILES.contactPoints), "utf8"));
    policies = parse(readFileSync(join(out, GRAFANA_FILES.policies), "utf8"));
  });

  it("writes rule groups, contact points and the notification policy; no Alertmanager file, Prometheus keeps only recording rules", () => {
    const all = files(out);
    expect(all.filter((f) => f.startsWith("grafana/provisioning/alerting/"))).toEqual(Object.values(GRAFANA_FILES).sort());
    expect(all).not.toContain("alertmanager/alertmanager.yml");
    const ruleFiles = all.filter((f) => f.startsWith("prometheus/rules/"));
    expect(ruleFiles).toEqual(["prometheus/rules/slo-fastapi-availability.yaml", "prometheus/rules/slo-fastapi-latency.yaml"]);
    for (const f of ruleFiles) expect(readFileSync(join(out, f), "utf8")).not.toMatch(/^\s*- alert:/m);
  });

  it("every file matches schemas/alerting.schema.json", () => {
    for (const doc of [rules, contactPoints, policies]) expect(alertingSchemaIssues(doc)).toEqual([]);
  });

  it("is the file-provisioning shape, not the SDK's HTTP API shape", () => {
    const config = withMode("grafana");
    for (const g of rules.groups) {
      expect(Object.keys(g).sort()).toEqual(["folder", "interval", "name", "orgId", "rules"]);
      expect(g.folder).toBe(config.alerting.grafana.folder);
      expect(g.interval).toMatch(/^\d+s$/);
      for (const rule of g.rules) {
        for (const key of ["folderUID", "ruleGroup", "orgID", "id", "updated", "provenance"]) expect(rule, `${rule.title} ${key}`).not.toHaveProperty(key);
      }
    }
    // The SDK builders produce the other shape; the conversion is deliberate.
    const sdk = grafanaRuleGroups(r.alerting!.groups, config)[0].sdk;
    expect(typeof sdk.interval).toBe("number");
    expect(sdk.rules![0]).toHaveProperty("folderUID");
    expect(sdk.rules![0]).toHaveProperty("ruleGroup", sdk.title);
  });

  it("holds every alert rule, with unique uids and titles, severity, links and the for of the Prometheus rule", () => {
    const flat = rules.groups.flatMap((g: any) => g.rules);
    const expected = alertRules(r.alerting!.groups);
    expect(flat.length).toBe(expected.length);
    expect(new Set(flat.map((x: any) => x.uid)).size).toBe(flat.length);
    expect(new Set(flat.map((x: any) => x.title)).size).toBe(flat.length);
    for (const { rule } of expected) {
      const g = flat.find((x: any) => x.uid === grafanaRuleUid(rule));
      expect(g, rule.name).toBeDefined();
      expect(g.title).toBe(grafanaRuleTitle(rule));
      expect(g.for).toBe(rule.for);
      expect(g.labels).toEqual(rule.labels);
      expect(g.annotations.runbook_url).toBe(rule.annotations.runbook_url);
      expect(g.noDataState).toBe("OK");
      expect(g.condition).toBe("B");
    }
    expect(flat.find((x: any) => x.uid === "fast-api-availability-budget-burn-1h-5m")?.title).toBe("FastAPIAvailabilityBudgetBurn 1h/5m");
  });

  it("each rule's query parses and is the Prometheus rule's expression", () => {
    const byUid = new Map(alertRules(r.alerting!.groups).map(({ rule }) => [grafanaRuleUid(rule), rule]));
    for (const g of rules.groups) {
      for (const rule of g.rules) {
        const a = rule.data.find((q: any) => q.refId === "A");
        expect(a.datasourceUid).toBe("prometheus");
        expect(checkQuery("promql", a.model.expr), rule.title).toEqual([]);
        expect(a.model.expr).toBe(byUid.get(rule.uid)!.expr);
        expect(a.model).not.toHaveProperty("_implementsDataqueryVariant");
        const b = rule.data.find((q: any) => q.refId === "B");
        expect(b.model).toMatchObject({ type: "math", expression: "is_number($A) || is_nan($A) || is_inf($A)" });
      }
    }
  });

  it("Grafana reads back intact templates and expressions ($ is escaped only where Grafana expands)", () => {
    const read = grafanaReads(rules, { GRAFANA_SLACK_WEBHOOK_URL: "x" });
    const byUid = new Map(alertRules(r.alerting!.groups).map(({ rule }) => [grafanaRuleUid(rule), rule]));
    for (const g of read.groups) {
      for (const rule of g.rules) {
        const source = byUid.get(rule.uid)!;
        for (const [k, v] of Object.entries(source.annotations)) expect(rule.annotations[k], `${rule.title} ${k}`).toBe(grafanaAnnotation(v));
        expect(rule.data[0].model.expr).toBe(source.expr);
        expect(rule.data[1].model.expression).toContain("$A");
        expect(rule.labels).toEqual(source.labels);
        expect(rule.title).toBe(grafanaRuleTitle(source));
      }
    }
    const summary = read.groups.flatMap((g: any) => g.rules).find((x: any) => x.title === "FastAPIHighErrorRate no-slo").annotations.summary;
    expect(summary).toBe("{{ $labels.job }} answers {{ $values.A.Value | humanizePercentage }} of requests with 5xx");
    // Escaping an annotation would have handed Grafana "{{ $$labels.job }}".
    expect(readFileSync(join(out, GRAFANA_FILES.rules), "utf8")).not.toContain("$$");
  });

  it("attaches single-panel alerts to their panel (dashboardUid + panelId)", () => {
    const cpu = rules.groups.flatMap((g: any) => g.rules).find((x: any) => x.title === "HostHighCpuUsage");
    expect(cpu.dashboardUid).toBe("containers-hosts");
    const dashboard = r.dashboards.find((d) => d.json.uid === "containers-hosts")!;
    expect((dashboard.json.panels ?? []).flatMap((p: any) => [p, ...(p.panels ?? [])]).find((p: any) => p.id === cpu.panelId)?.title).toBe("Host CPU busy");
    // dev: the Grafana of the alert's stack, chosen by its job label.
    expect(renderLinkTemplate(cpu.annotations.dashboard_url, { job: "node-exporter" })).toMatch(new RegExp(`^http://localhost:3000/d/containers-hosts/containers-hosts\\?viewPanel=${cpu.panelId}(&var-job=node-exporter)?$`));
  });

  it("contact points take their secrets from Grafana's environment and route by severity", () => {
    const text = readFileSync(join(out, GRAFANA_FILES.contactPoints), "utf8");
    expect(text).toContain("integrationKey: ${GRAFANA_PAGERDUTY_INTEGRATION_KEY}");
    expect(text).toContain("url: ${GRAFANA_SLACK_WEBHOOK_URL}");
    const read = grafanaReads(contactPoints, { GRAFANA_PAGERDUTY_INTEGRATION_KEY: "pd-key", GRAFANA_SLACK_WEBHOOK_URL: "https://hooks.example/x" });
    const settings = Object.fromEntries(read.contactPoints.map((c: any) => [c.name, c.receivers[0].settings]));
    expect(settings.pager.integrationKey).toBe("pd-key");
    expect(settings.chat.url).toBe("https://hooks.example/x");
    const root = policies.policies[0];
    expect(root.receiver).toBe("chat");
    expect(root.routes).toEqual([
      { receiver: "pager", object_matchers: [["severity", "=", "critical"]], continue: true },
      { receiver: "chat", object_matchers: [["severity", "=~", "critical|warning"]] },
    ]);
  });

  it("the schema is a real check: a literal secret, a rule without severity or runbook and a bad uid are refused", () => {
    const cp = structuredClone(contactPoints);
    cp.contactPoints[0].receivers[0].settings.integrationKey = "0123456789abcdef";
    expect(alertingSchemaIssues(cp).join("\n")).toMatch(/integrationKey.*environment reference/);
    const rs = structuredClone(rules);
    delete rs.groups[0].rules[0].labels.severity;
    delete rs.groups[0].rules[0].annotations.runbook_url;
    rs.groups[0].rules[0].uid = "not a uid!";
    const issues = alertingSchemaIssues(rs).join("\n");
    expect(issues).toMatch(/labels: severity is required/);
    expect(issues).toMatch(/annotations: runbook_url is required/);
    expect(issues).toMatch(/uid: must be 1-40 characters/);
  });
});

describe("mode both and the default", () => {
  it("both: Prometheus rules, Alertmanager and Grafana provisioning side by side", async () => {
    const out = join(tmp, "both");
    await runBuild({ content: REPO_CONTENT, out, config: withMode("both") });
    const all = files(out);
    expect(all).toContain("alertmanager/alertmanager.yml");
    expect(all).toContain(GRAFANA_FILES.rules);
    expect(readFileSync(join(out, "prometheus/rules/fastapi.yaml"), "utf8")).toMatch(/- alert: FastAPIHighErrorRate/);
  });

  it("the default is prometheus: no Grafana alerting files", async () => {
    expect(loadConfig("dev").alerting.mode).toBe("prometheus");
    // Only the links have no default.
    expect(loadConfig("dev", (c) => ({ ...c, alerting: { runbookBaseUrl: c.alerting.runbookBaseUrl, grafanaUrl: c.alerting.grafanaUrl } })).alerting.mode).toBe("prometheus");
    const out = join(tmp, "default");
    await runBuild({ content: REPO_CONTENT, out });
    expect(existsSync(join(out, "grafana/provisioning/alerting"))).toBe(false);
    expect(existsSync(join(out, "alertmanager/alertmanager.yml"))).toBe(true);
  });

  it("an unknown mode is a config error", () => {
    expect(() => withMode("grafana-cloud" as never)).toThrow(/alerting\.mode/);
  });
});
