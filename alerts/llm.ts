// FastAPI/LLM stack: the LLM service layer's calls and errors, per provider and model.
import { defineAlertGroup } from "../src/alerting/define.js";
import { above, percent, rateRatio } from "../src/query/build.js";

export default defineAlertGroup({
  name: "llm",
  alerts: ({ thresholds: t }) => [
    {
      name: "LLMHighErrorRate",
      severity: "warning",
      expr: above(
        rateRatio({
          part: "llm_errors_total",
          whole: "llm_calls_total",
          by: ["job", "provider", "model"],
          minPerMinute: t.minRequestsPerMinute,
        }),
        t.llmErrorRatio,
      ),
      for: "10m",
      summary: "{{ $value | humanizePercentage }} of {{ $labels.provider }}/{{ $labels.model }} calls fail",
      description:
        `{{ $value | humanizePercentage }} of the calls {{ $labels.job }} made to {{ $labels.provider }} model ` +
        `{{ $labels.model }} over the last 5 minutes failed (alert above ${percent(t.llmErrorRatio)}).`,
      dashboard: { dashboard: "llm-overview", panel: "Error ratio by model" },
    },
  ],
});
