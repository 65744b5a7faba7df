// SLOs of the FastAPI app (the FastAPI/LLM stack, job fastapi): availability (answers without a 5xx) and latency
// (answers within 1 s, read from the le="1" bucket of the instrumentator's histogram, whose buckets
// are 0.1, 0.5 and 1). Each becomes recording rules and multi-window burn-rate alerts.
import type { ServiceKey } from "../config/index.js";
import { defineSlo } from "../src/alerting/define.js";
import { leMatcher } from "../src/query/build.js";

/**
 * The services whose availability and latency these burn-rate alerts page for: their threshold
 * alerts (alerts/fastapi.ts) are warnings, so one incident pages once.
 */
export const PAGED_BY_SLO: readonly ServiceKey[] = ["fastapi"];

export default [
  defineSlo({
    name: "fastapi-availability",
    build: ({ job }) => ({
      alert: "FastAPIAvailabilityBudgetBurn",
      title: "FastAPI availability",
      objective: 0.999,
      good: `http_requests_total{job="${job("fastapi")}", status!~"5.."}`,
      total: `http_requests_total{job="${job("fastapi")}"}`,
      // No non-5xx series while requests come in means every request failed.
      goodMayBeAbsent: true,
      dashboard: { dashboard: "fastapi-overview", panel: "Error ratio (5xx)" },
    }),
  }),
  defineSlo({
    name: "fastapi-latency",
    build: ({ job }) => ({
      alert: "FastAPILatencyBudgetBurn",
      title: "FastAPI latency (1s)",
      objective: 0.99,
      // le="1" as Prometheus 3 stores it, le="1.0" as Prometheus 2 keeps the Python client's spelling.
      good: `http_request_duration_seconds_bucket{job="${job("fastapi")}", ${leMatcher(1)}}`,
      total: `http_request_duration_seconds_count{job="${job("fastapi")}"}`,
      dashboard: { dashboard: "fastapi-overview", panel: "p95 latency" },
    }),
  }),
];
