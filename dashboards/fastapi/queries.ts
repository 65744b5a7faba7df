// Every query of the FastAPI overview, one named function each, apart from the layout.
import type { FastapiFlavour } from "./flavours.js";
import { TARGET } from "../_shared/variables.js";
import { errorRatio, quantile as bucketQuantile, ratio, RI } from "../../src/query/build.js";

/** `target`: which jobs and instances (TARGET, or Home's rowTarget); `filters`: the dashboard's own variables. */
export function fastapiQueries(f: FastapiFlavour, target = TARGET, filters = ', path=~"$path"') {
  const sel = (extra = "") => `{${target}${filters}${f.extraMatchers}${extra}}`;
  const proc = `{${target}}`;
  const requests = (extra = "") => `${f.requests}${sel(extra)}`;
  const status = (cls: string) => `, ${f.statusLabel}=~"${cls}.."`;
  const rate = (extra = "") => `sum(rate(${requests(extra)}[${RI}]))`;
  const quantile = (q: number, by: string[] = []) => bucketQuantile(q, `${f.duration}_bucket${sel()}`, by);

  return {
    uptime: () => `time() - max(process_start_time_seconds${proc})`,
    requestRate: () => rate(),
    errorRatio: () => errorRatio(rate(status("5")), rate()),
    latencyP95: () => quantile(0.95),
    rateByMethodPath: () => `sum by (method, path) (rate(${requests()}[${RI}]))`,
    rateByStatus: () => `sum by (${f.statusLabel}) (rate(${requests()}[${RI}]))`,
    latencyByPath: (q: number) => quantile(q, ["path"]),
    serverErrorsByPath: () => `sum by (path) (rate(${requests(status("5"))}[${RI}]))`,
    statusClassShare: (cls: "2" | "4" | "5") => ratio(rate(status(cls)), rate()),
    exceptionsByType: () =>
      f.exceptions ? `sum by (exception_type) (rate(${f.exceptions}${sel()}[${RI}]))` : undefined,
    inProgress: () => (f.inProgress ? `sum by (path) (${f.inProgress}${sel()})` : undefined),
    cpu: () => `sum by (instance) (rate(process_cpu_seconds_total${proc}[${RI}]))`,
    residentMemory: () => `sum by (instance) (process_resident_memory_bytes${proc})`,
    logs: (stream: string) => `${stream} ${f.logPipeline}`,
    logVolumeByLevel: (stream: string, level = f.logLevelField) =>
      `sum by (${level}) (count_over_time(${stream} | json [$__auto]))`,
    failedTraces: (service: string) => `{resource.service.name="${service}" && status=error}`,
    slowTraces: (service: string, seconds: number) =>
      `{resource.service.name="${service}" && kind=server && duration>${seconds}s}`,
  };
}
