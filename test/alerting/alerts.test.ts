// Alert definitions: a bad alert fails the whole build, naming the alert and its file, and writes
// nothing; the cross-cutting links (runbook_url, dashboard_url) are one transform over every alert.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../config/index.js";
import type { DashboardLink } from "../../src/alerting/define.js";
import { addLinkAnnotations } from "../../src/alerting/links.js";
import { alertRules, type AlertRule, type RuleGroup } from "../../src/alerting/model.js";
import { BuildError, formatProblem, type Problem } from "../../src/errors.js";
import { REPO_ROOT } from "../../src/pipeline/collect.js";
import type { BuiltDashboard } from "../../src/pipeline/dashboards.js";
import { runBuild } from "../../src/commands/build.js";
import { repoAlerting } from "../fixtures/alerts/build.js";
import { renderLinkTemplate } from "../fixtures/alerts/promtool.js";
import { definitionsDir, validDashboard } from "../fixtures/definitions.js";
import { REPO_CONTENT } from "../../scripts/content.js";

const FIXTURES = join(REPO_ROOT, "test/fixtures/alerts");
const tmp = mkdtempSync(join(tmpdir(), "alerts-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function failingBuild(dir: string): Promise<{ problems: Problem[]; message: string; out: string }> {
  const out = join(tmp, dir.replaceAll("/", "-"));
  try {
    await runBuild({ content: REPO_CONTENT, alertsDir: join(FIXTURES, "bad", dir), runbooksDir: join(FIXTURES, "runbooks"), out });
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    return { problems: e.problems, message: e.message, out };
  }
  throw new Error(`the build with test/fixtures/alerts/bad/${dir} succeeded`);
}

describe("a bad alert fails the build, naming the alert and the file", () => {
  const cases: { dir: string; file: string; rule: string; code: string; message: RegExp }[] = [
    { dir: "unknown-metric", file: "api.ts", rule: "BadUnknownMetric", code: "catalog-unknown-metric", message: /http_request_totals.*did you mean "http_requests_total"/s },
    { dir: "unknown-label", file: "api.ts", rule: "BadUnknownLabel", code: "catalog-unknown-label", message: /status_code/ },
    { dir: "bad-promql", file: "api.ts", rule: "BadPromql", code: "bad-promql", message: /syntax error at column \d+/ },
    { dir: "missing-severity", file: "api.ts", rule: "BadNoSeverity", code: "bad-alert", message: /severity: must be one of critical, warning/ },
    { dir: "broken-dashboard", file: "api.ts", rule: "BadDashboardUid", code: "broken-dashboard-link", message: /no dashboard with uid "fastapi-overveiw"/ },
    { dir: "broken-dashboard", file: "api.ts", rule: "BadPanelTitle", code: "broken-dashboard-link", message: /has no panel titled "Uptime \(s\)" \(panels: "Uptime", /s },
    { dir: "missing-runbook", file: "api.ts", rule: "NoRunbookYet", code: "missing-runbook", message: /NoRunbookYet\.md does not exist/ },
    { dir: "unknown-bucket", file: "slo.ts", rule: "BadBucketBudgetBurn", code: "unknown-bucket", message: /le="2".*buckets: 0\.1, 0\.5, 1/ },
    { dir: "duplicate", file: "b.ts", rule: "DuplicateAlert", code: "duplicate-alert", message: /also defined in test\/fixtures\/alerts\/bad\/duplicate\/a\.ts/ },
  ];

  for (const c of cases) {
    it(`${c.dir}: ${c.code} for ${c.rule}`, async () => {
      const { problems, message, out } = await failingBuild(c.dir);
      const file = `test/fixtures/alerts/bad/${c.dir}/${c.file}`;
      const p = problems.find((x) => x.code === c.code && x.rule?.startsWith(c.rule));
      expect(p, JSON.stringify(problems, null, 2)).toBeDefined();
      expect(p!.file).toBe(file);
      expect(p!.message).toMatch(c.message);
      // What the CLI prints: code, file, alert, message.
      expect(message).toContain(`error[${c.code}] ${file} › rule "${p!.rule}": `);
      expect(formatProblem(p!)).toContain(file);
      // A failed build writes nothing.
      expect(existsSync(out)).toBe(false);
    });
  }

  it("a file exporting something else is a bad definition", async () => {
    const { problems } = await failingBuild("not-a-definition");
    expect(problems).toContainEqual(expect.objectContaining({ code: "bad-definition", file: "test/fixtures/alerts/bad/not-a-definition/api.ts" }));
  });

  it("the catalog check points at the column of the unknown metric", async () => {
    const { problems } = await failingBuild("unknown-metric");
    const p = problems.find((x) => x.code === "catalog-unknown-metric")!;
    expect(p.message).toMatch(/\n  sum by \(job\) \(rate\(http_request_totals.*\n {21}\^/);
  });
});

describe("the shipped alerts", () => {
  it("build without problems, one runbook each, and every runbook belongs to an alert", async () => {
    const build = await repoAlerting();
    expect(build.problems).toEqual([]);
    // Prometheus' alerts and the Loki ruler's log alerts alike.
    const names = [...new Set(alertRules([...build.groups, ...build.logGroups]).map(({ rule }) => rule.name))].sort();
    expect(names.length).toBe(18);
    const runbooks = readdirSync(join(REPO_ROOT, "docs/runbooks"))
      .filter((f) => f.endsWith(".md") && f !== "README.md")
      .map((f) => f.replace(/\.md$/, ""))
      .sort();
    expect(runbooks).toEqual(names);
  });

  it("every alert keeps a job label in its output (the inhibit rule and the links rely on it)", async () => {
    const build = await repoAlerting();
    for (const { rule } of alertRules(build.groups)) {
      // Each aggregation keeps job; selectors and recording rules carry it anyway. (Log alerts set it
      // with label_replace: test/alerting/log-rules.test.ts.)
      for (const m of rule.expr.matchAll(/\b(?:sum|max|avg|min) by \(([^)]*)\)/g)) expect(m[1].split(", "), `${rule.name}: ${m[0]}`).toContain("job");
    }
  });
});

describe("which alerts a build includes", () => {
  it("another dashboards directory builds without the project's alerts (they link to dashboards/)", async () => {
    const out = join(tmp, "other-dashboards");
    const r = await runBuild({ content: REPO_CONTENT, out, dashboardsDir: definitionsDir({ "ok.ts": validDashboard("fastapi-overview") }) });
    expect(r.alerting!.groups).toEqual([]);
    expect(existsSync(join(out, "prometheus/rules"))).toBe(false);
    expect(existsSync(join(out, "alertmanager"))).toBe(false);
  });

  it("alertsDir brings alerts to such a build, and links resolve against its dashboards", async () => {
    const out = join(tmp, "other-with-alerts");
    const r = await runBuild({ content: REPO_CONTENT,
      out,
      dashboardsDir: definitionsDir({ "ok.ts": validDashboard("fastapi-overview") }),
      alertsDir: join(FIXTURES, "good"),
      runbooksDir: join(FIXTURES, "runbooks"),
    });
    expect(r.files.map((f) => f.path)).toContain("prometheus/rules/good.yaml");
    const rule = alertRules(r.alerting!.groups)[0].rule;
    expect(renderLinkTemplate(rule.annotations.dashboard_url, { job: "fastapi" })).toMatch(/^http:\/\/localhost:3030\/d\/fastapi-overview\/[a-z0-9-]+\?viewPanel=\d+$/);
  });
});

// ---------------------------------------------------------------------------------------------
// The link transform on its own, against hand-made dashboards.

function dashboard(uid: string, panels: { id: number; title: string; expr: string }[], variables: string[] = ["job"]): BuiltDashboard {
  return {
    definition: { kind: "dashboard", uid, folder: "services", file: `dashboards/${uid}.ts` },
    folderUid: "services",
    json: {
      uid,
      title: uid,
      templating: { list: variables.map((name) => ({ name, type: "query" })) },
      panels: panels.map((p) => ({ id: p.id, type: "timeseries", title: p.title, targets: [{ refId: "A", expr: p.expr }] })),
    } as never,
  };
}

function group(dashboardLink: DashboardLink, name = "SomeAlert"): RuleGroup {
  const rule: AlertRule = {
    kind: "alert",
    name,
    expr: "up == 0",
    for: "5m",
    labels: { severity: "warning" },
    annotations: { summary: "s", description: "d" },
    dashboard: dashboardLink,
  };
  return { name: "g", file: "alerts/g.ts", rules: [rule] };
}

describe("runbook_url and dashboard_url", () => {
  const config = loadConfig("dev", (c) => ({ ...c, alerting: { ...c.alerting, grafanaUrl: "https://grafana.example/", grafanaUrlByJob: {}, runbookBaseUrl: "https://git.example/repo/blob/main/docs/runbooks/" } }));
  const dashboards = [
    dashboard("svc-a", [
      { id: 3, title: "Errors", expr: 'sum(rate(x_total{job=~"$job"}[5m]))' },
      { id: 4, title: "Hosts", expr: 'sum(rate(y_total{job=~"$node_job"}[5m]))' },
    ]),
    dashboard("svc-b", [{ id: 7, title: "Errors", expr: 'sum(rate(z_total{job=~"${job}"}[5m]))' }]),
  ];
  let runbooks: string;
  beforeAll(() => {
    runbooks = join(tmp, "runbooks");
    rmSync(runbooks, { recursive: true, force: true });
    mkdirSync(runbooks, { recursive: true });
    writeFileSync(join(runbooks, "SomeAlert.md"), "# SomeAlert\n");
  });

  const link = (l: DashboardLink) => {
    const g = group(l);
    const problems = addLinkAnnotations([g], { config, dashboards, runbooksDir: runbooks });
    return { problems, rule: g.rules[0] as AlertRule };
  };

  it("adds both to every alert from config bases; the panel opens on the alert's job when it filters by $job", () => {
    const { problems, rule } = link({ dashboard: "svc-a", panel: "Errors" });
    expect(problems).toEqual([]);
    expect(rule.annotations.runbook_url).toBe("https://git.example/repo/blob/main/docs/runbooks/SomeAlert.md");
    expect(rule.annotations.dashboard_url).toBe("https://grafana.example/d/svc-a/svc-a?viewPanel=3&var-job={{ $labels.job }}");
    expect(rule.panel).toEqual({ dashboardUid: "svc-a", panelId: 3 });
    expect(link({ dashboard: "svc-a", panel: "Hosts" }).rule.annotations.dashboard_url).toBe("https://grafana.example/d/svc-a/svc-a?viewPanel=4");
  });

  it("byJob: one link per job, chosen by the alert's job label when it fires", () => {
    const { problems, rule } = link({ byJob: { fastapi: { dashboard: "svc-a", panel: "Errors" }, pix_erase_api: { dashboard: "svc-b", panel: "Errors" } } });
    expect(problems).toEqual([]);
    expect(rule.panel).toBeUndefined();
    expect(renderLinkTemplate(rule.annotations.dashboard_url, { job: "pix_erase_api" })).toBe("https://grafana.example/d/svc-b/svc-b?viewPanel=7&var-job=pix_erase_api");
    expect(renderLinkTemplate(rule.annotations.dashboard_url, { job: "fastapi" })).toBe("https://grafana.example/d/svc-a/svc-a?viewPanel=3&var-job=fastapi");
  });

  it("per-job Grafanas (one per stack): each job's alert opens its own stack's Grafana, the rest the default one", () => {
    const perStack = loadConfig("dev", (c) => ({ ...c, alerting: { ...c.alerting, grafanaUrl: "http://localhost:3000", grafanaUrlByJob: { fastapi: "http://localhost:3030/" } } }));
    const g = group({ dashboard: "svc-a", panel: "Errors" });
    expect(addLinkAnnotations([g], { config: perStack, dashboards, runbooksDir: runbooks })).toEqual([]);
    const url = (g.rules[0] as AlertRule).annotations.dashboard_url;
    expect(renderLinkTemplate(url, { job: "fastapi" })).toBe("http://localhost:3030/d/svc-a/svc-a?viewPanel=3&var-job=fastapi");
    expect(renderLinkTemplate(url, { job: "worker" })).toBe("http://localhost:3000/d/svc-a/svc-a?viewPanel=3&var-job=worker");
    const byJob = group({ byJob: { fastapi: { dashboard: "svc-a", panel: "Errors" }, pix_erase_api: { dashboard: "svc-b", panel: "Errors" } } });
    addLinkAnnotations([byJob], { config: perStack, dashboards, runbooksDir: runbooks });
    const byJobUrl = (byJob.rules[0] as AlertRule).annotations.dashboard_url;
    expect(renderLinkTemplate(byJobUrl, { job: "fastapi" })).toBe("http://localhost:3030/d/svc-a/svc-a?viewPanel=3&var-job=fastapi");
    expect(renderLinkTemplate(byJobUrl, { job: "pix_erase_api" })).toBe("http://localhost:3000/d/svc-b/svc-b?viewPanel=7&var-job=pix_erase_api");
  });

  it("byJob names scrape jobs of the config", () => {
    const { problems } = link({ byJob: { "no-such-job": { dashboard: "svc-a", panel: "Errors" } } });
    expect(problems.map((p) => p.message).join("\n")).toMatch(/"no-such-job" is not a scrape job/);
  });

  it("an ambiguous panel title is refused rather than guessed", () => {
    const dup = [dashboard("svc-c", [{ id: 1, title: "Rate", expr: "up" }, { id: 2, title: "Rate", expr: "up" }])];
    const g = group({ dashboard: "svc-c", panel: "Rate" });
    const problems = addLinkAnnotations([g], { config, dashboards: dup, runbooksDir: runbooks });
    expect(problems).toEqual([expect.objectContaining({ code: "broken-dashboard-link", rule: "SomeAlert", file: "alerts/g.ts", message: expect.stringMatching(/2 panels titled "Rate"/) })]);
  });

  it("a runbook that does not name its alert is refused", () => {
    writeFileSync(join(runbooks, "OtherAlert.md"), "# Something else\n");
    const g = group({ dashboard: "svc-a", panel: "Errors" }, "OtherAlert");
    const problems = addLinkAnnotations([g], { config, dashboards, runbooksDir: runbooks });
    expect(problems.map((p) => p.code)).toEqual(["missing-runbook"]);
  });
});
