// Model service stack: the model service's inference adapters, model_inference{status=success|error}.
import { collectorMetricName } from "../catalog/collectorNames.js";
import { defineAlertGroup } from "../src/alerting/define.js";
import { above, percent, rateRatio } from "../src/query/build.js";

export default defineAlertGroup({
  name: "model-service",
  alerts: ({ thresholds: t, config }) => {
    // The counter as the collector's exporter names it (signals.collectorMetricSuffixes).
    const calls = collectorMetricName("model_inference_total", config);
    return [
      {
        name: "ModelInferenceHighErrorRate",
        severity: "warning",
        expr: above(
          rateRatio({
            part: `${calls}{status="error"}`,
            whole: calls,
            by: ["job", "model_id"],
            minPerMinute: t.minRequestsPerMinute,
          }),
          t.modelInferenceErrorRatio,
        ),
        for: "10m",
        summary: "{{ $value | humanizePercentage }} of inferences of model {{ $labels.model_id }} fail",
        description:
          `{{ $value | humanizePercentage }} of the inference calls for model {{ $labels.model_id }} ({{ $labels.job ` +
          `}}) over the last 5 minutes ended with status="error" (alert above ${percent(t.modelInferenceErrorRatio)}).`,
        dashboard: { dashboard: "model-service-inference", panel: "Error share by model" },
      },
    ];
  },
});
