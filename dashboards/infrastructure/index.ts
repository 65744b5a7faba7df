// Containers & hosts (the evaluation platform, "Container Overview" and the system metrics): per-container CPU,
// memory against the limit, network, filesystem and restarts (cAdvisor); per-host CPU, memory,
// disk, network, load and uptime (node-exporter).
import { defineDashboard, type DashboardContext, type DashboardSelf } from "../../src/definitions.js";
import { baseDashboard } from "../../src/presets/dashboard.js";
import { barGaugePanel, row, statPanel, timeseriesPanel, warnCrit } from "../../src/presets/panels.js";
import { prom } from "../../src/presets/targets.js";
import { datasourceVariable, labelVariable } from "../../src/presets/variables.js";
import { withNav } from "../_shared/nav.js";
import { firingAlertsAnnotation } from "../_shared/alerts.js";
import { multiJobVariables } from "../_shared/variables.js";
import { infrastructureQueries } from "./queries.js";
import { levels } from "../../src/presets/levels.js";

function infrastructure(ctx: DashboardContext, self: DashboardSelf) {
  const q = infrastructureQueries();
  const { cadvisor, nodeExporter } = ctx.config.services;
  const t = levels(ctx.config);
  const cpu = warnCrit(t.cpuBusyWarning * 0.9, t.cpuBusyWarning);
  const memory = warnCrit(t.memoryUsedWarning * 0.9, t.memoryUsedWarning);
  // ContainerHighMemoryUsage's level, which may differ from the hosts'.
  const containerMemory = warnCrit(t.containerMemoryOfLimit * 0.9, t.containerMemoryOfLimit);
  const c = q.containers;
  const h = q.hosts;

  const d = baseDashboard(ctx, {
    ...self,
    description:
      "Resource use per container (cAdvisor: CPU, working set against the memory limit, network, filesystem, restarts) and per host (node-exporter: CPU, memory, disk, network, load, uptime).",
    tags: ["infrastructure", cadvisor.job, nodeExporter.job],
  }).variables([
    datasourceVariable(),
    ...multiJobVariables([cadvisor.job, nodeExporter.job]),
    labelVariable({
      name: "container",
      label: "Container",
      query: 'label_values(container_last_seen{job=~"$job", instance=~"$instance", name!=""}, name)',
    }),
  ]);
  withNav(d, ctx, self);
  d.annotation(firingAlertsAnnotation([cadvisor.job, nodeExporter.job]));

  d.withRow(row("Containers"))
    .withPanel(
      statPanel({
        title: "Containers",
        unit: "short",
        decimals: 0,
        graph: false,
        description: "Named containers cAdvisor currently reports.",
        targets: [prom(c.running(), { instant: true })],
      }),
    )
    .withPanel(
      statPanel({
        title: "Restarts in range",
        unit: "short",
        decimals: 0,
        graph: false,
        thresholds: [
          [1, "orange"],
          [5, "red"],
        ],
        description:
          "Container restarts in the selected range: changes of container_start_time_seconds. A container re-created under a new id shows up as a new series instead.",
        targets: [prom(c.restartsInRange(), { instant: true })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "CPU by container",
        unit: "percentunit",
        width: 12,
        description: "CPU time used per second of wall time per container (1 = one full core).",
        targets: [prom(c.cpu(), { legend: "{{name}}" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Memory: working set vs limit",
        unit: "bytes",
        description:
          "Working set (what the kernel's OOM killer measures) per container, with its memory limit as a dashed line where one is set.",
        targets: [
          prom(c.workingSet(), { legend: "{{name}} working set" }),
          prom(c.memoryLimit(), { legend: "{{name}} limit" }),
        ],
      }).overrideByRegexp("/ limit$/", [
        { id: "custom.lineStyle", value: { fill: "dash", dash: [10, 10] } },
        { id: "custom.fillOpacity", value: 0 },
      ]),
    )
    .withPanel(
      timeseriesPanel({
        title: "Memory used of limit",
        unit: "percentunit",
        min: 0,
        thresholds: containerMemory,
        showThresholds: true,
        description:
          "Working set as a share of the container's memory limit; containers without a limit are not shown.",
        targets: [prom(c.memoryOfLimit(), { legend: "{{name}}" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Network I/O by container",
        unit: "Bps",
        description: "Bytes received and sent per second per container, all interfaces.",
        targets: [prom(c.receive(), { legend: "{{name}} rx" }), prom(c.transmit(), { legend: "{{name}} tx" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Filesystem usage by container",
        unit: "bytes",
        description: "Bytes the container uses on its filesystems (writable layer and volumes cAdvisor sees).",
        targets: [prom(c.fsUsage(), { legend: "{{name}}" })],
      }),
    )
    .withPanel(
      barGaugePanel({
        title: "Restarts by container",
        unit: "short",
        decimals: 0,
        thresholds: [
          [1, "orange"],
          [5, "red"],
        ],
        description: "Restarts per container in the selected time range (changes of container_start_time_seconds).",
        targets: [prom(c.restartsByName(), { legend: "{{name}}", instant: true })],
      }),
    )
    .withPanel(
      barGaugePanel({
        title: "Container uptime",
        unit: "s",
        description: "Time since each container last started.",
        targets: [prom(c.uptimeByName(), { legend: "{{name}}", instant: true })],
      }),
    );

  d.withRow(row("Hosts"))
    .withPanel(
      statPanel({
        title: "Host uptime",
        unit: "s",
        decimals: 0,
        graph: false,
        description: "Time since the host booted (node_boot_time_seconds).",
        targets: [prom(h.uptime(), { legend: "{{instance}}", instant: true })],
      }),
    )
    .withPanel(
      statPanel({
        title: "Host memory",
        unit: "bytes",
        graph: false,
        description: "Physical memory of the host.",
        targets: [prom(h.memoryTotal(), { legend: "{{instance}}", instant: true })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Host CPU busy",
        unit: "percentunit",
        min: 0,
        max: 1,
        thresholds: cpu,
        showThresholds: true,
        description: "Share of CPU time not idle, averaged over the host's cores.",
        targets: [prom(h.cpuBusy(), { legend: "{{instance}}" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Host CPU by mode",
        unit: "percentunit",
        stack: true,
        min: 0,
        description:
          "Share of CPU time per mode (user, system, iowait, ...), idle excluded; high iowait means the disk is the bottleneck.",
        targets: [prom(h.cpuByMode(), { legend: "{{mode}}" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Host memory used",
        unit: "percentunit",
        min: 0,
        max: 1,
        thresholds: memory,
        showThresholds: true,
        description: "1 - MemAvailable / MemTotal: memory not available for new work without swapping.",
        targets: [prom(h.memoryUsed(), { legend: "{{instance}}" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Disk used",
        unit: "percentunit",
        min: 0,
        max: 1,
        thresholds: memory,
        showThresholds: true,
        description: "Used share of each real filesystem (tmpfs, overlay and other virtual filesystems excluded).",
        targets: [prom(h.diskUsed(), { legend: "{{instance}} {{mountpoint}}" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Host network I/O",
        unit: "Bps",
        description: "Bytes received and sent per second on the host's network devices (loopback excluded).",
        targets: [prom(h.receive(), { legend: "{{instance}} rx" }), prom(h.transmit(), { legend: "{{instance}} tx" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Load",
        unit: "short",
        decimals: 2,
        description: "1-minute load average, and per core: above 1 per core means runnable work is waiting for a CPU.",
        targets: [
          prom(h.load1(), { legend: "{{instance}} load1" }),
          prom(h.loadPerCore(), { legend: "{{instance}} per core" }),
        ],
      }),
    );
  return d;
}

export default defineDashboard({
  uid: "containers-hosts",
  title: "Containers & hosts",
  folder: "infrastructure",
  nav: { order: 80 },
  build: infrastructure,
});
