// Workers: the PixErase taskiq worker's tasks by name and outcome with duration percentiles
// (the PixErase stack), and the evaluation worker's throughput (the evaluation platform).
import { defineDashboard, type DashboardContext, type DashboardSelf } from "../../src/definitions.js";
import { baseDashboard } from "../../src/presets/dashboard.js";
import { row, statPanel, timeseriesPanel, warnCrit } from "../../src/presets/panels.js";
import { prom } from "../../src/presets/targets.js";
import { datasourceVariable, labelVariable } from "../../src/presets/variables.js";
import { withNav } from "../_shared/nav.js";
import { firingAlertsAnnotation } from "../_shared/alerts.js";
import { multiJobVariables } from "../_shared/variables.js";
import { linkTo } from "../_shared/panels.js";
import { pLabel } from "../../src/query/build.js";
import { perSecond } from "../../src/presets/units.js";
import { METRICS, workersQueries } from "./queries.js";
import { levels } from "../../src/presets/levels.js";

function workers(ctx: DashboardContext, self: DashboardSelf) {
  const q = workersQueries();
  const { pixEraseWorker, evaluationWorker } = ctx.config.services;
  const t = levels(ctx.config);
  // Red where TaskiqTaskFailureRateHigh fires, amber at half of it.
  const errors = warnCrit(t.taskiqFailureRatio / 2, t.taskiqFailureRatio);

  const d = baseDashboard(ctx, {
    ...self,
    description:
      "Background workers: the PixErase taskiq worker (tasks by name and outcome, duration percentiles) and the evaluation worker's throughput.",
    tags: ["workers", pixEraseWorker.job, evaluationWorker.job],
  }).variables([
    datasourceVariable(),
    ...multiJobVariables([pixEraseWorker.job, evaluationWorker.job]),
    labelVariable({
      name: "task_name",
      label: "Task",
      query: `label_values(${METRICS.tasks}{job=~"$job", instance=~"$instance"}, task_name)`,
    }),
  ]);
  withNav(d, ctx, self);
  d.annotation(firingAlertsAnnotation([pixEraseWorker.job, evaluationWorker.job]));

  d.withRow(row("taskiq tasks"))
    .withPanel(
      statPanel({
        title: "Tasks/s",
        unit: perSecond("tasks"),
        description: "taskiq tasks finished per second, all selected tasks.",
        targets: [prom(q.taskRate())],
      }),
    )
    .withPanel(
      statPanel({
        title: "Task failure ratio",
        unit: "percentunit",
        decimals: 2,
        thresholds: errors,
        description: 'Share of tasks that finished with status="error".',
        targets: [prom(q.taskFailureRatio())],
      }),
    )
    .withPanel(
      statPanel({
        title: "Task p95 duration",
        unit: "s",
        description: "95th percentile task execution time.",
        targets: [prom(q.taskP95())],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Tasks/s by name and status",
        unit: perSecond("tasks"),
        stack: true,
        width: 12,
        description: "Tasks finished per second per task name and outcome (success, error).",
        targets: [prom(q.ratesByNameStatus(), { legend: "{{task_name}} {{status}}" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Failure ratio by task",
        unit: "percentunit",
        min: 0,
        thresholds: errors,
        showThresholds: true,
        description: "Share of each task's runs that failed; tasks that did not run drop out.",
        targets: [prom(q.failureRatioByName(), { legend: "{{task_name}}" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Task duration p50 / p95 / p99 by task",
        unit: "s",
        width: 24,
        description:
          "Task execution time percentiles per task name, estimated from taskiq_tasks_duration_seconds buckets.",
        targets: q.percentiles.map((x) => prom(q.durationByName(x), { legend: `${pLabel(x)} {{task_name}}` })),
      }),
    );

  d.withRow(row("Evaluation worker"))
    .withPanel(
      linkTo(
        statPanel({
          title: "Evaluations/s",
          unit: perSecond("evaluations"),
          description: "Evaluations finished per second by the evaluation worker; click for the evaluation analytics.",
          targets: [prom(q.evaluationRate())],
        }),
        ctx,
        "evaluation-analytics",
        "Evaluation analytics",
      ),
    )
    .withPanel(
      statPanel({
        title: "Evaluation p95 duration",
        unit: "s",
        description: "95th percentile processing time of one evaluation.",
        targets: [prom(q.evaluationP95())],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Evaluation throughput",
        unit: perSecond("evaluations"),
        stack: true,
        description: "Successful and failed evaluations per second.",
        targets: [
          prom(q.evaluationSuccessRate(), { legend: "success" }),
          prom(q.evaluationFailedRate(), { legend: "failed" }),
        ],
      }),
    );
  return d;
}

export default defineDashboard({
  uid: "workers",
  title: "Workers",
  folder: "services",
  nav: { order: 40 },
  build: workers,
});
