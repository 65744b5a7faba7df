// PixErase stack: the PixErase worker's taskiq background tasks, per task.
import { defineAlertGroup } from "../src/alerting/define.js";
import { above, percent, rateRatio } from "../src/query/build.js";

export default defineAlertGroup({
  name: "taskiq",
  alerts: ({ thresholds: t }) => [
    {
      name: "TaskiqTaskFailureRateHigh",
      severity: "warning",
      expr: above(
        rateRatio({
          part: 'taskiq_tasks_total{status="error"}',
          whole: "taskiq_tasks_total",
          by: ["job", "task_name"],
          minPerMinute: t.minRequestsPerMinute,
        }),
        t.taskiqFailureRatio,
      ),
      for: "10m",
      summary: "{{ $value | humanizePercentage }} of {{ $labels.task_name }} tasks fail",
      description:
        `{{ $value | humanizePercentage }} of the {{ $labels.task_name }} tasks finished by {{ $labels.job }} ` +
        `over the last 5 minutes ended in an error (alert above ${percent(t.taskiqFailureRatio)}).`,
      dashboard: { dashboard: "workers", panel: "Failure ratio by task" },
    },
  ],
});
