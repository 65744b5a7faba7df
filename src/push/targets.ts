// The targets file of `npm run push -- --targets targets.yaml`: the Grafana instances and
// organisations one build goes to, each with its URL, the names of the environment variables
// holding its credentials (never the credentials), and which folders and environment go there.
//
//   targets:
//     - name: platform                  # unique; names the target in the report
//       url: https://grafana.example
//       tokenEnv: GRAFANA_PLATFORM_TOKEN  # or basicAuth: { user: admin, passwordEnv: GRAFANA_PLATFORM_PASSWORD }
//       orgId: 2                        # optional: X-Grafana-Org-Id
//       env: prod                       # optional: build for this environment in memory (else --dir)
//       folders: [services, ml]         # optional: only these folders (and their subfolders)
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { EXIT, UserError } from "../errors.js";
import { formatIssues } from "./treeSchemas.js";
import type { DesiredState } from "./types.js";

const envVar = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "must be an environment variable name such as GRAFANA_TOKEN");

const target = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/i, "letters, digits, '.', '_' and '-'"),
    url: z.string().url().refine((u) => /^https?:\/\//.test(u), "must be an http(s) URL"),
    tokenEnv: envVar.optional(),
    basicAuth: z.object({ user: z.string().min(1), passwordEnv: envVar }).strict().optional(),
    orgId: z.number().int().positive().optional(),
    env: z.string().regex(/^[a-z][a-z0-9-]*$/).optional(),
    folders: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict()
  .refine((t) => !!t.tokenEnv !== !!t.basicAuth, { message: "give exactly one of tokenEnv and basicAuth" });

export const targetsFileSchema = z
  .object({ targets: z.array(target).min(1, "list at least one target") })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.targets.forEach((t, i) => {
      if (seen.has(t.name)) ctx.addIssue({ code: "custom", path: ["targets", i, "name"], message: `"${t.name}" names two targets` });
      seen.add(t.name);
    });
  });

export type Target = z.infer<typeof target>;

/** Reads and validates a targets file: exit 2 when it cannot be read, 1 when it is not valid. */
export function loadTargets(path: string): Target[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UserError(`--targets ${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`, EXIT.usage);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new UserError(`${path}: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  const parsed = targetsFileSchema.safeParse(doc);
  if (!parsed.success) throw new UserError(formatIssues(path, parsed.error).join("\n"));
  return parsed.data.targets;
}

/** The part of the build a target receives: its folders (and their subfolders) and what is in them. */
export function selectFolders(d: DesiredState, folders: string[] | undefined): DesiredState {
  if (!folders) return d;
  const keep = new Set(folders);
  // Subfolders come along: repeat until no folder's parent adds another.
  for (let grew = true; grew; ) {
    grew = false;
    for (const f of d.folders) if (f.parentUid && keep.has(f.parentUid) && !keep.has(f.uid)) grew = keep.add(f.uid) && true;
  }
  return {
    ...d,
    folders: d.folders.filter((f) => keep.has(f.uid)),
    dashboards: d.dashboards.filter((x) => keep.has(x.folderUid)),
    ruleGroups: d.ruleGroups.filter((g) => keep.has(g.folderUid)),
  };
}
