// Panel colour levels. Red is the level the alert on the same signal fires at, read from the
// alerting config, so a dashboard never shows green while its alert fires (or red while it doesn't).
import type { Config } from "../model/config.js";

export function levels(config: Config) {
  const alert = config.alerting.thresholds;
  return {
    errorRatioWarning: config.thresholds.errorRatioWarning,
    errorRatioCritical: alert.httpErrorRatio,
    latencyP95Warning: config.thresholds.latencyP95Warning,
    latencyP95Critical: alert.httpLatencyP95Seconds,
    cpuBusyWarning: alert.hostCpuBusy,
    memoryUsedWarning: alert.hostMemoryUsed,
    containerMemoryOfLimit: alert.containerMemoryOfLimit,
    evaluationSuccessRatio: alert.evaluationSuccessRatio,
    evaluationFailureRatio: alert.evaluationFailureRatio,
    llmErrorRatio: alert.llmErrorRatio,
    modelInferenceErrorRatio: alert.modelInferenceErrorRatio,
    taskiqFailureRatio: alert.taskiqFailureRatio,
  };
}
