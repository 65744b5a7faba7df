// Evaluation platform: the evaluation worker's application metrics (job worker).
import { metrics } from "./types.js";

export const EVALUATION = metrics({ stack: "evaluation", jobs: ["worker"] }, [
  { name: "evaluations_total", type: "counter", unit: "short", help: "Evaluations run.", labels: [] },
  {
    name: "evaluations_success_total",
    type: "counter",
    unit: "short",
    help: "Evaluations that succeeded.",
    labels: [],
  },
  { name: "evaluations_failed_total", type: "counter", unit: "short", help: "Evaluations that failed.", labels: [] },
  {
    name: "evaluation_duration_seconds",
    type: "histogram",
    unit: "s",
    help: "Processing time of one evaluation.",
    labels: [],
    buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120],
  },
  {
    name: "evaluation_success_rate",
    type: "gauge",
    unit: "percentunit",
    help: "Share of successful evaluations as reported by the worker (0-1).",
    labels: [],
  },
  { name: "cases_flagged_total", type: "counter", unit: "short", help: "Cases flagged by an evaluation.", labels: [] },
  {
    name: "tokens_input_total",
    type: "counter",
    unit: "short",
    help: "LLM input (prompt) tokens used by evaluations.",
    labels: [],
  },
  {
    name: "tokens_output_total",
    type: "counter",
    unit: "short",
    help: "LLM output (completion) tokens produced for evaluations.",
    labels: [],
  },
  {
    name: "tokens_total",
    type: "counter",
    unit: "short",
    help: "LLM tokens used by evaluations, input and output.",
    labels: [],
  },
]);
