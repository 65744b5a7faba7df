// Log alert rules for the Loki ruler: groups with language "logql" become
// build/loki/rules/<tenant>/<group>.yaml. promtool cannot read LogQL, so the files are held to the
// Prometheus rule-file structure with a schema written from Prometheus' rulefmt, and every
// expression is parsed with Grafana's LogQL grammar here, independently of the build's own checks.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parser as logqlParser } from "@grafana/lezer-logql";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { loadConfig } from "../../config/index.js";
import { expandDefinitions } from "../../src/alerting/collect.js";
import { defineAlertGroup } from "../../src/alerting/define.js";
import { checkLogRuleGroups } from "../../src/alerting/lokiRules.js";
import { alertRules } from "../../src/alerting/model.js";
import { BuildError, type Problem } from "../../src/errors.js";
import { REPO_ROOT } from "../../src/pipeline/collect.js";
import { runBuild } from "../../src/commands/build.js";
import { REPO_CONTENT } from "../../scripts/content.js";
import { repoAlerting } from "../fixtures/alerts/build.js";

const FIXTURES = join(REPO_ROOT, "test/fixtures/alerts");
const RUNBOOKS = join(FIXTURES, "runbooks");
const tmp = mkdtempSync(join(tmpdir(), "log-rules-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Prometheus' rule-file format (rulefmt): what the Loki ruler reads, with LogQL in expr.
const labelMap = z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), z.string());
const duration = z.string().regex(/^(\d+(ms|s|m|h|d|w|y))+$/);
const alertingRule = z
  .object({ alert: z.string().min(1), expr: z.string().min(1), for: duration.optional(), keep_firing_for: duration.optional(), labels: labelMap.optional(), annotations: labelMap.optional() })
  .strict();
const recordingRule = z.object({ record: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/), expr: z.string().min(1), labels: labelMap.optional() }).strict();
const ruleFile = z
  .object({
    groups: z
      .array(z.object({ name: z.string().min(1), interval: duration.optional(), limit: z.number().int().nonnegative().optional(), rules: z.array(z.union([alertingRule, recordingRule])).min(1) }).strict())
      .min(1),
  })
  .strict();

/** Where the LogQL grammar fails on `expr` (an error node, or input it stopped before), or null. */
function logqlError(expr: string): number | null {
  const tree = logqlParser.parse(expr);
  let at: number | null = tree.length < expr.length ? tree.length : null;
  tree.iterate({ enter: (n) => void (n.type.isError && (at === null || n.from < at) && (at = n.from)) });
  return at;
}

function isMetricQuery(expr: string): boolean {
  return logqlParser.parse(expr).topNode.getChild("Expr")?.firstChild?.name === "MetricExpr";
}

const configuredStreams = () =>
  Object.values(loadConfig("dev").services).flatMap((s) => (s.logs === "none" ? [] : [{ job: s.job, selector: s.logs.selector }]));

async function failingBuild(dir: string): Promise<{ problems: Problem[]; message: string; out: string }> {
  const out = join(tmp, dir);
  try {
    await runBuild({ content: REPO_CONTENT, alertsDir: join(FIXTURES, "bad", dir), runbooksDir: RUNBOOKS, out });
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    return { problems: e.problems, message: e.message, out };
  }
  throw new Error(`the build with test/fixtures/alerts/bad/${dir} succeeded`);
}

