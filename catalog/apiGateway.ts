// The evaluation platform's API gateway (job api-gateway, host.docker.internal:8007). Its stack documents
// only that it serves the Prometheus text format on /metrics; its spans (POST /api/test/start) show a
// FastAPI-style HTTP service. The request metrics are therefore assumed to be those of
// prometheus_fastapi_instrumentator, as on the FastAPI app, and marked so.
import type { MetricDef } from "./types.js";

export const API_GATEWAY_JOB = "api-gateway";

const ASSUMED =
  `job ${API_GATEWAY_JOB}: its stack names no metric (only "Prometheus text format" on :8007); ` +
  "assumed to be prometheus_fastapi_instrumentator's request metrics, as on the FastAPI app";

const REQUEST_METRICS = ["http_requests_total", "http_request_duration_seconds"];

/** The FastAPI entries with the gateway's job added to the request metrics, marked as assumed. */
export function withApiGateway(defs: MetricDef[]): (MetricDef & { assumed?: string })[] {
  return defs.map((d) =>
    REQUEST_METRICS.includes(d.name) ? { ...d, jobs: [...d.jobs, API_GATEWAY_JOB], assumed: ASSUMED } : d,
  );
}
