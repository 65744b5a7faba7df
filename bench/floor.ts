// The floor the pipeline is compared with: the same definitions, only the Foundation SDK's build(),
// JSON.stringify and one file write each — no normalisation, validation, lint or atomic swap.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { loadConfig } from "../config/index.js";
import { DATASOURCE_UIDS } from "../src/datasourceUids.js";
import type { DashboardDefinition } from "../src/definitions.js";
import { definitionFiles } from "../src/pipeline/collect.js";

const [dir, out] = process.argv.slice(2).map((p) => resolve(p));
const config = loadConfig("dev");
const ctx = { config, datasources: DATASOURCE_UIDS, dashboardPath: (uid: string) => `/d/${uid}` };
mkdirSync(out, { recursive: true });
// Loaded the way the pipeline loads them (all imports in flight at once), so the ratio compares
// what happens after loading.
const modules = await Promise.all(definitionFiles(dir).map((file) => import(pathToFileURL(file).href)));
for (const m of modules) {
  const def = m.default as DashboardDefinition;
  writeFileSync(join(out, `${def.uid}.json`), JSON.stringify(def.build(ctx).build(), null, 2));
}
