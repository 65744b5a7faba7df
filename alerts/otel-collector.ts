// The OpenTelemetry collector's own telemetry: spans it failed to hand to its backend are lost.
import { defineAlertGroup } from "../src/alerting/define.js";

export default defineAlertGroup({
  name: "otel-collector",
  alerts: () => [
    {
      name: "OtelCollectorExportFailing",
      severity: "warning",
      expr: "sum by (job, instance, exporter) (rate(otelcol_exporter_send_failed_spans_total[5m])) > 0",
      for: "10m",
      summary: "Collector exporter {{ $labels.exporter }} on {{ $labels.instance }} fails to send spans",
      description:
        "The {{ $labels.exporter }} exporter of the OpenTelemetry collector {{ $labels.instance }} ({{ $labels.job " +
        "}}) failed to send {{ $value | humanize }} spans/s on average over the last 5 minutes, for 10 minutes " +
        "now; those spans are dropped once its retry queue is full.",
      dashboard: { dashboard: "telemetry-pipeline", panel: "Spans out: sent and failed" },
    },
  ],
});
