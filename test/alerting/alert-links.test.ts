// Links that resolve: runbook_url and dashboard_url come from each environment's config, dev links
// open the Grafana of the alert's own stack, no output holds a placeholder host, prod holds no local
// host and refuses to build without its links, and runbooks are plain Markdown.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../config/index.js";
import { alertRules } from "../../src/alerting/model.js";
import { BuildError, formatProblem } from "../../src/errors.js";
import { REPO_ROOT } from "../../src/pipeline/collect.js";
import { runBuild } from "../../src/commands/build.js";
import { type BuildResult } from "../../src/pipeline/index.js";
import { renderLinkTemplate } from "../fixtures/alerts/promtool.js";
import { REPO_CONTENT } from "../../scripts/content.js";

const tmp = mkdtempSync(join(tmpdir(), "alert-links-"));
const built: Record<"dev" | "prod", { out: string; result?: BuildResult }> = { dev: { out: join(tmp, "dev") }, prod: { out: join(tmp, "prod") } };

beforeAll(async () => {
  for (const env of ["dev", "prod"] as const) built[env].result = await runBuild({ content: REPO_CONTENT, env, out: built[env].out });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

/** Every line of the output tree matching `re`, as "file:line: text". */
function grep(dir: string, re: RegExp): string[] {
  return files(dir).flatMap((f) =>
    readFileSync(f, "utf8")
      .split("\n")
      .flatMap((line, i) => (re.test(line) ? [`${relative(dir, f)}:${i + 1}: ${line.trim().slice(0, 160)}`] : [])),
  );
}

const PLACEHOLDER = /example-org|example\.(com|org|net)\b|\/\/example\b/i;
const LOCAL = /localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0/;

const configError = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BuildError);
    return (e as BuildError).problems.map(formatProblem).join("\n");
  }
  throw new Error("no error");
};

describe("placeholders and local hosts", () => {
  it("no output of dev or prod names a placeholder host", () => {
    for (const env of ["dev", "prod"] as const) {
      expect(files(built[env].out).length, env).toBeGreaterThan(10);
      expect(grep(built[env].out, PLACEHOLDER), env).toEqual([]);
    }
  });

  it("the prod output names no local host anywhere", () => {
    expect(grep(built.prod.out, LOCAL)).toEqual([]);
  });

  it("the check is real: the dev output does name localhost (its stacks' Grafanas)", () => {
    expect(grep(built.dev.out, LOCAL).length).toBeGreaterThan(0);
  });
});

describe("links per environment", () => {
  const rule = (env: "dev" | "prod", name: string) => alertRules(built[env].result!.alerting!.groups).find((r) => r.rule.name === name)!.rule;

  it("dev: dashboard_url opens the Grafana of the alert's stack (FastAPI/LLM :3030, model service :3010, the others :3000)", () => {
    const errors = rule("dev", "FastAPIHighErrorRate");
    expect(renderLinkTemplate(errors.annotations.dashboard_url, { job: "fastapi" })).toMatch(/^http:\/\/localhost:3030\/d\/fastapi-overview\/fastapi-overview\?viewPanel=\d+&var-job=fastapi$/);
    expect(renderLinkTemplate(errors.annotations.dashboard_url, { job: "pix_erase_api" })).toMatch(/^http:\/\/localhost:3000\/d\/pixerase-api-overview\/pixerase-api-overview\?viewPanel=\d+&var-job=pix_erase_api$/);
    const inference = rule("dev", "ModelInferenceHighErrorRate");
    expect(renderLinkTemplate(inference.annotations.dashboard_url, { job: "model-service" })).toMatch(/^http:\/\/localhost:3010\/d\/model-service-inference\/[a-z0-9-]+\?/);
    const evaluations = rule("dev", "EvaluationFailureRateHigh");
    expect(renderLinkTemplate(evaluations.annotations.dashboard_url, { job: "worker" })).toMatch(/^http:\/\/localhost:3000\/d\/evaluation-analytics\/[a-z0-9-]+\?/);
  });

  it("prod: every link is https on the configured hosts, one URL without templates per job", () => {
    const config = loadConfig("prod");
    for (const { rule: r } of alertRules(built.prod.result!.alerting!.groups)) {
      expect(r.annotations.runbook_url, r.name).toBe(`${config.alerting.runbookBaseUrl}/${r.name}.md`);
      const rendered = renderLinkTemplate(r.annotations.dashboard_url, { job: "fastapi" });
      expect(rendered.startsWith(`${config.alerting.grafanaUrl}/d/`) || rendered === "", `${r.name}: ${rendered}`).toBe(true);
    }
  });

  it("every runbook_url names a runbook of docs/runbooks", () => {
    for (const env of ["dev", "prod"] as const) {
      for (const { rule: r } of alertRules(built[env].result!.alerting!.groups)) {
        const file = /\/(docs\/runbooks\/[A-Za-z]+\.md)$/.exec(r.annotations.runbook_url)?.[1];
        expect(file, r.annotations.runbook_url).toBeDefined();
        expect(existsSync(join(REPO_ROOT, file!)), file).toBe(true);
      }
    }
  });
});

describe("a config without working links is refused, naming the key", () => {
  const withAlerting = (env: string, patch: Record<string, unknown>) => () =>
    loadConfig(env, (c) => {
      const alerting: Record<string, unknown> = { ...c.alerting, ...patch };
      for (const [k, v] of Object.entries(patch)) if (v === undefined) delete alerting[k];
      return { ...c, alerting: alerting as typeof c.alerting };
    });

  it("prod without runbookBaseUrl or grafanaUrl", () => {
    expect(configError(withAlerting("prod", { runbookBaseUrl: undefined }))).toBe("error[bad-config] config/environments.ts: alerting.runbookBaseUrl: Required");
    expect(configError(withAlerting("prod", { grafanaUrl: undefined }))).toBe("error[bad-config] config/environments.ts: alerting.grafanaUrl: Required");
  });

  it("prod with http or a local host", () => {
    expect(configError(withAlerting("prod", { grafanaUrl: "http://grafana.observability.internal" }))).toMatch(/alerting\.grafanaUrl: must be https outside dev/);
    expect(configError(withAlerting("prod", { grafanaUrlByJob: { fastapi: "https://localhost:3030" } }))).toMatch(/alerting\.grafanaUrlByJob\.fastapi: must not be a local host outside dev/);
  });

  it("a placeholder host in any environment", () => {
    expect(configError(withAlerting("dev", { runbookBaseUrl: "https://github.com/example-org/repo/blob/main/docs/runbooks" }))).toMatch(/alerting\.runbookBaseUrl: is a placeholder/);
    expect(configError(withAlerting("dev", { grafanaUrl: "https://grafana.example.com" }))).toMatch(/alerting\.grafanaUrl: is a placeholder/);
  });
});

describe("runbooks", () => {
  const dir = join(REPO_ROOT, "docs/runbooks");
  const runbooks = readdirSync(dir).filter((f) => f.endsWith(".md"));

  it("are plain Markdown: no alert template syntax, which nothing renders in a runbook", () => {
    expect(runbooks.length).toBeGreaterThan(10);
    const templated = runbooks.flatMap((f) =>
      readFileSync(join(dir, f), "utf8")
        .split("\n")
        .flatMap((line, i) => (/\{\{|\}\}|\$labels\b|\$value\b|\$externalLabels\b/.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(templated).toEqual([]);
  });
});
