// Generates N dashboard definition files: the FastAPI overview for N different jobs, each its own
// uid, one file each — an estate shaped like a real one.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../src/repoRoot.mjs";

export const REPO = REPO_ROOT;

export function generateDashboards(dir: string, n: number): string {
  mkdirSync(dir, { recursive: true });
  for (let i = 1; i <= n; i++) {
    const job = `svc-${String(i).padStart(4, "0")}`;
    writeFileSync(
      join(dir, `${job}.ts`),
      `import { defineDashboard } from "${REPO}/src/definitions.ts";
import { fastapiOverview } from "${REPO}/dashboards/fastapi/index.ts";
import { instrumentator } from "${REPO}/dashboards/fastapi/flavours.ts";

const flavour = { ...instrumentator, uid: "${job}-overview", title: "${job} overview", job: "${job}" };
export default defineDashboard({ uid: flavour.uid, folder: "services", build: (ctx) => fastapiOverview(flavour, ctx) });
`,
    );
  }
  return dir;
}
