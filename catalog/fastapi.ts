// FastAPI/LLM stack: the FastAPI app instrumented with prometheus_fastapi_instrumentator (job fastapi), plus
// the process_* metrics of the Python client, which the PixErase API exports as well.
import { metrics } from "./types.js";

const METHODS = ["GET", "POST"];
const PROCESS = "the Python client's default process collector exports it on Linux; the stack documents do not list it";

export const FASTAPI = [
  ...metrics({ stack: "fastapi-llm", jobs: ["fastapi"] }, [
    {
      name: "http_requests_total",
      type: "counter",
      unit: "short",
      help: "HTTP requests handled, by method, route template and status class (2xx, 4xx, 5xx).",
      labels: ["method", "path", "status"],
      labelValues: { method: METHODS, path: ["/", "/api/items", "/healthz"], status: ["2xx", "4xx", "5xx"] },
    },
    {
      name: "http_request_duration_seconds",
      type: "histogram",
      unit: "s",
      help: "HTTP request duration by method and route template.",
      labels: ["method", "path"],
      labelValues: { method: METHODS, path: ["/", "/api/items", "/healthz"] },
      // The instrumentator's low-resolution default buckets.
      buckets: [0.1, 0.5, 1],
    },
  ]),
  ...metrics({ stack: "fastapi-llm", jobs: ["fastapi", "pix_erase_api"] }, [
    {
      name: "process_start_time_seconds",
      type: "gauge",
      unit: "s",
      help: "Start time of the process, in unix seconds.",
      labels: [],
    },
    {
      name: "process_resident_memory_bytes",
      type: "gauge",
      unit: "bytes",
      help: "Resident memory size of the process.",
      labels: [],
      assumed: PROCESS,
    },
    {
      name: "process_cpu_seconds_total",
      type: "counter",
      unit: "s",
      help: "User and system CPU time spent by the process.",
      labels: [],
      assumed: PROCESS,
    },
  ]),
];
