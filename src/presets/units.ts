// Units the presets do not name directly.
import type { GrafanaUnit } from "../model/grafanaUnits.js";

/**
 * A rate unit that says what is counted ("0.3 evaluations/s"), for rates of things that are not
 * requests: Grafana's reqps would call evaluations and inferences requests.
 */
export function perSecond(what: string): GrafanaUnit {
  return `suffix: ${what}/s`;
}
