import type { Config } from "../config/index.js";
import { alertmanager } from "./alertmanager.js";
import { loki } from "./loki.js";
import { prometheus } from "./prometheus.js";
import { jaeger, tempo } from "./traces.js";
import type { DatasourceDefinition } from "./types.js";

export type { DatasourceDefinition } from "./types.js";

export const DATASOURCES_FILE = "datasources/index.ts";

export function datasources(config: Config): DatasourceDefinition[] {
  return [prometheus(config), loki(config), tempo(config), jaeger(config), alertmanager(config)];
}
