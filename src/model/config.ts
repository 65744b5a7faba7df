// The shape of an environment's configuration. Every value the dashboards, datasources and
// alerts depend on lives here, so a cross-cutting change is one edit, and a typo is a build error.
import { z } from "zod";
import { accessSchema } from "./access.js";
import { remoteWrite, rulers } from "./rulers.js";
import { service, serviceReferenceProblems } from "./services.js";

const url = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), "must be an http(s) URL");

/** A reference to an environment variable that Grafana expands when it reads a provisioning file. */
const envVarName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, "must be an environment variable name such as GRAFANA_LOKI_PASSWORD");

const basicAuth = z
  .object({
    user: z.string().min(1),
    /** Name of the environment variable holding the password; the value never enters the build. */
    passwordEnv: envVarName,
  })
  .strict();

const datasource = z
  .object({
    url,
    basicAuth: basicAuth.optional(),
    /** Name of an environment variable holding a bearer token, sent as an Authorization header. */
    tokenEnv: envVarName.optional(),
  })
  .strict();

const scrapeJob = z
  .object({
    targets: z.array(z.string().regex(/^[\w.-]+:\d+$/, "must be host:port")).min(1),
    metricsPath: z.string().startsWith("/").default("/metrics"),
    scrapeInterval: z.string().regex(/^\d+[smh]$/, "must be a Prometheus duration such as 15s"),
    /** Keep the job/instance labels the target itself sets (the collector's Prometheus exporter). */
    honorLabels: z.boolean().default(false),
    scheme: z.enum(["http", "https"]).default("http"),
    /**
     * Off for optional targets the stacks do not expose by default; the comment beside each says
     * what must be enabled on the other side before switching it on.
     */
    enabled: z.boolean().default(true),
  })
  .strict();

/** Switches for how the stacks' telemetry backends are set up (docs/stacks.md). */
const signals = z
  .object({
    /**
     * Tempo's metrics-generator writes traces_service_graph_* and span metrics to Prometheus; only
     * then can Grafana draw the service map.
     */
    tempoMetricsGenerator: z.boolean().default(false),
    /**
     * The collector's Prometheus exporter setting add_metric_suffixes (its default: true). On, a
     * counter is exported with _total (model_inference_total); off, under its OTLP name (model_inference).
     */
    collectorMetricSuffixes: z.boolean().default(true),
  })
  .strict();

/** USD per million tokens. */
const pricePerMillion = z.number().nonnegative();

/** Prices the cost panels multiply token rates with (list prices; adjust to the contract). */
const costs = z
  .object({
    /** Per LLM model, keyed by llm_tokens_total's model label (the FastAPI/LLM stack). Unlisted models are shown as unpriced. */
    llmModels: z.record(
      z.string().regex(/^[\w.:/-]+$/, "must be a model label value such as gpt-4o"),
      z.object({ promptPerMillion: pricePerMillion, completionPerMillion: pricePerMillion }).strict(),
    ),
    /** The evaluation worker's tokens_input_total / tokens_output_total (the evaluation platform). */
    evaluationTokens: z.object({ inputPerMillion: pricePerMillion, outputPerMillion: pricePerMillion }).strict(),
  })
  .strict();

const folder = z
  .object({
    uid: z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/, "must be 1-40 characters of [a-zA-Z0-9_-]"),
    title: z.string().min(1),
  })
  .strict();

/** Hosts that only ever stand in for a real one: a link to them never resolves. */
const PLACEHOLDER_HOST = /(^|\.)example\.(com|org|net)$|^example$|(^|[./])example-org([./]|$)/i;
/** A URL people open from a notification: http(s), and not a placeholder. */
const linkUrl = url.refine((u) => {
  const parsed = new URL(u);
  return !PLACEHOLDER_HOST.test(parsed.hostname) && !PLACEHOLDER_HOST.test(parsed.pathname);
}, "is a placeholder (example.com / example-org), not a link that resolves");
/** Hosts that only resolve on the machine the notification is read on. */
export const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/i;

