// Prometheus durations live in the base layer (src/emit/duration.ts), shared with the ruler sync.
export { formatDuration, parseDurationSeconds } from "../emit/duration.js";
