// FastAPI/LLM stack: the LLM service layer's custom metrics, exposed by the FastAPI app (job fastapi).
import { metrics } from "./types.js";

const VALUES = {
  model: ["gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet"],
  provider: ["openai", "anthropic"],
  endpoint: ["chat", "summarize"],
};

export const LLM = metrics({ stack: "fastapi-llm", jobs: ["fastapi"] }, [
  {
    name: "llm_calls_total",
    type: "counter",
    unit: "short",
    help: "LLM API calls, by model, provider and application endpoint.",
    labels: ["model", "provider", "endpoint"],
    labelValues: VALUES,
  },
  {
    name: "llm_latency_seconds",
    type: "histogram",
    unit: "s",
    help: "LLM call latency, by model, provider and endpoint.",
    labels: ["model", "provider", "endpoint"],
    labelValues: VALUES,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  },
  {
    name: "llm_tokens_total",
    type: "counter",
    unit: "short",
    help: "Tokens consumed, by model, provider and kind (prompt or completion).",
    labels: ["model", "provider", "type"],
    labelValues: { model: VALUES.model, provider: VALUES.provider, type: ["prompt", "completion"] },
  },
  {
    name: "llm_errors_total",
    type: "counter",
    unit: "short",
    help: "Failed LLM calls, by model, provider and reason.",
    labels: ["model", "provider", "reason"],
    labelValues: { model: VALUES.model, provider: VALUES.provider, reason: ["timeout", "rate_limit", "api_error"] },
  },
]);
