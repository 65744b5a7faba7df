// Evaluation platform: container memory against its limit, from cAdvisor. Containers without a limit report
// 0 and are left out: a share of "unlimited" means nothing.
import { defineAlertGroup } from "../src/alerting/define.js";
import { above, percent } from "../src/query/build.js";

export default defineAlertGroup({
  name: "containers",
  alerts: ({ thresholds: t, job }) => {
    const sel = `{job="${job("cadvisor")}", name!=""}`;
    return [
      {
        name: "ContainerHighMemoryUsage",
        severity: "warning",
        expr: above(
          `max by (job, instance, name) (\n  container_memory_working_set_bytes${sel}\n  / (container_spec_memory_limit_bytes${sel} > 0)\n)`,
          t.containerMemoryOfLimit,
        ),
        for: "5m",
        summary: "Container {{ $labels.name }} uses {{ $value | humanizePercentage }} of its memory limit",
        description:
          `The working set of container {{ $labels.name }} on {{ $labels.instance }} is {{ $value | humanizePercentage ` +
          `}} of its memory limit (alert above ${percent(t.containerMemoryOfLimit)}); at 100% the kernel OOM-kills ` +
          `it.`,
        dashboard: { dashboard: "containers-hosts", panel: "Memory used of limit" },
      },
    ];
  },
});
