// The repository's content as the engine and the tools receive it: entry points (scripts/) build
// one value from config/, datasources/ and catalog/ and pass it in, so src/ never imports content.
import type { CatalogIndex } from "./catalog.js";
import type { Config } from "./config.js";
import type { DatasourceDefinition } from "./datasource.js";

export interface RepoContent {
  /** Loads and validates one environment's configuration; a usage error for an unknown name. */
  loadConfig(env: string): Config;
  /** Names of the environments the configuration defines, sorted. */
  environmentNames(): string[];
  /** Where the configuration's values are, for messages. */
  configFile: string;
  /** The provisioned datasources of an environment. */
  datasources(config: Config): DatasourceDefinition[];
  /** Where the datasources are defined, for messages. */
  datasourcesFile: string;
  /** The metric catalog every query is checked against. */
  catalog: CatalogIndex;
}
