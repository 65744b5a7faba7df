// Evaluation platform: the evaluation worker's success and failure rates ("Low success rate" / "High failure
// rate" in its alert rules), from evaluations_{success,failed,}_total over 5 minutes.
import { defineAlertGroup } from "../src/alerting/define.js";
import { above, below, percent, rateRatio } from "../src/query/build.js";

export default defineAlertGroup({
  name: "evaluations",
  alerts: ({ thresholds: t, job }) => {
    const sel = (metric: string) => `${metric}{job="${job("evaluationWorker")}"}`;
    const dashboard = (panel: string) => ({ dashboard: "evaluation-analytics", panel });
    return [
      {
        name: "EvaluationSuccessRateLow",
        severity: "warning",
        // A success counter that never moved while evaluations ran counts as 0% success, not as no data.
        expr: below(
          rateRatio({
            part: sel("evaluations_success_total"),
            whole: sel("evaluations_total"),
            by: ["job"],
            minPerMinute: t.minRequestsPerMinute,
          }),
          t.evaluationSuccessRatio,
        ),
        for: "5m",
        summary: "Evaluation success rate on {{ $labels.job }} is {{ $value | humanizePercentage }}",
        description: `Only {{ $value | humanizePercentage }} of the evaluations run by {{ $labels.job }} over the last 5 minutes succeeded (alert below ${percent(t.evaluationSuccessRatio)}).`,
        dashboard: dashboard("Success vs failure"),
      },
      {
        name: "EvaluationFailureRateHigh",
        severity: "critical",
        expr: above(
          rateRatio({
            part: sel("evaluations_failed_total"),
            whole: sel("evaluations_total"),
            by: ["job"],
            minPerMinute: t.minRequestsPerMinute,
          }),
          t.evaluationFailureRatio,
        ),
        for: "5m",
        summary: "{{ $value | humanizePercentage }} of evaluations fail on {{ $labels.job }}",
        description: `{{ $value | humanizePercentage }} of the evaluations run by {{ $labels.job }} over the last 5 minutes failed (alert above ${percent(t.evaluationFailureRatio)}).`,
        dashboard: dashboard("Failure rate"),
      },
    ];
  },
});
