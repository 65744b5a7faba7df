// Every query of the containers & hosts dashboard (evaluation platform: cAdvisor and node-exporter), apart from the layout.
import { TARGET } from "../_shared/variables.js";
import { RI } from "../../src/query/build.js";

/** Filesystems that are not disks: never alert on or chart them. */
const VIRTUAL_FS = "tmpfs|overlay|squashfs|nsfs|ramfs";

/** `target`: which jobs and instances (TARGET, or Home's rowTarget); `containerFilters`: the dashboard's $container. */
export function infrastructureQueries(target = TARGET, containerFilters = ', name=~"$container"') {
  // cAdvisor also exports cgroups without a container (system slices): name!="" keeps containers only.
  const c = (extra = "") => `{${target}${containerFilters}, name!=""${extra}}`;
  const n = (extra = "") => `{${target}${extra}}`;
  const byName = (expr: string) => `sum by (name) (${expr})`;
  const byInstance = (expr: string) => `sum by (instance) (${expr})`;
  const byMount = (expr: string) => `sum by (instance, mountpoint) (${expr})`;
  const disks = n(`, fstype!~"${VIRTUAL_FS}"`);

  return {
    containers: {
      running: () => `count(count by (name) (container_last_seen${c()}))`,
      restartsInRange: () => `sum(changes(container_start_time_seconds${c()}[$__range]))`,
      cpu: () => byName(`rate(container_cpu_usage_seconds_total${c()}[${RI}])`),
      workingSet: () => byName(`container_memory_working_set_bytes${c()}`),
      // 0 means "no limit": drop it rather than draw a limit of zero.
      memoryLimit: () => `${byName(`container_spec_memory_limit_bytes${c()}`)} > 0`,
      memoryOfLimit: () =>
        `${byName(`container_memory_working_set_bytes${c()}`)} / (${byName(`container_spec_memory_limit_bytes${c()}`)} > 0)`,
      receive: () => byName(`rate(container_network_receive_bytes_total${c()}[${RI}])`),
      transmit: () => byName(`rate(container_network_transmit_bytes_total${c()}[${RI}])`),
      fsUsage: () => byName(`container_fs_usage_bytes${c()}`),
      restartsByName: () => byName(`changes(container_start_time_seconds${c()}[$__range])`),
      uptimeByName: () => `time() - max by (name) (container_start_time_seconds${c()})`,
    },
    hosts: {
      cpuBusy: () => `1 - avg by (instance) (rate(node_cpu_seconds_total${n(', mode="idle"')}[${RI}]))`,
      cpuByMode: () => `avg by (mode) (rate(node_cpu_seconds_total${n(', mode!="idle"')}[${RI}]))`,
      memoryUsed: () =>
        `1 - ${byInstance(`node_memory_MemAvailable_bytes${n()}`)} / ${byInstance(`node_memory_MemTotal_bytes${n()}`)}`,
      memoryTotal: () => byInstance(`node_memory_MemTotal_bytes${n()}`),
      diskUsed: () =>
        `1 - ${byMount(`node_filesystem_avail_bytes${disks}`)} / ${byMount(`node_filesystem_size_bytes${disks}`)}`,
      receive: () => byInstance(`rate(node_network_receive_bytes_total${n(', device!="lo"')}[${RI}])`),
      transmit: () => byInstance(`rate(node_network_transmit_bytes_total${n(', device!="lo"')}[${RI}])`),
      load1: () => byInstance(`node_load1${n()}`),
      loadPerCore: () =>
        `${byInstance(`node_load1${n()}`)} / on (instance) count by (instance) (node_cpu_seconds_total${n(', mode="idle"')})`,
      uptime: () => `time() - max by (instance) (node_boot_time_seconds${n()})`,
    },
  };
}
