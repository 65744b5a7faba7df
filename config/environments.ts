// Per-environment values. `dev` matches the stacks' docker-compose files; `prod` overrides what differs.
import type { ConfigInput } from "./schema.js";

/** Where docs/runbooks of this repository is browsable; runbooks are the same in every environment. */
const RUNBOOKS = "https://git.observability.internal/platform/grafana-as-code/blob/main/docs/runbooks";

const dev: ConfigInput = {
  env: "dev",
  datasources: {
    prometheus: { url: "http://prometheus:9090" },
    loki: { url: "http://loki:3100" },
    tempo: { url: "http://tempo:3200" },
    jaeger: { url: "http://jaeger:16686" },
    alertmanager: { url: "http://alertmanager:9093" },
  },
  grafana: { provisioningPath: "/etc/grafana/provisioning", orgId: 1 },
  prometheus: {
    scrapeInterval: "15s",
    evaluationInterval: "15s",
    alertmanagerTargets: ["alertmanager:9093"],
    scrapeJobs: {
      // FastAPI/LLM stack: prometheus_fastapi_instrumentator on the app container
      fastapi: { targets: ["app:8000"], scrapeInterval: "15s" },
      // PixErase stack: PixErase API and its taskiq worker
      pix_erase_api: { targets: ["pix_erase.api:8080"], scrapeInterval: "15s" },
      pix_erase_worker: { targets: ["pix_erase.worker:8081"], scrapeInterval: "15s" },
      // evaluation platform: API gateway, evaluation worker, host and container exporters
      "api-gateway": { targets: ["host.docker.internal:8007"], scrapeInterval: "10s" },
      worker: { targets: ["host.docker.internal:8006"], scrapeInterval: "10s" },
      "node-exporter": { targets: ["node-exporter:9100"], scrapeInterval: "15s" },
      cadvisor: { targets: ["host.docker.internal:8080"], scrapeInterval: "15s" },
      // Model service and evaluation stacks: the collector's Prometheus exporter on :8889 re-exports the services' OTLP
      // metrics with job = service.name, so its labels are honoured rather than overwritten.
      "model-service": { targets: ["otel-collector:8889"], scrapeInterval: "15s", honorLabels: true },
      // Optional targets, off until the other side exposes them:
      // The collector's own telemetry (otelcol_*): it listens on localhost:8888 by default. Set
      // service.telemetry.metrics to serve on 0.0.0.0:8888 and publish the port in docker-compose.
      "otel-collector": { targets: ["otel-collector:8888"], scrapeInterval: "15s", enabled: false },
      // Vector's internal metrics: needs an internal_metrics source wired to a prometheus_exporter
      // sink listening on 0.0.0.0:8383 (the PixErase stack's VECTOR_PORT).
      vector: { targets: ["vector:8383"], scrapeInterval: "15s", enabled: false },
      // Loki and Tempo serve /metrics on their HTTP ports; Prometheus must share their network.
      loki: { targets: ["loki:3100"], scrapeInterval: "15s", enabled: false },
      tempo: { targets: ["tempo:3200"], scrapeInterval: "15s", enabled: false },
      // Promtail serves /metrics on server.http_listen_port (9080); publish it to Prometheus' network.
      promtail: { targets: ["promtail:9080"], scrapeInterval: "15s", enabled: false },
      // Jaeger all-in-one serves /metrics on its admin port 14269, which the FastAPI/LLM stack does not publish.
      jaeger: { targets: ["jaeger:14269"], scrapeInterval: "15s", enabled: false },
    },
  },
  folders: {
    services: { uid: "services", title: "Services" },
    ml: { uid: "ml", title: "ML & LLM" },
    infrastructure: { uid: "infrastructure", title: "Infrastructure" },
    overview: { uid: "overview", title: "Overview" },
  },
  // v2 of the access model (src/model/access.ts): Admins see everything, the ops team views the
  // service and infrastructure folders, nobody else sees any folder.
  access: {
    // Teams named o11y-… are this project's: --prune deletes one the config no longer lists.
    teamPrefix: "o11y-",
    teams: { ops: { name: "o11y-ops" } },
    folders: {
      services: { teams: { ops: "View" } },
      infrastructure: { teams: { ops: "View" } },
      ml: {},
      overview: {},
    },
  },
  // Where each service's signals go (config/services.ts; rendered as docs/stacks.md).
  services: {
    fastapi: {
      stack: "FastAPI / LLM backend",
      job: "fastapi",
      // Promtail labels every container's stream with job="docker" and the compose service name.
      logs: {
        selector: '{job="docker", service="app"}',
        format: "json",
        traceIdField: "trace_id",
        levelField: "level",
      },
      traces: { serviceName: "fastapi-backend", datasource: "jaeger" },
      assumed:
        "the app's log lines are JSON with level and trace_id fields (the stack document does not describe the log format)",
    },
    pixEraseApi: {
      stack: "PixErase",
      job: "pix_erase_api",
      labels: { app_name: "PixErase" },
      serviceNameLabel: "app_name",
      logs: {
        selector: '{container_name="pix_erase.api"}',
        format: "json",
        traceIdField: "log_trace_id",
        levelField: "log_level",
        // Vector prefixes the application's fields with log_ (log_level, log_trace_id, log_event).
        correlationIdField: "log_correlation_id",
      },
      traces: { serviceName: "PixErase", datasource: "tempo" },
      exemplars: { label: "trace_id" },
      assumed:
        "exemplars carry the trace id in a trace_id label (the stack document says latency metrics link to spans, " +
        "not under which label); Vector renames the contract's correlation_id to log_correlation_id like the fields it lists",
    },
    pixEraseWorker: {
      stack: "PixErase",
      job: "pix_erase_worker",
      // Loki collects the API container only.
      traces: { serviceName: "PixErase", datasource: "tempo" },
      assumed: "the worker's spans carry the application's default name PixErase",
    },
    modelService: {
      stack: "Model service",
      job: "model-service",
      // No log aggregator in this stack.
      traces: { serviceName: "model-service", datasource: "tempo" },
      reportsThroughCollector: { metric: "model_inference_total" },
      assumed:
        "service.name is model-service (the collector's exporter turns it into the job) and the collector exports traces to Tempo (the stack document names no trace store)",
    },
    evaluationWorker: {
      stack: "Evaluation platform",
      job: "worker",
      // No Loki in this stack.
      traces: { serviceName: "worker", datasource: "tempo" },
      assumed: "the Celery worker's spans carry service.name worker",
    },
    otelCollector: { stack: "Shared infrastructure", job: "otel-collector" },
    cadvisor: { stack: "Shared infrastructure", job: "cadvisor" },
    nodeExporter: { stack: "Shared infrastructure", job: "node-exporter" },
  },
  // Amber levels; red is where the alerts fire (alerting.thresholds, defaults in config/schema.ts).
  thresholds: {
    errorRatioWarning: 0.01,
    latencyP95Warning: 0.5,
  },
  // USD per million tokens (list prices).
  costs: {
    llmModels: {
      "gpt-4o": { promptPerMillion: 2.5, completionPerMillion: 10 },
      "gpt-4o-mini": { promptPerMillion: 0.15, completionPerMillion: 0.6 },
      "claude-3-5-sonnet": { promptPerMillion: 3, completionPerMillion: 15 },
    },
    evaluationTokens: { inputPerMillion: 2.5, outputPerMillion: 10 },
  },
  dashboards: { refresh: "30s", timeFrom: "now-1h", tags: ["as-code"] },
  // Alert thresholds, receivers and routing default in config/schema.ts (alerting). The links every
  // alert carries have no default: each environment says where its runbooks and Grafana are.
  alerting: {
    mode: "prometheus",
    runbookBaseUrl: RUNBOOKS,
    // Each stack runs its own Grafana: the PixErase and evaluation platform stacks on :3000, the
    // FastAPI/LLM stack on :3030, the model-service stack on :3010.
    grafanaUrl: "http://localhost:3000",
    grafanaUrlByJob: { fastapi: "http://localhost:3030", "model-service": "http://localhost:3010" },
  },
};

