// The rule groups a build hands to rulers, read from the emitted tree by the one tree reader:
//   prometheus/rules/*.yaml             → the Mimir/Cortex ruler (one tenant, from the config)
//   loki/rules/<tenant>/*.yaml          → the Loki ruler, tenant = the folder name
// Both are Prometheus rule files (`groups:`); a group is sent as written. Namespaces are one per
// file (`<prefix>-<file name>`), one per stack (`<prefix>-<stack>`) or one for everything
// (`<prefix>`), so --prune can tell the namespaces this project owns from everyone else's.
import { basename } from "node:path";
import { z } from "zod";
import { UserError } from "../errors.js";
import { parseTreeText, readTree, type TreeFile, type UnreadableFile } from "../tree/read.js";

export type RulerKind = "mimir" | "loki";

export interface NamespacePolicy {
  namespaces: "per-file" | "per-stack" | "single";
  namespacePrefix: string;
  /** per-stack: stack → file names (without .yaml). */
  stacks?: Record<string, string[]>;
}

/** One rule group as a rule file holds it (unknown fields kept, sent as they are). */
export type RuleGroupDoc = { name: string; rules: Record<string, unknown>[] } & Record<string, unknown>;

export interface DesiredGroup {
  tenant: string | undefined;
  namespace: string;
  group: RuleGroupDoc;
  /** The tree file it comes from. */
  file: string;
}

const ruleFile = z
  .object({
    groups: z.array(
      z
        .object({ name: z.string().min(1, "a group needs a name"), rules: z.array(z.record(z.unknown())).min(1, "a group needs rules") })
        .passthrough(),
    ),
  })
  .passthrough();

export const RULE_DIRS: Record<RulerKind, string> = { mimir: "prometheus/rules", loki: "loki/rules" };

/** The namespace a file's groups go to (UserError when per-stack and no stack lists the file). */
export function namespaceFor(file: string, policy: NamespacePolicy): string {
  if (policy.namespaces === "single") return policy.namespacePrefix;
  const stem = basename(file).replace(/\.ya?ml$/i, "");
  if (policy.namespaces === "per-file") return `${policy.namespacePrefix}-${stem}`;
  const stack = Object.entries(policy.stacks ?? {}).find(([, files]) => files.includes(stem))?.[0];
  if (!stack) throw new UserError(`${file}: no stack of the ruler's \`stacks\` lists "${stem}" (namespaces: per-stack)`);
  return `${policy.namespacePrefix}-${stack}`;
}

/** Whether a live namespace is one this project writes (and so may prune). */
export function ownsNamespace(namespace: string, policy: NamespacePolicy): boolean {
  return namespace === policy.namespacePrefix || namespace.startsWith(`${policy.namespacePrefix}-`);
}

/**
 * Every group a ruler of this kind receives from the tree at `root`. Throws UserError (exit 1)
 * naming the file and group when a file is not a rule file, or when two files would put a group
 * of one name into one namespace.
 */
export function desiredGroups(root: string, kind: RulerKind, policy: NamespacePolicy, tenant?: string): DesiredGroup[] {
  const dir = `${root}/${RULE_DIRS[kind]}`;
  const unreadable: UnreadableFile[] = [];
  const files = readTree(dir, unreadable).filter((f) => /\.ya?ml$/i.test(f.path));
  if (unreadable.length) throw new UserError(`${RULE_DIRS[kind]}/${unreadable[0].path}: ${unreadable[0].message}`, unreadable[0].error ? 3 : 1);
  const out: DesiredGroup[] = [];
  const seen = new Map<string, string>();
  for (const f of files) {
    const parts = f.path.split("/");
    // Loki: <tenant>/<file>.yaml; Mimir: <file>.yaml.
    if (kind === "loki" ? parts.length !== 2 : parts.length !== 1) continue;
    const fileTenant = kind === "loki" ? parts[0] : tenant;
    const path = `${RULE_DIRS[kind]}/${f.path}`;
    const namespace = namespaceFor(path, policy);
    for (const group of groupsOf({ ...f, path })) {
      const key = `${fileTenant}\u0000${namespace}\u0000${group.name}`;
      const other = seen.get(key);
      if (other) throw new UserError(`${path}: group "${group.name}" is also in ${other}, and both go to namespace ${namespace}`);
      seen.set(key, path);
      out.push({ tenant: fileTenant, namespace, group, file: path });
    }
  }
  return out;
}

function groupsOf(f: TreeFile): RuleGroupDoc[] {
  let doc: unknown;
  try {
    doc = parseTreeText(f);
  } catch (e) {
    throw new UserError(`${f.path}: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  if (doc === null || doc === undefined) return [];
  const parsed = ruleFile.safeParse(doc);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new UserError(`${f.path}: ${i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("").replace(/^\./, "")}: ${i.message}`);
  }
  return parsed.data.groups as RuleGroupDoc[];
}
