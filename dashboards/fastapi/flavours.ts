// The two FastAPI instrumentations in the stacks we serve. One dashboard definition covers both;
// a flavour says which metric and label names its exporter uses.
import type { ServiceKey } from "../../config/index.js";
import type { NavEntry } from "../../src/definitions.js";

export interface FastapiFlavour {
  uid: string;
  title: string;
  nav: NavEntry;
  service: ServiceKey;
  /** Overrides the service's configured job (one definition reused for many deployments). */
  job?: string;
  /** The stack that documents it, for the dashboard description. */
  source: string;
  requests: string;
  /** Histogram base name (without _bucket). */
  duration: string;
  statusLabel: string;
  /** Matchers every request query adds, e.g. dropping Prometheus' own scrapes of /metrics. */
  extraMatchers: string;
  exceptions?: string;
  inProgress?: string;
  /**
   * LogQL pipeline after the stream selector; its output must keep the trace id as JSON or as
   * <field>=<id> under the service's traceIdField, which the Loki derived fields link.
   */
  logPipeline: string;
  logLevelField: string;
}

/** FastAPI/LLM stack: prometheus_fastapi_instrumentator (status is "2xx"/"4xx"/"5xx" or the code). */
export const instrumentator: FastapiFlavour = {
  uid: "fastapi-overview",
  title: "FastAPI overview",
  nav: { order: 20, title: "FastAPI" },
  service: "fastapi",
  source: "prometheus_fastapi_instrumentator",
  requests: "http_requests_total",
  duration: "http_request_duration_seconds",
  statusLabel: "status",
  extraMatchers: "",
  logPipeline: "| json",
  logLevelField: "level",
};

/** PixErase stack: PixErase API (prometheus-fastapi-exporter style metrics, Vector-shaped JSON logs). */
export const pixErase: FastapiFlavour = {
  uid: "pixerase-api-overview",
  title: "PixErase API overview",
  nav: { order: 30, title: "PixErase API" },
  service: "pixEraseApi",
  source: "fastapi_* metrics of the PixErase API",
  requests: "fastapi_requests_total",
  duration: "fastapi_request_duration_seconds",
  statusLabel: "status_code",
  extraMatchers: ', path!="/metrics"',
  exceptions: "fastapi_exceptions_total",
  inProgress: "fastapi_requests_in_progress",
  logPipeline: '| json | line_format "{{.log_level}} log_trace_id={{.log_trace_id}} {{.log_event}}"',
  logLevelField: "log_level",
};

export const flavours = [instrumentator, pixErase];
