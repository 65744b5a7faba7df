// Step 1: collect every definition. Dashboards are discovered, not registered: a file
// dashboards/<name>.ts or dashboards/<name>/index.ts whose default export is one definition or a list.
import { relative } from "node:path";
import { z } from "zod";
import { importDefinition, loadFailure } from "./importDefinition.js";
import { definitionFiles } from "./sources.mjs";
import { REPO_ROOT } from "../repoRoot.mjs";
import type { Config } from "../model/config.js";
import type { DashboardDefinition } from "../definitions.js";
import { waiverRefusal } from "../model/lintRules.js";
import { BuildError, type Problem } from "../errors.js";

export { REPO_ROOT };

const definitionSchema = z.object({
  kind: z.literal("dashboard"),
  uid: z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/, "uid must be 1-40 characters of [a-zA-Z0-9_-] (Grafana's limit)"),
  title: z.string().min(1).optional(),
  folder: z.string().min(1),
  nav: z.object({ order: z.number().finite(), title: z.string().min(1).optional() }).optional(),
  layout: z.enum(["flow", "manual"]).optional(),
  lintWaivers: z
    .array(
      z
        .object({
          rule: z.string().superRefine((r, ctx) => {
            const refused = waiverRefusal(r);
            if (refused) ctx.addIssue({ code: z.ZodIssueCode.custom, message: refused });
          }),
          // Without panels: the whole dashboard.
          panels: z.array(z.string().min(1)).min(1, "name the panels (by title) the waiver is for, or leave panels out for the whole dashboard").optional(),
          reason: z.string().trim().min(15, "say why the findings are accepted, in a sentence"),
        })
        .strict(),
    )
    .optional(),
  build: z.function(),
});

export { definitionFiles };

export interface CollectOptions {
  /** The definition files (default: discovered in `dir`). */
  files?: string[];
  /** What a file exports, known without importing it (the build cache): that file is not imported. */
  known?: Map<string, unknown[]>;
}

/** Imports each definition file and checks the shape of what it exports. */
export async function collectDashboards(dir: string, config: Config, opts: CollectOptions = {}): Promise<DashboardDefinition[]> {
  const problems: Problem[] = [];
  const out: DashboardDefinition[] = [];
  const files = opts.files ?? definitionFiles(dir);
  // All imports in flight at once: the TypeScript loader answers them in parallel, which matters
  // with hundreds of files; results are then taken in file order, so the output does not change.
  const loaded = await Promise.allSettled(
    files.map((file) => {
      const known = opts.known?.get(file);
      return known ? Promise.resolve({ default: known }) : importDefinition(file);
    }),
  );
  for (const [i, file] of files.entries()) {
    const rel = relative(REPO_ROOT, file);
    const result = loaded[i];
    if (result.status === "rejected") {
      problems.push(loadFailure(file, result.reason, REPO_ROOT));
      continue;
    }
    const exported: unknown = result.value.default;
    const list = Array.isArray(exported) ? exported : [exported];
    // What the build cache knows passed this check when it was recorded, under the same key.
    const fromCache = opts.known?.has(file) ?? false;
    for (const def of list) {
      const parsed = fromCache ? { success: true as const } : definitionSchema.safeParse(def);
      if (!parsed.success) {
        problems.push({
          code: "bad-definition",
          file: rel,
          dashboardUid: (def as { uid?: string })?.uid,
          message: parsed.error.issues.map((i) => `${i.path.join(".") || "default export"}: ${i.message}`).join("; ") +
            " (export default defineDashboard({...}) or a list of them)",
        });
        continue;
      }
      const d = def as DashboardDefinition;
      if (!config.folders[d.folder]) {
        problems.push({
          code: "unknown-folder",
          file: rel,
          dashboardUid: d.uid,
          message: `folder "${d.folder}" is not in config.folders (${Object.keys(config.folders).join(", ")})`,
        });
        continue;
      }
      out.push({ ...d, file: rel });
    }
  }
  if (problems.length) throw new BuildError(problems);
  return out;
}
