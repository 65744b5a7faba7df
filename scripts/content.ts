// The repository's content (config/, datasources/, catalog/) as one value, built here and passed
// into the engine and tools by the entry points (src/ never imports content).
import { catalog } from "../catalog/index.js";
import { CONFIG_FILE, environmentNames, loadConfig } from "../config/index.js";
import { datasources, DATASOURCES_FILE } from "../datasources/index.js";
import type { RepoContent } from "../src/model/content.js";

export const REPO_CONTENT: RepoContent = {
  loadConfig: (env) => loadConfig(env),
  environmentNames,
  configFile: CONFIG_FILE,
  datasources,
  datasourcesFile: DATASOURCES_FILE,
  catalog,
};
