import type { Config } from "../config/index.js";
import { DATASOURCE_UIDS as UID } from "../src/datasourceUids.js";
import { connection } from "./auth.js";
import { derivedFields } from "./correlations.js";
import type { DatasourceDefinition } from "./types.js";

/** Loki. Derived fields make trace ids in log lines open the trace in the datasource holding it. */
export function loki(config: Config): DatasourceDefinition {
  const { authJsonData, ...conn } = connection(config.datasources.loki);
  return {
    uid: UID.loki,
    name: "Loki",
    type: "loki",
    ...conn,
    jsonData: { ...authJsonData, maxLines: 1000, derivedFields: derivedFields(config) },
  };
}
