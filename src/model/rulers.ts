// Where rule groups go beyond the local Prometheus: the Mimir/Cortex ruler (Prometheus-format rule
// files, build/prometheus/rules) and the Loki ruler (build/loki/rules/<tenant>/), per environment,
// and Prometheus' long-term store (remote_write to Mimir). `npm run push -- --rulers` reads these.
import { z } from "zod";

const envVarName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "must be an environment variable name such as MIMIR_PASSWORD");
const namespacePrefix = z.string().regex(/^[a-z][a-z0-9-]*$/, "lower-case letters, digits and dashes");

export const rulerTarget = z
  .object({
    url: z.string().url().refine((u) => /^https?:\/\//.test(u), "must be an http(s) URL"),
    /** X-Scope-OrgID for Mimir (Loki's tenant is the folder name under build/loki/rules/). */
    tenant: z.string().min(1).optional(),
    basicAuth: z.object({ user: z.string().min(1), passwordEnv: envVarName }).strict().optional(),
    tokenEnv: envVarName.optional(),
    /**
     * per-file: one namespace per rule file, `<prefix>-<file name>`; per-stack: one per stack,
     * `<prefix>-<stack>`, the files of each stack listed in `stacks`; single: every group in the
     * namespace `<prefix>`. --prune only touches namespaces named so.
     */
    namespaces: z.enum(["per-file", "per-stack", "single"]).default("per-file"),
    namespacePrefix: namespacePrefix.default("grafana-as-code"),
    /** per-stack: stack → the rule file names (without .yaml) whose groups go to its namespace. */
    stacks: z.record(namespacePrefix, z.array(z.string().min(1)).min(1)).optional(),
  })
  .strict()
  .refine((t) => t.namespaces !== "per-stack" || !!t.stacks, { message: "namespaces: per-stack needs stacks", path: ["stacks"] });

export const rulers = z.object({ mimir: rulerTarget.optional(), loki: rulerTarget.optional() }).strict();

export const remoteWrite = z
  .object({
    url: z.string().url(),
    /** X-Scope-OrgID: Mimir's tenant for the written series. */
    tenant: z.string().min(1),
    basicAuth: z.object({ username: z.string().min(1), passwordFile: z.string().startsWith("/") }).strict(),
  })
  .strict();

export type RulerTarget = z.infer<typeof rulerTarget>;
export type Rulers = z.infer<typeof rulers>;
