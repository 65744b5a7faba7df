// Every query of the workers dashboard, apart from the layout: the PixErase taskiq worker (the PixErase stack)
// and the evaluation worker's throughput (the evaluation platform).
import { TARGET } from "../_shared/variables.js";
import { errorRatio, PERCENTILES, quantile, RI } from "../../src/query/build.js";

export const METRICS = {
  tasks: "taskiq_tasks_total",
  duration: "taskiq_tasks_duration_seconds",
  evaluations: "evaluations_total",
} as const;

/** `target`: which jobs and instances (TARGET, or Home's rowTarget); `filters`: the dashboard's own variables. */
export function workersQueries(target = TARGET, filters = ', task_name=~"$task_name"') {
  const sel = (extra = "") => `{${target}${filters}${extra}}`;
  const rate = (by: string[] = [], extra = "") =>
    `sum${by.length ? ` by (${by.join(", ")})` : ""} (rate(${METRICS.tasks}${sel(extra)}[${RI}]))`;
  const evalSel = `{${target}}`;
  const total = (extra = "") => `sum(rate(${METRICS.tasks}${sel(extra)}[${RI}]))`;
  const evalRate = (metric: string) => `sum(rate(${metric}${evalSel}[${RI}]))`;

  return {
    taskRate: () => rate(),
    /** The same two as one plain sum each (Home's stats). */
    totals: {
      taskRate: () => total(),
      taskFailureRatio: () => errorRatio(total(', status="error"'), total()),
    },
    taskFailureRatio: () => errorRatio(rate([], ', status="error"'), rate()),
    taskP95: () => quantile(0.95, `${METRICS.duration}_bucket${sel()}`),
    ratesByNameStatus: () => rate(["task_name", "status"]),
    failureRatioByName: () => errorRatio(rate(["task_name"], ', status="error"'), rate(["task_name"])),
    durationByName: (q: number) => quantile(q, `${METRICS.duration}_bucket${sel()}`, ["task_name"]),
    percentiles: PERCENTILES,
    evaluationRate: () => evalRate(METRICS.evaluations),
    evaluationSuccessRate: () => evalRate("evaluations_success_total"),
    evaluationFailedRate: () => evalRate("evaluations_failed_total"),
    evaluationP95: () => quantile(0.95, `evaluation_duration_seconds_bucket${evalSel}`),
  };
}
