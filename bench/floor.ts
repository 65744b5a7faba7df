// The floor the pipeline is compared with: the same definitions, loaded the same way (bundled with
// esbuild into one module under node_modules/.cache, each definition imported through the same
// per-file loader; see bench/floor-launch.mjs), then only the Foundation SDK's build(),
// JSON.stringify and one file write each — no normalisation, validation, lint or atomic swap.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadConfig } from "../config/index.js";
import { DATASOURCE_UIDS } from "../src/datasourceUids.js";
import type { DashboardContext, DashboardDefinition } from "../src/definitions.js";
import { definitionFiles } from "../src/pipeline/collect.js";
import { importDefinition } from "../src/pipeline/importDefinition.js";

const [dir, out] = process.argv.slice(2).map((p) => resolve(p));
const config = loadConfig("dev");
mkdirSync(out, { recursive: true });
// All imports in flight at once, as src/pipeline/collect.ts does.
const modules = await Promise.all(definitionFiles(dir).map((file) => importDefinition(file)));
const defs = modules.flatMap((m) => (Array.isArray(m.default) ? m.default : [m.default]) as DashboardDefinition[]);
const ctx: DashboardContext = { config, datasources: DATASOURCE_UIDS, dashboardPath: (uid) => `/d/${uid}`, dashboards: defs };
for (const def of defs) writeFileSync(join(out, `${def.uid}.json`), JSON.stringify(def.build(ctx).build(), null, 2));
