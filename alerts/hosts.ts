// Evaluation platform: host CPU and memory from node-exporter ("High CPU Usage" / "High Memory Usage").
import { defineAlertGroup } from "../src/alerting/define.js";
import { above, percent } from "../src/query/build.js";

export default defineAlertGroup({
  name: "hosts",
  alerts: ({ thresholds: t, job }) => {
    const node = `job="${job("nodeExporter")}"`;
    return [
      {
        name: "HostHighCpuUsage",
        severity: "warning",
        // Busy = every mode but idle, averaged over the host's cores.
        expr: above(
          `1 - avg by (job, instance) (rate(node_cpu_seconds_total{${node}, mode="idle"}[5m]))`,
          t.hostCpuBusy,
        ),
        for: "5m",
        summary: "CPU of {{ $labels.instance }} is {{ $value | humanizePercentage }} busy",
        description:
          `The CPUs of host {{ $labels.instance }} ({{ $labels.job }}) were {{ $value | humanizePercentage }} busy ` +
          `on average over the last 5 minutes (alert above ${percent(t.hostCpuBusy)}).`,
        dashboard: { dashboard: "containers-hosts", panel: "Host CPU busy" },
      },
      {
        name: "HostHighMemoryUsage",
        severity: "warning",
        expr: above(
          `1 - node_memory_MemAvailable_bytes{${node}} / node_memory_MemTotal_bytes{${node}}\nand\nnode_memory_MemTotal_bytes{${node}} > 0`,
          t.hostMemoryUsed,
        ),
        for: "5m",
        summary: "Memory of {{ $labels.instance }} is {{ $value | humanizePercentage }} used",
        description:
          `Host {{ $labels.instance }} ({{ $labels.job }}) has {{ $value | humanizePercentage }} of its memory in ` +
          `use (1 - MemAvailable / MemTotal; alert above ${percent(t.hostMemoryUsed)}).`,
        dashboard: { dashboard: "containers-hosts", panel: "Host memory used" },
      },
    ];
  },
});
