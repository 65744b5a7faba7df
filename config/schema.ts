// The shape of an environment's configuration. Every value the dashboards, datasources and
// alerts depend on lives here, so a cross-cutting change is one edit, and a typo is a build error.
import { z } from "zod";

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
  })
  .strict();

/** USD per million tokens. */
const pricePerMillion = z.number().nonnegative();

/** Prices the cost panels multiply token rates with (list prices; adjust to the contract). */
const costs = z
  .object({
    /** Per LLM model, keyed by llm_tokens_total's model label (seed 001). Unlisted models are shown as unpriced. */
    llmModels: z.record(
      z.string().regex(/^[\w.:/-]+$/, "must be a model label value such as gpt-4o"),
      z.object({ promptPerMillion: pricePerMillion, completionPerMillion: pricePerMillion }).strict(),
    ),
    /** The evaluation worker's tokens_input_total / tokens_output_total (seed 003). */
    evaluationTokens: z.object({ inputPerMillion: pricePerMillion, outputPerMillion: pricePerMillion }).strict(),
  })
  .strict();

const folder = z
  .object({
    uid: z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/, "must be 1-40 characters of [a-zA-Z0-9_-]"),
    title: z.string().min(1),
  })
  .strict();

/** How a service is selected in each signal: its Prometheus job, its Loki stream, its trace service name. */
const service = z
  .object({
    job: z.string().min(1),
    lokiSelector: z
      .string()
      .regex(/^\{.+\}$/, "must be a LogQL stream selector such as {service=\"app\"}")
      .optional(),
    traceServiceName: z.string().min(1).optional(),
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
      })
      .strict(),
    folders: z.record(z.string().regex(/^[a-z][a-zA-Z0-9]*$/), folder),
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
    thresholds: z
      .object({
        /** Share of requests answered 5xx above which error panels turn red (0-1). */
        errorRatioWarning: z.number().min(0).max(1),
        errorRatioCritical: z.number().min(0).max(1),
        /** p95 latency, seconds. */
        latencyP95Warning: z.number().positive(),
        latencyP95Critical: z.number().positive(),
        cpuBusyWarning: z.number().min(0).max(1),
        memoryUsedWarning: z.number().min(0).max(1),
      })
      .strict()
      .refine((t) => t.errorRatioWarning < t.errorRatioCritical, "errorRatioWarning must be below errorRatioCritical")
      .refine((t) => t.latencyP95Warning < t.latencyP95Critical, "latencyP95Warning must be below latencyP95Critical"),
    costs,
    dashboards: z
      .object({
        refresh: z.string().regex(/^\d+[smh]$/),
        timeFrom: z.string().regex(/^now-\d+[smhdw]$/),
        tags: z.array(z.string()),
      })
      .strict(),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type ServiceKey = keyof Config["services"];
export type ServiceConfig = Config["services"][ServiceKey];