/** Production: TLS everywhere, credentials from the environment Grafana runs in. */
const prod: ConfigInput = {
  ...dev,
  env: "prod",
  datasources: {
    prometheus: {
      url: "https://prometheus.observability.internal:9090",
      basicAuth: { user: "grafana", passwordEnv: "GRAFANA_PROMETHEUS_PASSWORD" },
    },
    loki: {
      url: "https://loki.observability.internal:3100",
      basicAuth: { user: "grafana", passwordEnv: "GRAFANA_LOKI_PASSWORD" },
    },
    tempo: {
      url: "https://tempo.observability.internal:3200",
      basicAuth: { user: "grafana", passwordEnv: "GRAFANA_TEMPO_PASSWORD" },
    },
    jaeger: { url: "https://jaeger.observability.internal:16686", tokenEnv: "GRAFANA_JAEGER_TOKEN" },
    alertmanager: {
      url: "https://alertmanager.observability.internal:9093",
      basicAuth: { user: "grafana", passwordEnv: "GRAFANA_ALERTMANAGER_PASSWORD" },
    },
  },
  dashboards: { ...dev.dashboards, refresh: "1m" },
  prometheus: {
    ...dev.prometheus,
    remoteWrite: {
      url: "https://mimir.observability.internal/api/v1/push",
      tenant: "stacks",
      basicAuth: { username: "prometheus", passwordFile: "/etc/prometheus/secrets/mimir-password" },
    },
  },
  // Metrics rules on Mimir's ruler, log rules on Loki's (tenant: the folder under build/loki/rules/).
  rulers: {
    mimir: {
      url: "https://mimir.observability.internal",
      tenant: "stacks",
      basicAuth: { user: "rules-sync", passwordEnv: "MIMIR_RULER_PASSWORD" },
    },
    loki: {
      url: "https://loki.observability.internal:3100",
      basicAuth: { user: "rules-sync", passwordEnv: "LOKI_RULER_PASSWORD" },
    },
  },
  // One Grafana for every service in production; links must be https on a real host (config/schema.ts).
  alerting: {
    ...dev.alerting,
    runbookBaseUrl: RUNBOOKS,
    grafanaUrl: "https://grafana.observability.internal",
    grafanaUrlByJob: {},
  },
};

export const environments: Record<string, ConfigInput> = { dev, prod };