describe("the shipped log rules", () => {
  it("are three warnings in one logql group, each parsing as a LogQL metric query", async () => {
    const build = await repoAlerting();
    expect(build.problems).toEqual([]);
    expect(build.logGroups.map((g) => g.name)).toEqual(["logs"]);
    const alerts = alertRules(build.logGroups).map(({ rule }) => rule);
    expect(alerts.map((r) => r.name).sort()).toEqual(["LogErrorBurst", "LogMissingCorrelationId", "LogRepeatedException"]);
    for (const r of alerts) {
      expect(logqlError(r.expr), `${r.name}:\n${r.expr}`).toBeNull();
      expect(isMetricQuery(r.expr), r.name).toBe(true);
      expect(r.labels.severity).toBe("warning");
      expect(Object.keys(r.annotations).sort()).toEqual(["dashboard_url", "description", "runbook_url", "summary"]);
    }
  });

  it("read every service's configured stream and label each series with that service's job", async () => {
    const streams = configuredStreams();
    expect(streams.length).toBeGreaterThan(0);
    for (const { rule } of alertRules((await repoAlerting()).logGroups)) {
      for (const s of streams) {
        expect(rule.expr, rule.name).toContain(s.selector);
        expect(rule.expr, rule.name).toContain(`"job", "${s.job}", "", ""`);
      }
    }
  });

  it("stay out of Prometheus' rule files and Grafana-managed alerting", async () => {
    const build = await repoAlerting(loadConfig("dev", (c) => ({ ...c, alerting: { ...c.alerting, mode: "both" } })));
    expect(build.problems).toEqual([]);
    const prometheusAndGrafana = build.files.filter((f) => !f.path.startsWith("loki/"));
    for (const f of prometheusAndGrafana) expect(f.content, f.path).not.toMatch(/LogErrorBurst|LogRepeatedException|LogMissingCorrelationId/);
    expect(alertRules(build.groups).map((r) => r.rule.name)).not.toContain("LogErrorBurst");
  });

  it("LogRepeatedException's regexp names the exception of a Python traceback in a JSON log line", async () => {
    const rule = alertRules((await repoAlerting()).logGroups).find((r) => r.rule.name === "LogRepeatedException")!.rule;
    const go = /regexp `([^`]*)`/.exec(rule.expr)![1];
    // Go's (?P<name>) is JavaScript's (?<name>); the rest of this pattern means the same in both.
    const re = new RegExp(go.replace("(?P<", "(?<"));
    const traceback = [
      "Traceback (most recent call last):",
      '  File "/app/handlers.py", line 42, in predict',
      "    raise ValueError(\"model not loaded: resnet\")",
      "ValueError: model not loaded: resnet",
      "",
      "During handling of the above exception, another exception occurred:",
      "",
      "Traceback (most recent call last):",
      '  File "/app/main.py", line 7, in handle',
      "httpx.ReadTimeout: timed out",
    ].join("\n");
    const line = JSON.stringify({ timestamp: "2026-12-01T09:00:00Z", level: "ERROR", message: "inference failed", exc_info: traceback });
    expect(line).toContain("Traceback (most recent call last)");
    expect(re.exec(line)?.groups?.exception).toBe("ValueError");
    const dotted = JSON.stringify({ level: "ERROR", exc_info: "Traceback (most recent call last):\n  File \"x.py\", line 1, in f\nhttpx.ReadTimeout: timed out" });
    expect(re.exec(dotted)?.groups?.exception).toBe("httpx.ReadTimeout");
    // A message that merely mentions an error is not a traceback line: no exception read from it.
    expect(re.exec(JSON.stringify({ level: "ERROR", message: "ValueError: bad input" }))).toBeNull();
  });
});

describe("the Loki ruler's layout: loki/rules/<tenant>/<group>.yaml", () => {
  it("the build writes the log group under the default tenant fake, as a Prometheus rule file with LogQL", async () => {
    const out = join(tmp, "layout");
    const r = await runBuild({ content: REPO_CONTENT, out });
    const lokiFiles = r.files.map((f) => f.path).filter((p) => p.startsWith("loki/"));
    expect(lokiFiles).toEqual(["loki/rules/fake/logs.yaml"]);
    const doc = ruleFile.parse(parseYaml(readFileSync(join(out, "loki/rules/fake/logs.yaml"), "utf8")));
    expect(doc.groups.map((g) => g.name)).toEqual(["logs"]);
    for (const rule of doc.groups[0].rules) {
      expect(logqlError(rule.expr), rule.expr).toBeNull();
      expect(isMetricQuery(rule.expr), rule.expr).toBe(true);
    }
    // The manifest owns the new files like every other.
    const manifest = JSON.parse(readFileSync(join(out, ".manifest.json"), "utf8")) as { files: string[] };
    expect(JSON.stringify(manifest)).toContain("loki/rules/fake/logs.yaml");
  });

  it("the tenant comes from config.alerting.loki.tenant", async () => {
    const config = loadConfig("dev", (c) => ({ ...c, alerting: { ...c.alerting, loki: { tenant: "docker" } } }));
    const r = await runBuild({ content: REPO_CONTENT, config, write: false, lint: false });
    expect(r.files.map((f) => f.path).filter((p) => p.startsWith("loki/"))).toEqual(["loki/rules/docker/logs.yaml"]);
  });

  it("a tenant that is not a Loki tenant id (a path) is a config error", () => {
    for (const tenant of ["../etc", "a/b", "", ".."]) {
      expect(() => loadConfig("dev", (c) => ({ ...c, alerting: { ...c.alerting, loki: { tenant } } })), tenant).toThrow(/alerting\.loki\.tenant/);
    }
  });

  it("recording rules of log-derived metrics go to the same file, and the schema holds for alert and record alike", async () => {
    const out = join(tmp, "good-logs");
    // lint off: it checks runbooks against docs/runbooks, and these are the fixtures'.
    await runBuild({ content: REPO_CONTENT, out, alertsDir: join(FIXTURES, "good-logs"), runbooksDir: RUNBOOKS, lint: false });
    const path = join(out, "loki/rules/fake/good-logs.yaml");
    const doc = ruleFile.parse(parseYaml(readFileSync(path, "utf8")));
    const rules = doc.groups[0].rules;
    expect(doc.groups[0].interval).toBe("1m");
    expect(rules.map((r) => ("alert" in r ? `alert ${r.alert}` : `record ${r.record}`))).toEqual(["alert GoodLogAlert", "record job:log_lines:rate5m"]);
    for (const rule of rules) expect(logqlError(rule.expr), rule.expr).toBeNull();
    expect(existsSync(join(out, "prometheus/rules/good-logs.yaml"))).toBe(false);
  });
});

describe("a bad log rule fails the build, naming the file, the group and the rule", () => {
  const cases = [
    { dir: "log-query", rule: "BadLogQuery", code: "logql-not-metric", message: /group "bad-log-query" \(Loki ruler\): an alert needs a LogQL metric query.*this is a log query/s },
    {
      dir: "log-selector",
      rule: "BadLogSelector",
      code: "unknown-log-stream",
      message: /group "bad-log-selector" \(Loki ruler\): stream selector \{job="docker", service="api"\} at column 21 is not a service's log stream.*fastapi \{job="docker", service="app"\}/s,
    },
  ];
  for (const c of cases) {
    it(`${c.dir}: ${c.code} for ${c.rule}, and nothing is written`, async () => {
      const { problems, message, out } = await failingBuild(c.dir);
      const file = `test/fixtures/alerts/bad/${c.dir}/logs.ts`;
      const p = problems.find((x) => x.code === c.code);
      expect(p, JSON.stringify(problems, null, 2)).toBeDefined();
      expect(p).toMatchObject({ file, rule: c.rule });
      expect(p!.message).toMatch(c.message);
      expect(message).toContain(`error[${c.code}] ${file} › rule "${c.rule}": `);
      expect(existsSync(out)).toBe(false);
    });
  }
});

describe("checks of a log rule, one at a time", () => {
  const config = loadConfig("dev");
  const check = (expr: string, kind: "alert" | "record" = "alert") => {
    const def = defineAlertGroup({
      name: "t",
      language: "logql",
      alerts: () =>
        kind === "alert"
          ? [{ name: "T", severity: "warning", expr, for: "5m", summary: "{{ $labels.job }}", description: "{{ $value }}", dashboard: { dashboard: "d", panel: "p" } }]
          : [],
      records: () => (kind === "record" ? [{ record: "job:t:rate5m", expr }] : []),
    });
    const { expanded, problems } = expandDefinitions([{ ...def, file: "alerts/t.ts" }], config);
    expect(problems).toEqual([]);
    expect(expanded.groups[0].language).toBe("logql");
    return checkLogRuleGroups(expanded.groups, config);
  };

  it("accepts a metric query over a configured stream, also narrowed by more matchers", () => {
    expect(check('sum(rate({container_name="pix_erase.api"} | json | log_level="ERROR" [5m])) > 1')).toEqual([]);
    expect(check('sum(rate({container_name="pix_erase.api", stream="stderr"} [5m])) > 1')).toEqual([]);
  });

  it("a recording rule with a log query is refused like an alert", () => {
    const problems = check('{container_name="pix_erase.api"} |= "error"', "record");
    expect(problems).toEqual([expect.objectContaining({ code: "logql-not-metric", file: "alerts/t.ts", rule: "job:t:rate5m" })]);
    expect(problems[0].message).toMatch(/a recording rule needs a LogQL metric query/);
  });

  it("a syntax error points at its column", () => {
    const [p] = check('sum(rate({container_name="pix_erase.api"} | json [5m]) > 1');
    expect(p).toMatchObject({ code: "bad-logql", rule: "T" });
    expect(p.message).toMatch(/syntax error at column \d+/);
  });

  it("a range aggregation without a range is named", () => {
    const [p] = check('sum(count_over_time({container_name="pix_erase.api"})) > 1');
    expect(p.code).toBe("bad-logql");
    expect(p.message).toMatch(/count_over_time\(\) needs a log range/);
  });

  it("PromQL in a logql group does not parse as LogQL", () => {
    expect(check('sum by (job) (rate(http_requests_total{job="fastapi"}[5m])) > 1').map((p) => p.code)).toContain("bad-logql");
  });

  it("a Grafana macro, which the ruler would not expand, is refused", () => {
    const [p] = check('sum(count_over_time({container_name="pix_erase.api"} [$__auto])) > 1');
    expect(p).toMatchObject({ code: "bad-logql" });
    expect(p.message).toMatch(/Grafana variable or macro/);
  });

  it("a matcher with another operator or value than the configured one is not that stream", () => {
    for (const selector of ['{container_name=~"pix_erase.api"}', '{container_name="pix_erase.worker"}', '{service="app"}']) {
      const problems = check(`sum(rate(${selector} [5m])) > 1`);
      expect(problems.map((p) => p.code), selector).toEqual(["unknown-log-stream"]);
    }
  });

  it("every selector of a binary expression is checked", () => {
    const problems = check('sum(rate({container_name="pix_erase.api"} [5m])) / sum(rate({container_name="nginx"} [5m])) > 1');
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toContain('{container_name="nginx"}');
  });

  it("an expression without any stream is refused", () => {
    expect(check("1 > 0").map((p) => p.code)).toEqual(["unknown-log-stream"]);
  });

  it("templates are checked as Prometheus' (the ruler is its port)", () => {
    const def = defineAlertGroup({
      name: "t",
      language: "logql",
      alerts: () => [
        { name: "T", severity: "warning", expr: 'sum(rate({container_name="pix_erase.api"} [5m])) > 1', for: "5m", summary: "{{ $labels.job }", description: "{{ $value }}", dashboard: { dashboard: "d", panel: "p" } },
      ],
    });
    const { expanded } = expandDefinitions([{ ...def, file: "alerts/t.ts" }], config);
    expect(checkLogRuleGroups(expanded.groups, config).map((p) => p.code)).toEqual(["bad-template"]);
  });

  it("recording rules are checked by the definition schema", () => {
    const def = defineAlertGroup({ name: "t", language: "logql", alerts: () => [], records: () => [{ record: "not a name", expr: "x" }] });
    const { problems } = expandDefinitions([{ ...def, file: "alerts/t.ts" }], config);
    expect(problems).toEqual([expect.objectContaining({ code: "bad-record", file: "alerts/t.ts", rule: "not a name" })]);
  });
});
