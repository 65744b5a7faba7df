// Evaluation platform: containers (cAdvisor, job cadvisor) and hosts (node-exporter, job node-exporter).
import { metrics } from "./types.js";

const CONTAINER = ["name", "image", "id"];
const CONTAINER_VALUES = {
  name: ["api-gateway", "worker", "prometheus"],
  image: ["app/api-gateway:1.4.0", "app/worker:1.4.0", "prom/prometheus:v2.53.0"],
  id: ["/docker/3f1a9c", "/docker/8b2e41", "/docker/c07d5e"],
};
const FS = { device: ["/dev/sda1"], fstype: ["ext4"], mountpoint: ["/"] };

export const CONTAINERS = metrics(
  {
    stack: "evaluation",
    jobs: ["cadvisor"],
    assumed:
      "cAdvisor's standard series; the stack document names the panels (CPU, memory, network, restarts), not the series",
  },
  [
    {
      name: "container_cpu_usage_seconds_total",
      type: "counter",
      unit: "s",
      help: "CPU time consumed by the container.",
      labels: CONTAINER,
      labelValues: CONTAINER_VALUES,
    },
    {
      name: "container_memory_working_set_bytes",
      type: "gauge",
      unit: "bytes",
      help: "Working set memory of the container (what the OOM killer looks at).",
      labels: CONTAINER,
      labelValues: CONTAINER_VALUES,
    },
    {
      name: "container_memory_usage_bytes",
      type: "gauge",
      unit: "bytes",
      help: "Memory usage of the container, page cache included.",
      labels: CONTAINER,
      labelValues: CONTAINER_VALUES,
    },
    {
      name: "container_spec_memory_limit_bytes",
      type: "gauge",
      unit: "bytes",
      help: "Memory limit of the container (0 when unlimited).",
      labels: CONTAINER,
      labelValues: CONTAINER_VALUES,
    },
    {
      name: "container_network_receive_bytes_total",
      type: "counter",
      unit: "bytes",
      help: "Bytes received by the container.",
      labels: [...CONTAINER, "interface"],
      labelValues: { ...CONTAINER_VALUES, interface: ["eth0"] },
    },
    {
      name: "container_network_transmit_bytes_total",
      type: "counter",
      unit: "bytes",
      help: "Bytes sent by the container.",
      labels: [...CONTAINER, "interface"],
      labelValues: { ...CONTAINER_VALUES, interface: ["eth0"] },
    },
    {
      name: "container_fs_usage_bytes",
      type: "gauge",
      unit: "bytes",
      help: "Filesystem bytes used by the container.",
      labels: [...CONTAINER, "device"],
      labelValues: { ...CONTAINER_VALUES, device: ["/dev/sda1"] },
    },
    {
      name: "container_last_seen",
      type: "gauge",
      unit: "s",
      help: "When cAdvisor last saw the container, in unix seconds.",
      labels: CONTAINER,
      labelValues: CONTAINER_VALUES,
    },
    {
      name: "container_start_time_seconds",
      type: "gauge",
      unit: "s",
      help: "Start time of the container, in unix seconds; a change is a restart.",
      labels: CONTAINER,
      labelValues: CONTAINER_VALUES,
    },
  ],
);

export const HOSTS = metrics(
  {
    stack: "evaluation",
    jobs: ["node-exporter"],
    assumed:
      "node-exporter's standard series; the stack document names CPU, memory, disk and network usage, not the series",
  },
  [
    {
      name: "node_cpu_seconds_total",
      type: "counter",
      unit: "s",
      help: "CPU time per core and mode.",
      labels: ["cpu", "mode"],
      labelValues: { cpu: ["0", "1"], mode: ["idle", "user", "system", "iowait"] },
    },
    { name: "node_memory_MemTotal_bytes", type: "gauge", unit: "bytes", help: "Total physical memory.", labels: [] },
    {
      name: "node_memory_MemAvailable_bytes",
      type: "gauge",
      unit: "bytes",
      help: "Memory available for new work without swapping.",
      labels: [],
    },
    {
      name: "node_filesystem_avail_bytes",
      type: "gauge",
      unit: "bytes",
      help: "Filesystem bytes available to unprivileged users.",
      labels: ["device", "fstype", "mountpoint"],
      labelValues: FS,
    },
    {
      name: "node_filesystem_size_bytes",
      type: "gauge",
      unit: "bytes",
      help: "Filesystem size.",
      labels: ["device", "fstype", "mountpoint"],
      labelValues: FS,
    },
    {
      name: "node_network_receive_bytes_total",
      type: "counter",
      unit: "bytes",
      help: "Bytes received per network device.",
      labels: ["device"],
      labelValues: { device: ["eth0", "lo"] },
    },
    {
      name: "node_network_transmit_bytes_total",
      type: "counter",
      unit: "bytes",
      help: "Bytes sent per network device.",
      labels: ["device"],
      labelValues: { device: ["eth0", "lo"] },
    },
    { name: "node_load1", type: "gauge", unit: "short", help: "1-minute load average.", labels: [] },
    {
      name: "node_boot_time_seconds",
      type: "gauge",
      unit: "s",
      help: "Boot time of the host, in unix seconds.",
      labels: [],
    },
  ],
);
