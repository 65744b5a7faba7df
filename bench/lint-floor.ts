// The floor for linting a directory of dashboards: read every *.json and JSON.parse it, nothing else.
// bench/lint.ts divides lint's time by this, from paired runs.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
let n = 0;
for (const f of readdirSync(dir).sort()) {
  if (!f.endsWith(".json")) continue;
  JSON.parse(readFileSync(join(dir, f), "utf8"));
  n++;
}
if (!n) process.exit(1);