/** A Prometheus/Alertmanager duration: 30s, 5m, 4h, 1d. */
const promDuration = z.string().regex(/^\d+[smhd]$/, "must be a duration such as 5m");
const absolutePath = z.string().regex(/^\/[^\s]*$/, "must be an absolute path without spaces");
/** A fraction 0-1 at which an alert fires. */
const share = z.number().gt(0).lt(1);

/**
 * Alerting: who evaluates the rules, where notifications go, and the level each alert fires at.
 * Every key has a default, so an environment only states what differs.
 */
const alerting = z
  .object({
    /**
     * prometheus: rule files for Prometheus and an Alertmanager configuration.
     * grafana: Grafana-managed rules, contact points and notification policy (provisioning files).
     * both: the two side by side (to compare them while moving from one to the other).
     * SLO recording rules always go to Prometheus: Grafana-managed SLO alerts read them.
     */
    mode: z.enum(["prometheus", "grafana", "both"]).default("prometheus"),
    /**
     * Where docs/runbooks is browsable (the repository's blob URL); runbook_url = <base>/<AlertName>.md.
     * No default: a link nobody can open is worse than a build that asks for it.
     */
    runbookBaseUrl: linkUrl,
    /** The Grafana that shows this environment's dashboards; dashboard_url = <grafanaUrl>/d/<uid>?viewPanel=<panel id>. */
    grafanaUrl: linkUrl,
    /** Jobs whose alerts are looked at in another Grafana (one Grafana per stack in dev), by job. */
    grafanaUrlByJob: z.record(z.string().regex(/^[a-zA-Z_][\w.-]*$/), linkUrl).default({}),
    /** How notifications are grouped and repeated (Alertmanager route and Grafana policy alike). */
    routing: z
      .object({
        groupBy: z
          .array(z.string().regex(/^[a-zA-Z_]\w*$/))
          .min(1)
          .default(["alertname", "job"]),
        groupWait: promDuration.default("30s"),
        groupInterval: promDuration.default("5m"),
        repeatInterval: promDuration.default("4h"),
      })
      .strict()
      .default({}),
    /** Alertmanager receivers. Secrets are read from files mounted into Alertmanager, never written here. */
    receivers: z
      .object({
        /** critical → PagerDuty (Events API v2). */
        pager: z
          .object({ routingKeyFile: absolutePath.default("/etc/alertmanager/secrets/pagerduty-routing-key") })
          .strict()
          .default({}),
        /** warning → Slack. */
        chat: z
          .object({
            apiUrlFile: absolutePath.default("/etc/alertmanager/secrets/slack-webhook-url"),
            channel: z
              .string()
              .regex(/^#[\w-]+$/, "must be a Slack channel such as #alerts")
              .default("#alerts"),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    /** Grafana-managed alerting (mode grafana/both): folder, evaluation interval, contact point secrets. */
    grafana: z
      .object({
        folder: z.string().min(1).default("Alerts"),
        interval: promDuration.default("1m"),
        /** Environment variables Grafana reads the PagerDuty integration key and Slack webhook URL from. */
        pagerdutyIntegrationKeyEnv: envVarName.default("GRAFANA_PAGERDUTY_INTEGRATION_KEY"),
        slackWebhookUrlEnv: envVarName.default("GRAFANA_SLACK_WEBHOOK_URL"),
      })
      .strict()
      .default({}),
    /**
     * The Loki ruler that evaluates the log alert rules (build/loki/rules/<tenant>/<group>.yaml). Its
     * tenant is the X-Scope-OrgID the services' logs are pushed with; a Loki without auth_enabled
     * keeps everything, rules included, under the tenant "fake".
     */
    loki: z
      .object({
        tenant: z
          .string()
          .regex(/^[A-Za-z0-9!_.*'()-]{1,150}$/, "must be a Loki tenant id: up to 150 of A-Z a-z 0-9 ! - _ . * ' ( )")
          .refine((t) => t !== "." && t !== "..", "must not be . or .. (it names a directory)")
          .default("fake"),
      })
      .strict()
      .default({}),
    /** The level each alert fires at (fractions 0-1, latency in seconds). */
    thresholds: z
      .object({
        /** EvaluationSuccessRateLow: succeeded / total below this (evaluation platform: 80%). */
        evaluationSuccessRatio: share.default(0.8),
        /** EvaluationFailureRateHigh: failed / total above this (evaluation platform: 20%). */
        evaluationFailureRatio: share.default(0.2),
        /** HostHighCpuUsage: share of CPU time not idle. */
        hostCpuBusy: share.default(0.9),
        /** HostHighMemoryUsage: 1 - MemAvailable / MemTotal. */
        hostMemoryUsed: share.default(0.9),
        /** ContainerHighMemoryUsage: working set / memory limit. */
        containerMemoryOfLimit: share.default(0.9),
        /** FastAPIHighErrorRate: share of requests answered 5xx. */
        httpErrorRatio: share.default(0.05),
        /** FastAPIHighLatency: p95 request duration, seconds. */
        httpLatencyP95Seconds: z.number().positive().default(1),
        /** LLMHighErrorRate: llm_errors_total / llm_calls_total. */
        llmErrorRatio: share.default(0.1),
        /** ModelInferenceHighErrorRate: status="error" share of model_inference_total. */
        modelInferenceErrorRatio: share.default(0.05),
        /** TaskiqTaskFailureRateHigh: error share of taskiq_tasks_total. */
        taskiqFailureRatio: share.default(0.1),
        /**
         * Ratio and burn-rate alerts stay silent below this many events per minute (requests, calls,
         * evaluations, tasks) over their window(s): 1 failure in 3 requests at night is not an outage.
         */
        minRequestsPerMinute: z.number().nonnegative().default(1),
        /** LogErrorBurst (Loki ruler): error-level log lines per minute of one service, averaged over 5 minutes. */
        logErrorLinesPerMinute: z.number().positive().default(10),
        /** LogRepeatedException (Loki ruler): tracebacks of one exception type from one service within 15 minutes. */
        logRepeatedExceptions: z.number().int().positive().default(5),
        /** LogMissingCorrelationId (Loki ruler): share of a service's structured log lines without the correlation id. */
        logMissingCorrelationIdRatio: share.default(0.01),
      })
      .strict()
      .default({}),
  })
  .strict();

export const configSchema = z
  .object({
    env: z.string().regex(/^[a-z][a-z0-9-]*$/),
    datasources: z
      .object({
        prometheus: datasource,
        loki: datasource,
        tempo: datasource,
        jaeger: datasource,
        alertmanager: datasource,
      })
      .strict(),
    grafana: z
      .object({
        /** Where Grafana sees build/grafana/provisioning (its paths.provisioning). */
        provisioningPath: z.string().startsWith("/"),
        orgId: z.number().int().positive(),
      })
      .strict(),
    prometheus: z
      .object({
        scrapeInterval: z.string().regex(/^\d+[smh]$/),
        evaluationInterval: z.string().regex(/^\d+[smh]$/),
        alertmanagerTargets: z.array(z.string().regex(/^[\w.-]+:\d+$/)).min(1),
        scrapeJobs: z.record(z.string().regex(/^[a-zA-Z_][\w.-]*$/), scrapeJob),
        /** The long-term store (Mimir) Prometheus writes every sample to; prod only. */
        remoteWrite: remoteWrite.optional(),
      })
      .strict(),
    folders: z.record(z.string().regex(/^[a-z][a-zA-Z0-9]*$/), folder),
    /** Folder permissions and teams (./access.ts); lint requires a mapping for every folder. */
    access: accessSchema.default({}),
    services: z
      .object({
        fastapi: service,
        pixEraseApi: service,
        pixEraseWorker: service,
        modelService: service,
        evaluationWorker: service,
        otelCollector: service,
        cadvisor: service,
        nodeExporter: service,
      })
      .strict(),
    /**
     * Early-warning levels panels turn amber at. The red (critical) levels are the alerts' levels,
     * alerting.thresholds, so a panel and the alert on it can never disagree.
     */
    thresholds: z
      .object({
        /** Share of requests answered 5xx (0-1). */
        errorRatioWarning: z.number().min(0).max(1),
        /** p95 latency, seconds. */
        latencyP95Warning: z.number().positive(),
      })
      .strict(),
    costs,
    dashboards: z
      .object({
        refresh: z.string().regex(/^\d+[smh]$/),
        timeFrom: z.string().regex(/^now-\d+[smhdw]$/),
        tags: z.array(z.string()),
      })
      .strict(),
    alerting,
    signals: signals.default({}),
    /** Rulers the rule groups are synced to (`npm run push -- --rulers`); none in dev. */
    rulers: rulers.default({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (const [path, message] of serviceReferenceProblems(c.services, Object.keys(c.datasources))) {
      ctx.addIssue({ code: "custom", path, message });
    }
    // Outside dev, alert links are opened from a phone or a chat client: https on a real host.
    if (c.env !== "dev") {
      const links: [string[], string][] = [
        [["alerting", "runbookBaseUrl"], c.alerting.runbookBaseUrl],
        [["alerting", "grafanaUrl"], c.alerting.grafanaUrl],
        ...Object.entries(c.alerting.grafanaUrlByJob).map(([job, u]): [string[], string] => [
          ["alerting", "grafanaUrlByJob", job],
          u,
        ]),
      ];
      for (const [path, u] of links) {
        const parsed = new URL(u);
        if (parsed.protocol !== "https:")
          ctx.addIssue({ code: "custom", path, message: `must be https outside dev (got ${u})` });
        if (LOCAL_HOST.test(parsed.hostname))
          ctx.addIssue({ code: "custom", path, message: `must not be a local host outside dev (got ${u})` });
      }
    }
    const prefix = c.access.teamPrefix;
    for (const [key, t] of Object.entries(c.access.teams))
      if (prefix !== undefined && !t.name.startsWith(prefix))
        ctx.addIssue({
          code: "custom",
          path: ["access", "teams", key, "name"],
          message: `"${t.name}" must start with access.teamPrefix "${prefix}" (the prefix is how a push recognises the teams it may delete)`,
        });
    for (const [key, grants] of Object.entries(c.access.folders)) {
      if (!Object.hasOwn(c.folders, key))
        ctx.addIssue({
          code: "custom",
          path: ["access", "folders", key],
          message: `"${key}" is not a folder (folders: ${Object.keys(c.folders).join(", ")})`,
        });
      for (const team of Object.keys(grants.teams))
        if (!Object.hasOwn(c.access.teams, team))
          ctx.addIssue({
            code: "custom",
            path: ["access", "folders", key, "teams", team],
            message: `"${team}" is not a team of access.teams`,
          });
    }
    // Two folders with one uid (or title) would be one folder in Grafana, holding both folders' dashboards.
    for (const field of ["uid", "title"] as const) {
      const first = new Map<string, string>();
      for (const [key, f] of Object.entries(c.folders)) {
        const value = field === "uid" ? f.uid : f.title.trim().toLowerCase();
        const other = first.get(value);
        if (other === undefined) first.set(value, key);
        else
          ctx.addIssue({
            code: "custom",
            path: ["folders", key, field],
            message: `${field} "${f[field]}" is also the ${field} of folders.${other}; folder ${field}s must be unique`,
          });
      }
    }
    const alert = c.alerting.thresholds;
    if (c.thresholds.errorRatioWarning >= alert.httpErrorRatio) {
      ctx.addIssue({
        code: "custom",
        path: ["thresholds", "errorRatioWarning"],
        message: `must be below alerting.thresholds.httpErrorRatio (${alert.httpErrorRatio})`,
      });
    }
    if (c.thresholds.latencyP95Warning >= alert.httpLatencyP95Seconds) {
      ctx.addIssue({
        code: "custom",
        path: ["thresholds", "latencyP95Warning"],
        message: `must be below alerting.thresholds.httpLatencyP95Seconds (${alert.httpLatencyP95Seconds})`,
      });
    }
  });

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type ServiceKey = keyof Config["services"];
export type ServiceConfig = Config["services"][ServiceKey];
export type AlertingConfig = Config["alerting"];
