// PixErase stack: the PixErase API (fastapi_* metrics, job pix_erase_api) and its taskiq worker
// (job pix_erase_worker).
import { metrics } from "./types.js";

const APP = { app_name: ["PixErase"] };
const ROUTES = { method: ["GET", "POST"], path: ["/api/v1/images", "/api/v1/tasks", "/metrics"] };
const TASKS = ["erase_background", "resize_image"];

export const PIXERASE = [
  ...metrics({ stack: "pixerase", jobs: ["pix_erase_api"] }, [
    {
      name: "fastapi_requests_total",
      type: "counter",
      unit: "short",
      help: "HTTP requests received, by route and status code.",
      labels: ["app_name", "method", "path", "status_code"],
      labelValues: { ...APP, ...ROUTES, status_code: ["200", "404", "500"] },
    },
    {
      name: "fastapi_responses_total",
      assumed: "the exporter's usual companion of fastapi_requests_total; the stack document does not list it",
      type: "counter",
      unit: "short",
      help: "HTTP responses sent, by route and status code.",
      labels: ["app_name", "method", "path", "status_code"],
      labelValues: { ...APP, ...ROUTES, status_code: ["200", "404", "500"] },
    },
    {
      name: "fastapi_request_duration_seconds",
      type: "histogram",
      unit: "s",
      help: "HTTP request duration by route.",
      labels: ["app_name", "method", "path"],
      labelValues: { ...APP, ...ROUTES },
    },
    {
      name: "fastapi_exceptions_total",
      type: "counter",
      unit: "short",
      help: "Exceptions raised by request handlers, by exception type.",
      labels: ["app_name", "method", "path", "exception_type"],
      assumed: "the labels: the stack document says exception counts by type, not the label names",
      labelValues: { ...APP, ...ROUTES, exception_type: ["ValueError", "TimeoutError"] },
    },
    {
      name: "fastapi_requests_in_progress",
      assumed: "the exporter's in-progress gauge; the stack document does not list it",
      type: "gauge",
      unit: "short",
      help: "Requests being handled right now.",
      labels: ["app_name", "method", "path"],
      labelValues: { ...APP, ...ROUTES },
    },
  ]),
  ...metrics({ stack: "pixerase", jobs: ["pix_erase_worker"] }, [
    {
      name: "taskiq_tasks_total",
      type: "counter",
      unit: "short",
      help: "Background tasks finished, by task name and outcome.",
      labels: ["task_name", "status"],
      assumed: "the labels task_name and status: the stack document names the metric, not its labels",
      labelValues: { task_name: TASKS, status: ["success", "error"] },
    },
    {
      name: "taskiq_tasks_duration_seconds",
      type: "histogram",
      unit: "s",
      help: "Background task execution time.",
      labels: ["task_name"],
      assumed: "the label task_name: the stack document names the metric, not its labels",
      labelValues: { task_name: TASKS },
    },
  ]),
];
